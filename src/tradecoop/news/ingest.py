"""Ingest news files into the review queue: read, identify the language, skip duplicates,
extract facts, store the document and its facts (one transaction per file).

Duplicates are stored once: the same URL, the same normalised text (content hash), or a
near-identical text (SimHash of word trigrams within :data:`SIMHASH_MAX_DISTANCE` bits), against
the stored documents and the ones read before in the same run. A malformed file is reported in
one line and nothing of it is stored; ingesting the same files again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tradecoop.news.sources import (
    MalformedDocumentError,
    NewsDocument,
    expand,
    normalise,
    read_documents,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: documents whose SimHashes differ in at most this many of 64 bits are the same document
SIMHASH_MAX_DISTANCE = 3
_SHINGLE = 3


def simhash(text: str) -> int:
    """64-bit SimHash (as a signed integer, for a BIGINT column) of the text's word trigrams."""
    words = normalise(text).split()
    shingles = [" ".join(words[i:i + _SHINGLE]) for i in range(max(1, len(words) - _SHINGLE + 1))]
    counts = [0] * 64
    for s in shingles:
        h = int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            counts[bit] += 1 if h >> bit & 1 else -1
    value = sum(1 << bit for bit in range(64) if counts[bit] > 0)
    return value - (1 << 64) if value >= 1 << 63 else value


def _distance(a: int, b: int) -> int:
    return ((a ^ b) & (1 << 64) - 1).bit_count()


@dataclass
class IngestReport:
    files: int = 0
    documents: int = 0
    added: int = 0
    duplicates: int = 0
    facts: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"files": self.files, "documents": self.documents, "added": self.added,
                "duplicates": self.duplicates, "facts": self.facts, "errors": self.errors}


class _Seen:
    def __init__(self, session: Session) -> None:
        from sqlalchemy import select

        from tradecoop.registry.news_models import NewsDocumentRow as D

        rows = session.execute(select(D.url, D.content_hash, D.simhash)).all()
        self.urls = {r.url for r in rows if r.url}
        self.hashes = {r.content_hash for r in rows}
        self.simhashes = [r.simhash for r in rows]

    def duplicate(self, doc: NewsDocument, sh: int) -> bool:
        if doc.url and doc.url in self.urls:
            return True
        if doc.content_hash in self.hashes:
            return True
        return any(_distance(sh, other) <= SIMHASH_MAX_DISTANCE for other in self.simhashes)

    def add(self, doc: NewsDocument, sh: int) -> None:
        if doc.url:
            self.urls.add(doc.url)
        self.hashes.add(doc.content_hash)
        self.simhashes.append(sh)


def store_document(session: Session, doc: NewsDocument, result: dict, sh: int) -> int:
    """Add one document and its facts to the session (no commit); returns the number of facts."""
    from tradecoop.registry.news_models import NewsDocumentRow, NewsFactRow

    row = NewsDocumentRow(url=doc.url, content_hash=doc.content_hash, simhash=sh, title=doc.title,
                          publisher=doc.publisher, published=doc.published,
                          language=result["document"]["language"], source_path=doc.source_path,
                          text=doc.text, entities=json.dumps(result["entities"], ensure_ascii=False))
    session.add(row)
    session.flush()
    for f in result["facts"]:
        session.add(NewsFactRow(
            document_id=row.id, type=f["type"], polarity=f["polarity"], evidence=f["text"],
            start_char=f["start"], end_char=f["end"], date=f["date"], value=f["value"], unit=f["unit"],
            period=f["period"], locations=json.dumps(f["locations"]),
            organizations=json.dumps(f["organizations"], ensure_ascii=False),
            persons=json.dumps(f["persons"], ensure_ascii=False), products=json.dumps(f["products"]),
            status="pending"))
    return len(result["facts"])


def ingest(session: Session, paths: list[Path], *, published: dt.date | None = None,
           lang: str = "auto") -> IngestReport:
    """Ingest files (folders are walked) into the queue; see the module docstring."""
    from tradecoop.news.extract import extract

    report = IngestReport()
    seen = _Seen(session)
    for path in expand(paths):
        report.files += 1
        try:
            docs = read_documents(path, published)
        except MalformedDocumentError as exc:
            report.errors.append(str(exc))
            continue
        pending: list[tuple[NewsDocument, int]] = []
        for doc in docs:
            report.documents += 1
            sh = simhash(doc.text)
            if seen.duplicate(doc, sh):
                report.duplicates += 1
                continue
            seen.add(doc, sh)
            pending.append((doc, sh))
        try:
            for doc, sh in pending:
                result = extract(doc.text, lang=lang, title=doc.title, published=doc.published)
                report.facts += store_document(session, doc, result, sh)
            session.commit()
        except Exception:
            session.rollback()
            raise
        report.added += len(pending)
    return report
