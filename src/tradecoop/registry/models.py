"""Registry data model (SQLAlchemy 2.0 typed declarative): enterprises, agreements, projects,
events, reported figures, users and the audit log.

Ids are never reused: on SQLite the top-level tables are ``AUTOINCREMENT`` (a deleted record's id
is not handed out again, so a stale write cannot land on a new record); PostgreSQL sequences never
reuse numbers anyway.

Every top-level record carries ``version`` (SQLAlchemy ``version_id_col``: an UPDATE that finds
another version raises, which :mod:`tradecoop.registry.service` turns into ``ConflictError``) and
``created_at`` / ``updated_at`` (UTC). Constraint names follow :data:`NAMING_CONVENTION` so
Alembic migrations are stable across SQLite and PostgreSQL. Schema changes need a migration in
``tradecoop/registry/migrations/versions`` (a test runs ``alembic check``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: roles of an HS code attached to an enterprise
PRODUCT_ROLES = ("product", "input")
#: user roles, each including the rights of the previous one
USER_ROLES = ("viewer", "editor", "admin")
AGREEMENT_KINDS = ("intergovernmental", "inter-regional", "commercial", "joint venture", "memorandum")
PROJECT_KINDS = ("joint venture", "co-production", "supply contract", "investment")
EVENT_KINDS = ("visit", "meeting", "forum")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Mixin: optimistic-concurrency ``version`` and UTC timestamps."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


# --- enterprises ----------------------------------------------------------------------------
class Enterprise(Versioned, Base):
    __tablename__ = "enterprise"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(300), nullable=False)
    name_ru: Mapped[str | None] = mapped_column(String(300))
    name_be: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    nace: Mapped[str | None] = mapped_column(String(10), index=True)
    size_band: Mapped[str | None] = mapped_column(String(40))
    description_en: Mapped[str | None] = mapped_column(Text)
    description_ru: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(300))
    #: Latin skeletons of every name and alias (see tradecoop.registry.search.skeleton)
    search_key: Mapped[str] = mapped_column(Text, nullable=False, default="")

    products: Mapped[list[EnterpriseProduct]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", order_by="EnterpriseProduct.id",
        lazy="selectin",
    )
    aliases: Mapped[list[EnterpriseAlias]] = relationship(
        cascade="all, delete-orphan", order_by="EnterpriseAlias.id", lazy="selectin"
    )
    sources: Mapped[list[EnterpriseSource]] = relationship(
        cascade="all, delete-orphan", order_by="EnterpriseSource.id", lazy="selectin"
    )


class EnterpriseProduct(Base):
    """An HS code an enterprise makes (``role='product'``) or needs (``role='input'``)."""

    __tablename__ = "enterprise_product"
    __table_args__ = (UniqueConstraint("enterprise_id", "hs_code", "role", name="uq_enterprise_product_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False, index=True
    )
    hs_code: Mapped[str] = mapped_column(String(10), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(10), nullable=False, default="product")
    enterprise: Mapped[Enterprise] = relationship(back_populates="products")


class EnterpriseAlias(Base):
    __tablename__ = "enterprise_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False, index=True
    )
    alias: Mapped[str] = mapped_column(String(300), nullable=False)


class EnterpriseSource(Base):
    """Where a fact about an enterprise comes from (``field='*'`` for the whole record)."""

    __tablename__ = "enterprise_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), nullable=False, index=True
    )
    field: Mapped[str] = mapped_column(String(40), nullable=False, default="*")
    url: Mapped[str] = mapped_column(String(500), nullable=False)


# --- agreements -----------------------------------------------------------------------------
class Agreement(Versioned, Base):
    __tablename__ = "agreement"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    signed_date: Mapped[dt.date | None] = mapped_column(Date)
    in_force_date: Mapped[dt.date | None] = mapped_column(Date)
    signed_year: Mapped[int | None] = mapped_column(Integer)
    in_force_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(40))
    document_ref: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(500))
    parties: Mapped[list[AgreementParty]] = relationship(
        cascade="all, delete-orphan", order_by="AgreementParty.id", lazy="selectin"
    )


class AgreementParty(Base):
    """A party: a location (ISO code) and/or a registered enterprise."""

    __tablename__ = "agreement_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), nullable=False, index=True
    )
    location: Mapped[str | None] = mapped_column(String(10))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id", ondelete="SET NULL"))


# --- projects -------------------------------------------------------------------------------
class Project(Versioned, Base):
    __tablename__ = "project"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    investment_amount: Mapped[float | None] = mapped_column(Float)
    investment_currency: Mapped[str | None] = mapped_column(String(3))
    jobs: Mapped[int | None] = mapped_column(Integer)
    site: Mapped[str | None] = mapped_column(String(300))
    stage: Mapped[str | None] = mapped_column(String(40))
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id", ondelete="SET NULL"))
    parties: Mapped[list[ProjectParty]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectParty.id", lazy="selectin"
    )
    products: Mapped[list[ProjectProduct]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectProduct.id", lazy="selectin"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        cascade="all, delete-orphan", order_by="Milestone.id", lazy="selectin"
    )


class ProjectParty(Base):
    __tablename__ = "project_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False, index=True)
    location: Mapped[str | None] = mapped_column(String(10))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id", ondelete="SET NULL"))


class ProjectProduct(Base):
    __tablename__ = "project_product"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False, index=True)
    hs_code: Mapped[str] = mapped_column(String(10), nullable=False)


class Milestone(Base):
    __tablename__ = "milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False, index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    done_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


# --- events ---------------------------------------------------------------------------------
class Event(Versioned, Base):
    __tablename__ = "event"
    __table_args__ = {"sqlite_autoincrement": True}  # ids are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    date: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(300))
    outcomes: Mapped[str | None] = mapped_column(Text)
    participants: Mapped[list[EventParticipant]] = relationship(
        cascade="all, delete-orphan", order_by="EventParticipant.id", lazy="selectin"
    )
    links: Mapped[list[EventLink]] = relationship(
        cascade="all, delete-orphan", order_by="EventLink.id", lazy="selectin"
    )


class EventParticipant(Base):
    __tablename__ = "event_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(10))
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id", ondelete="SET NULL"))


class EventLink(Base):
    """An event's link to an agreement or a project."""

    __tablename__ = "event_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), nullable=False, index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))


# --- reported figures -----------------------------------------------------------------------
class ReportedFigure(Versioned, Base):
    """A reported quantitative fact (e.g. bilateral turnover in 2024, as stated by a ministry).

    Reports are kept as reported: two sources giving different values for the same metric and
    period are two records (no uniqueness on metric and period). ``period`` is text (``2023``,
    ``2024H1``, ``2025Q3``, ``2025M01-M09``, ``current`` or a short free text; see
    :func:`tradecoop.registry.records.check_period`).
    """

    __tablename__ = "reported_figure"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    period: Mapped[str] = mapped_column(String(60), nullable=False)
    #: which side or body reported it (free text: "Belarus, Ministry of Industry")
    reporter: Mapped[str | None] = mapped_column(String(300))
    source_publisher: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))
    source_date: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    parties: Mapped[list[FigureParty]] = relationship(
        cascade="all, delete-orphan", order_by="FigureParty.id", lazy="selectin"
    )


class FigureParty(Base):
    """A party a figure is about: a location (ISO code) and/or a registered enterprise."""

    __tablename__ = "reported_figure_party"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    figure_id: Mapped[int] = mapped_column(
        ForeignKey("reported_figure.id", ondelete="CASCADE"), nullable=False, index=True
    )
    location: Mapped[str | None] = mapped_column(String(10), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)


# --- users and audit ------------------------------------------------------------------------
class User(Versioned, Base):
    """An API user. The token is stored only as an HMAC-SHA256 digest keyed by the secret."""

    __tablename__ = "app_user"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(10), nullable=False)
    #: unique (so indexed): authentication looks the user up by it on every request
    token_prefix: Mapped[str] = mapped_column(String(16), nullable=False, unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    active: Mapped[bool] = mapped_column(default=True, nullable=False)
    #: UTC; the token fails from this moment on (``None``: no expiry)
    token_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditLog(Base):
    """One row per write: who, when, which record, the state before and after."""

    __tablename__ = "audit_log"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=utcnow, server_default=func.current_timestamp())
    actor: Mapped[str] = mapped_column(String(120), nullable=False)
    action: Mapped[str] = mapped_column(String(20), nullable=False)
    entity: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


#: rows of ``registry_revision``: ``all`` counts every audited write; the others count the
#: writes that change what one derived view is built from (see :data:`TOPIC_FIELDS`)
REVISION_TOPICS = {"all": 1, "search": 2, "match": 3}
#: enterprise fields each topic's view is built from (creating or deleting one changes all topics)
TOPIC_FIELDS = {
    "search": frozenset({"name_en", "name_ru", "name_be", "aliases"}),
    "match": frozenset({"name_en", "name_ru", "location", "city", "nace", "products", "inputs",
                        "description_en", "description_ru"}),
}


class RegistryRevision(Base):
    """Rows counting committed writes (:data:`REVISION_TOPICS`: row 1 counts every audited
    write, rows 2 and 3 the enterprise writes that change the search or the match index).

    Processes that keep a derived view of the registry (the search index, the matcher's index)
    compare the number with the one they built from; a write made in one process is seen by all
    the others at their next request, and a write that changes nothing a view is built from
    leaves that view alone. ``UPDATE ... SET revision = revision + 1`` takes a row lock, so
    concurrent writers get distinct numbers in commit order.
    """

    __tablename__ = "registry_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    #: random per database (set by the migration): a re-created database never matches a cache
    epoch: Mapped[str] = mapped_column(String(32), nullable=False)
