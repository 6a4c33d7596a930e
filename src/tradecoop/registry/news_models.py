"""Tables of the news review queue, on the registry's declarative ``Base`` (migration 0004).

They are registry tables (the news package fills and reviews them, :mod:`tradecoop.news`), so
they live here: the registry's metadata is complete without importing the news package.

``news_document``: one row per distinct document (same URL or same normalised text = the same
document; near-identical texts, by :data:`tradecoop.news.ingest.SIMHASH_MAX_DISTANCE`, too), with
URL, publisher, date, language and content hash. ``news_fact``: the facts extracted from it,
each waiting for review (``pending``) until accepted, edited or rejected; an accepted figure
points at the registry record it created (``record_entity``/``record_id``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tradecoop.registry.models import Base, utcnow

FACT_STATUSES = ("pending", "accepted", "edited", "rejected")


class NewsDocumentRow(Base):
    __tablename__ = "news_document"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(1000), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    #: 64-bit SimHash of the text's word trigrams (signed), for near-duplicates
    simhash: Mapped[int] = mapped_column(BigInteger, nullable=False)
    title: Mapped[str | None] = mapped_column(String(500))
    publisher: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[dt.date | None] = mapped_column(Date)
    language: Mapped[str | None] = mapped_column(String(5))
    source_path: Mapped[str | None] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    #: the entities found, as JSON text (the shape of ``tradecoop news extract``)
    entities: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)


class NewsFactRow(Base):
    __tablename__ = "news_fact"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("news_document.id", ondelete="CASCADE"), nullable=False, index=True)
    type: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    polarity: Mapped[str] = mapped_column(String(10), nullable=False)
    evidence: Mapped[str] = mapped_column(Text, nullable=False)
    start_char: Mapped[int] = mapped_column(Integer, nullable=False)
    end_char: Mapped[int] = mapped_column(Integer, nullable=False)
    date: Mapped[str | None] = mapped_column(String(10))
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(10))
    period: Mapped[str | None] = mapped_column(String(60))
    #: JSON lists as text
    locations: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    organizations: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    persons: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    products: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending", index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)
    record_entity: Mapped[str | None] = mapped_column(String(20))
    record_id: Mapped[int | None] = mapped_column(Integer)
