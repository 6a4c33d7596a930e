"""Read queries of the registry (no writes here; see :mod:`tradecoop.registry.service`).

Every filter is passed as a bound parameter through SQLAlchemy expressions, never spliced
into SQL text, so search strings and filter values cannot change the query.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session as OrmSession

from tradecoop.errors import NotFoundError
from tradecoop.registry import models as m
from tradecoop.registry.records import ENTERPRISE_FIELDS, INT64_MAX, INT64_MIN
from tradecoop.registry.search import SearchIndex

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

MODELS: dict[str, type] = {
    "enterprise": m.Enterprise,
    "agreement": m.Agreement,
    "project": m.Project,
    "event": m.Event,
    "figure": m.ReportedFigure,
}


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int
    limit: int
    offset: int


def get(session: Session, entity: str, record_id: int) -> Any:
    """The record ``entity`` with ``record_id`` (raises :class:`NotFoundError`; also for ids
    outside the 64-bit range, which no record has)."""
    obj = session.get(MODELS[entity], record_id) if INT64_MIN <= record_id <= INT64_MAX else None
    if obj is None:
        raise NotFoundError(f"no {entity} with id {record_id}")
    return obj


def _enterprise_filters(stmt, *, location: str | None, nace: str | None, hs: str | None, role: str | None):
    E = m.Enterprise
    if location:
        stmt = stmt.where(E.location == location.upper())
    if nace:
        stmt = stmt.where(E.nace == nace)
    if hs:
        sub = select(m.EnterpriseProduct.enterprise_id).where(m.EnterpriseProduct.hs_code.startswith(hs, autoescape=True))
        if role:
            sub = sub.where(m.EnterpriseProduct.role == role)
        stmt = stmt.where(E.id.in_(sub))
    return stmt


def list_enterprises(
    session: Session, *, q: str | None = None, location: str | None = None, nace: str | None = None,
    hs: str | None = None, role: str | None = None, limit: int = 50, offset: int = 0,
) -> Page:
    """Enterprises (public JSON form) filtered by location / NACE / HS prefix (and role),
    optionally ranked by ``q``.

    Without ``q`` the order is by id; with ``q`` by search score (see :mod:`.search`), and
    ``total`` counts the matching search candidates.
    """
    E = m.Enterprise
    if q:
        index = search_index(session)
        allowed = None
        if location or nace or hs:
            allowed = set(session.scalars(_enterprise_filters(select(E.id), location=location, nace=nace, hs=hs, role=role)))
        hits = index.rank(q, limit=len(index) + 1, allowed=allowed)
        ids = [h.id for h in hits[offset : offset + limit]]
        total = len(hits)
    else:
        stmt = _enterprise_filters(select(E.id), location=location, nace=nace, hs=hs, role=role)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        ids = list(session.scalars(stmt.order_by(E.id).limit(limit).offset(offset)))
    docs = enterprise_documents(session, ids)
    return Page([docs[i] for i in ids], total, limit, offset)


#: the enterprise columns of the public JSON form (:data:`records.ENTERPRISE_FIELDS` less children)
_ENTERPRISE_SCALARS = tuple(f for f in ENTERPRISE_FIELDS if f not in ("aliases", "products", "inputs", "sources"))


@functools.cache
def _document_statements() -> tuple[Any, Any]:
    """The two statements of :func:`enterprise_documents`, built once (``:ids`` expands)."""
    from sqlalchemy import bindparam, literal, union_all

    E, A, P, S = (t.__table__ for t in (m.Enterprise, m.EnterpriseAlias, m.EnterpriseProduct, m.EnterpriseSource))
    ids = bindparam("ids", expanding=True)
    rows = select(*(E.c[k] for k in _ENTERPRISE_SCALARS)).where(E.c.id.in_(ids))
    children = union_all(
        select(A.c.enterprise_id, literal("a").label("kind"), A.c.id, A.c.alias.label("v1"), literal(None).label("v2"))
        .where(A.c.enterprise_id.in_(ids)),
        select(P.c.enterprise_id, literal("p"), P.c.id, P.c.hs_code, P.c.role).where(P.c.enterprise_id.in_(ids)),
        select(S.c.enterprise_id, literal("s"), S.c.id, S.c.field, S.c.url).where(S.c.enterprise_id.in_(ids)),
    ).order_by("kind", "id")
    return rows, children


def enterprise_documents(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The public JSON form (as :func:`records.to_dict`) of the enterprises ``ids``, by id.

    Two prepared Core queries on the session's connection (the rows, then aliases, products and
    sources in one ``UNION ALL``), without building ORM objects: the API's read path.
    """
    if not ids:
        return {}
    rows, children = _document_statements()
    conn = session.connection()
    docs: dict[int, dict[str, Any]] = {}
    for row in conn.execute(rows, {"ids": ids}):
        d = dict(zip(_ENTERPRISE_SCALARS, row, strict=True))
        d.update(aliases=[], products=[], inputs=[], sources=[])
        docs[d["id"]] = d
    for eid, kind, _, v1, v2 in conn.execute(children, {"ids": ids}):
        d = docs[eid]
        if kind == "a":
            d["aliases"].append(v1)
        elif kind == "s":
            d["sources"].append({"field": v1, "url": v2})
        else:
            d["products" if v2 == "product" else "inputs"].append(v1)
    return docs


def search_enterprises(session: Session, text: str, *, limit: int = 20) -> list[tuple[m.Enterprise, float]]:
    """Enterprises whose names or aliases match ``text`` in any spelling, with scores 0-100."""
    hits = search_index(session).rank(text, limit=limit)
    by_id = {e.id: e for e in session.scalars(select(m.Enterprise).where(m.Enterprise.id.in_([h.id for h in hits])))}
    return [(by_id[h.id], h.score) for h in hits]


_CACHE: dict[tuple[str, str], tuple[tuple[str, int], Any]] = {}
_BUILD_LOCK = threading.Lock()  # one build at a time: concurrent requests wait, then reuse it
#: ``session.info`` key of the memoised revision
_REVISION_MEMO = "registry_revision"


def revision(session: Session, topic: str = "all") -> tuple[str, int]:
    """The registry's last committed revision ``(epoch, counter)`` of ``topic``
    (:data:`models.REVISION_TOPICS`): ``all`` counts every audited write, ``search`` and
    ``match`` the writes that change what that index is built from. The epoch is random per
    database. Read once per transaction (one primary-key read, memoised in ``session.info`` until
    the transaction ends); a database without the topic's row (migrated to 0003 before it had
    them) falls back to ``all``."""
    memo = session.info.setdefault(_REVISION_MEMO, {})
    rev = memo.get(topic)
    if rev is None:
        R = m.RegistryRevision
        ids = {1, m.REVISION_TOPICS[topic]}
        rows = {i: (epoch, n) for i, epoch, n in session.execute(select(R.id, R.epoch, R.revision).where(R.id.in_(ids)))}
        rev = memo[topic] = rows.get(m.REVISION_TOPICS[topic]) or rows.get(1) or ("", 0)
    return rev


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_revision(session: Session, _transaction: Any) -> None:
    forget_revision(session)


def forget_revision(session: Session) -> None:
    """Drop the session's memoised revision: the next :func:`revision` reads it again."""
    session.info.pop(_REVISION_MEMO, None)


def cached_view(session: Session, kind: str, build: Callable[[Session], Any], *, topic: str = "all") -> Any:
    """``build(session)``, cached per database and ``kind`` until the registry's revision of
    ``topic`` changes (``all``: any audited write; see :func:`revision`).

    Every write made through :class:`~tradecoop.registry.service.RegistryService` raises the
    revision in its own transaction, so a view is never older than the last committed write (in
    any process); rows written around the service (raw SQL) are seen after the next audited
    write. Builds run in the caller's thread (the API's thread pool, never the event loop).
    """
    current = revision(session, topic)
    key = (session.get_bind().url.render_as_string(), kind)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == current:
        return hit[1]
    with _BUILD_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]
        _CACHE.pop(key, None)  # let the old view go before building the new one
        value = build(session)
        _CACHE[key] = (current, value)
        return value


def search_index(session: Session) -> SearchIndex:
    """The name index of all enterprises (cached until the table changes)."""
    return cached_view(session, "search", lambda s: SearchIndex(s.execute(
        select(m.Enterprise.id, m.Enterprise.search_key).order_by(m.Enterprise.id)).all()), topic="search")


def list_records(session: Session, entity: str, *, q: str | None = None, kind: str | None = None,
                 location: str | None = None, limit: int = 50, offset: int = 0) -> Page:
    """Agreements, projects or events filtered by kind, party location and a title substring."""
    model = MODELS[entity]
    stmt = select(model)
    if kind:
        stmt = stmt.where(model.kind == kind)
    if q:
        stmt = stmt.where(func.lower(model.title).contains(q.lower(), autoescape=True))
    if location:
        party = {"agreement": m.AgreementParty, "project": m.ProjectParty, "event": m.EventParticipant}[entity]
        fk = {"agreement": m.AgreementParty.agreement_id, "project": m.ProjectParty.project_id,
              "event": m.EventParticipant.event_id}[entity]
        stmt = stmt.where(model.id.in_(select(fk).where(party.location == location.upper())))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = list(session.scalars(stmt.order_by(model.id).limit(limit).offset(offset)))
    return Page(items, total, limit, offset)


def referrers(session: Session, entity: str, record_id: int) -> list[tuple[str, int]]:
    """``(entity, id)`` of every record referring to record ``record_id`` of ``entity``
    (as a party, participant, linked agreement or project), sorted."""
    refs: list[tuple[str, Any]] = []
    if entity == "enterprise":
        refs = [("agreement", select(m.AgreementParty.agreement_id).where(m.AgreementParty.enterprise_id == record_id)),
                ("project", select(m.ProjectParty.project_id).where(m.ProjectParty.enterprise_id == record_id)),
                ("event", select(m.EventParticipant.event_id).where(m.EventParticipant.enterprise_id == record_id)),
                ("figure", select(m.FigureParty.figure_id).where(m.FigureParty.enterprise_id == record_id))]
    elif entity == "agreement":
        refs = [("project", select(m.Project.id).where(m.Project.agreement_id == record_id)),
                ("event", select(m.EventLink.event_id).where(m.EventLink.agreement_id == record_id))]
    elif entity == "project":
        refs = [("event", select(m.EventLink.event_id).where(m.EventLink.project_id == record_id))]
    return sorted({(name, rid) for name, stmt in refs for rid in session.scalars(stmt)})


def list_figures(session: Session, *, metric: str | None = None, location: str | None = None,
                 period: str | None = None, limit: int = 50, offset: int = 0) -> Page:
    """Reported figures filtered by metric, a party's location and period, in id order."""
    F = m.ReportedFigure
    stmt = select(F)
    if metric:
        stmt = stmt.where(F.metric == metric.strip().lower())
    if period:
        stmt = stmt.where(F.period == ("current" if period.strip().lower() == "current" else period.strip().upper()))
    if location:
        stmt = stmt.where(F.id.in_(select(m.FigureParty.figure_id).where(m.FigureParty.location == location.strip().upper())))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = list(session.scalars(stmt.order_by(F.id).limit(limit).offset(offset)))
    return Page(items, total, limit, offset)


def enterprises_by_location(session: Session, location: str) -> list[m.Enterprise]:
    return list(session.scalars(select(m.Enterprise).where(m.Enterprise.location == location.upper()).order_by(m.Enterprise.id)))


class UserRow(NamedTuple):
    """What authentication needs of a user (never shown to anyone)."""

    id: int
    name: str
    role: str
    active: bool
    token_hash: str
    token_expires_at: dt.datetime | None


def user_by_token_prefix(session: Session, prefix: str) -> UserRow | None:
    """The user whose token starts with ``prefix``, read now (one query on the unique index of
    ``token_prefix``; no cache, so a deactivated or deleted user fails at the next request)."""
    U = m.User
    row = session.execute(select(U.id, U.name, U.role, U.active, U.token_hash, U.token_expires_at)
                          .where(U.token_prefix == prefix)).first()
    return UserRow(*row) if row is not None else None


class TokenPrefixLookup:
    """``users_by_token_prefix(session)[prefix]`` / ``.get(prefix)``: :func:`user_by_token_prefix`
    behind a mapping's face (each access is a fresh query)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, prefix: str, default: Any = None) -> UserRow | Any:
        row = user_by_token_prefix(self.session, prefix)
        return row if row is not None else default

    def __getitem__(self, prefix: str) -> UserRow:
        row = user_by_token_prefix(self.session, prefix)
        if row is None:
            raise KeyError(prefix)
        return row


def users_by_token_prefix(session: Session) -> TokenPrefixLookup:
    """Users by token prefix: ``[prefix]`` and ``.get(prefix)`` give a :class:`UserRow`
    (``(id, name, role, active, token_hash, token_expires_at)``), read at each access."""
    return TokenPrefixLookup(session)


def _audit_filter(stmt: Any, entity: str | None, entity_id: int | None, actor: str | None) -> Any:
    if entity:
        stmt = stmt.where(m.AuditLog.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(m.AuditLog.entity_id == entity_id)
    if actor:
        stmt = stmt.where(m.AuditLog.actor == actor)
    return stmt


def audit_entries(session: Session, *, entity: str | None = None, entity_id: int | None = None,
                  actor: str | None = None, limit: int = 100) -> list[m.AuditLog]:
    """The newest ``limit`` audit rows, filtered."""
    return audit_page(session, entity=entity, entity_id=entity_id, actor=actor, limit=limit).items


def audit_page(session: Session, *, entity: str | None = None, entity_id: int | None = None,
               actor: str | None = None, limit: int = 100, offset: int = 0) -> Page:
    """Audit rows, newest first, filtered by entity, record id and actor, paged."""
    total = session.scalar(_audit_filter(select(func.count(m.AuditLog.id)), entity, entity_id, actor)) or 0
    stmt = _audit_filter(select(m.AuditLog), entity, entity_id, actor)
    items = list(session.scalars(stmt.order_by(m.AuditLog.id.desc()).limit(limit).offset(offset)))
    return Page(items, total, limit, offset)


def audit_dict(entry: m.AuditLog) -> dict[str, Any]:
    """An audit row as a plain dict (``at``: ISO UTC time)."""
    return {"id": entry.id, "at": entry.at.isoformat(timespec="seconds"), "actor": entry.actor,
            "action": entry.action, "entity": entry.entity, "entity_id": entry.entity_id,
            "before": entry.before, "after": entry.after}
