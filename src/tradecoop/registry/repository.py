"""Read queries of the registry (no writes here; see :mod:`tradecoop.registry.service`).

Every filter is passed as a bound parameter through SQLAlchemy expressions, never spliced
into SQL text, so search strings and filter values cannot change the query.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
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


#: at most this many serialised enterprises are kept per process (oldest dropped first)
DOCUMENT_CACHE_MAX = 50_000


def enterprise_json(session: Session, ids: list[int]) -> dict[int, bytes]:
    """The public JSON form of the enterprises ``ids`` as UTF-8 bytes (keys in
    :data:`records.ENTERPRISE_FIELDS` order), by id; unknown ids are left out.

    Served from a per-process cache that is emptied whenever the registry revision changes and
    filled on demand by :func:`enterprise_documents` (bytes, so the cyclic GC never walks it).
    """
    cache: dict[int, bytes] = cached_view(session, "enterprise-json", lambda s: {}, freeze=False)
    missing = [i for i in dict.fromkeys(ids) if i not in cache]
    if missing:
        for i, doc in enterprise_documents(session, missing).items():
            if len(cache) >= DOCUMENT_CACHE_MAX:
                del cache[next(iter(cache))]
            cache[i] = json.dumps({k: doc[k] for k in ENTERPRISE_FIELDS}, ensure_ascii=False,
                                  separators=(",", ":")).encode()
    return {i: cache[i] for i in ids if i in cache}


def search_enterprises(session: Session, text: str, *, limit: int = 20) -> list[tuple[m.Enterprise, float]]:
    """Enterprises whose names or aliases match ``text`` in any spelling, with scores 0-100."""
    hits = search_index(session).rank(text, limit=limit)
    by_id = {e.id: e for e in session.scalars(select(m.Enterprise).where(m.Enterprise.id.in_([h.id for h in hits])))}
    return [(by_id[h.id], h.score) for h in hits]


_CACHE: dict[tuple[str, str], tuple[tuple[str, int], Any]] = {}
_BUILD_LOCK = threading.Lock()  # one build at a time: concurrent requests wait, then reuse it


#: the registry revision's read (one row)
REVISION_SQL = "SELECT revision, epoch FROM registry_revision WHERE id = 1"
#: its name as a statement prepared on a psycopg connection (:func:`_revision_libpq`)
REVISION_STATEMENT = b"tradecoop_registry_revision"
#: ``session.info`` key of the memoised revision
_REVISION_MEMO = "registry_revision"


def revision(session: Session) -> tuple[str, int]:
    """The registry's last committed revision: ``(epoch, counter)``; every audited write raises
    the counter and the epoch is random per database (``("", 0)`` before migration 0002).

    Read once per transaction (memoised in ``session.info`` until the transaction ends). A session
    that has not connected yet reads it on a pooled connection taken for this one read, so it
    does not connect at all when every view it needs is cached (an API read then costs one pool
    checkout and one primary-key read: ~20 us on SQLite instead of ~120 us through the session;
    on PostgreSQL through libpq, see :func:`_revision_libpq`); a session in a transaction reads
    it on its own connection.
    """
    rev = session.info.get(_REVISION_MEMO)
    if rev is None:
        bind = session.get_bind()
        # The session's own connection when it has one (never two connections from one pool for
        # one request, which could exhaust the pool) or the database is SQLite's in-memory one
        own = session.in_transaction() or (bind.dialect.name == "sqlite" and bind.url.database in (None, "", ":memory:"))
        connection = session.connection().connection if own else bind.raw_connection()
        try:
            if not own and bind.dialect.driver == "psycopg":
                rev = _revision_libpq(connection)
            else:  # straight through the DB-API cursor (sqlite3 autocommits a SELECT)
                cursor = connection.driver_connection.cursor()
                try:
                    cursor.execute(REVISION_SQL)
                    row = cursor.fetchone()
                finally:
                    cursor.close()
                rev = (row[1], row[0]) if row else ("", 0)
        finally:
            if not own:
                connection.close()  # back to the pool
        session.info[_REVISION_MEMO] = rev
    return rev


def use_revision(session: Session, rev: tuple[str, int]) -> None:
    """Make ``rev`` the session's revision until its transaction ends, as if :func:`revision` had
    read it: for a revision read elsewhere *after* the session's work began (the API reads it
    asynchronously on PostgreSQL, :mod:`tradecoop.api.revisions`)."""
    session.info[_REVISION_MEMO] = rev


def _revision_libpq(connection: Any) -> tuple[str, int]:
    """``(epoch, revision)`` read on an idle pooled psycopg connection straight through libpq.

    psycopg's own ``cursor.execute`` costs ~110 us of CPU for this one-row read (adaptation,
    its prepare cache, its wait loop) and needs autocommit switched on and off so no ``BEGIN``
    is sent; one libpq ``PQexecPrepared`` of a statement prepared once per connection costs
    ~55 us, and an idle connection runs a lone statement in its own implicit transaction
    (PostgreSQL's autocommit). A lost connection is invalidated, so the pool replaces it.
    """
    from psycopg import pq

    pgconn = connection.driver_connection.pgconn
    try:
        result = _exec_revision(connection, pgconn)
        # the statement was discarded (DEALLOCATE ALL: psycopg sends it on a rollback once it has
        # prepared statements of its own), or the table changed under it: prepare it again, once
        if result.error_field(pq.DiagnosticField.SQLSTATE) in (b"26000", b"0A000"):
            connection.info.pop(REVISION_STATEMENT, None)
            result = _exec_revision(connection, pgconn)
        return revision_from_result(result, pgconn)
    except BaseException:
        if pgconn.status != pq.ConnStatus.OK:  # a lost connection: the pool must not hand it out again
            connection.invalidate()
        raise


def _exec_revision(connection: Any, pgconn: Any) -> Any:
    """The revision statement's result, prepared first if this connection has not prepared it."""
    if connection.info.get(REVISION_STATEMENT) is not pgconn:
        prepare_revision(pgconn, REVISION_STATEMENT)
        connection.info[REVISION_STATEMENT] = pgconn
    return pgconn.exec_prepared(REVISION_STATEMENT, [])


def prepare_revision(pgconn: Any, name: bytes) -> None:
    """Prepare :data:`REVISION_SQL` as ``name`` on a libpq connection (psycopg ``pgconn``)."""
    from psycopg import pq

    prepared = pgconn.prepare(name, REVISION_SQL.encode())
    if prepared.status != pq.ExecStatus.COMMAND_OK:
        raise _revision_failed(prepared, pgconn)


def revision_from_result(result: Any, pgconn: Any) -> tuple[str, int]:
    """``(epoch, revision)`` from libpq's result of :data:`REVISION_SQL` (``("", 0)`` without a
    row); :class:`psycopg.OperationalError` if the read failed (``result`` ``None``: no result)."""
    from psycopg import pq

    if result is None or result.status != pq.ExecStatus.TUPLES_OK:
        raise _revision_failed(result, pgconn)
    return (result.get_value(0, 1).decode(), int(result.get_value(0, 0))) if result.ntuples else ("", 0)


def _revision_failed(result: Any, pgconn: Any) -> Exception:
    from psycopg import OperationalError

    message = (result.error_message if result is not None else b"") or pgconn.error_message
    return OperationalError(f"reading the registry revision failed: {message.decode(errors='replace').strip()}")


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_revision(session: Session, _transaction: Any) -> None:
    forget_revision(session)


def forget_revision(session: Session) -> None:
    """Drop the session's memoised revision: the next :func:`revision` reads it again."""
    session.info.pop(_REVISION_MEMO, None)


def cached_view(session: Session, kind: str, build: Callable[[Session], Any], *, freeze: bool = True) -> Any:
    """``build(session)``, cached per database and ``kind`` until the registry's revision changes.

    Checking costs one primary-key read per transaction (:func:`revision`). Every write made through
    :class:`~tradecoop.registry.service.RegistryService` raises the revision in its own
    transaction, so a view is never older than the last committed write; rows written around
    the service (raw SQL) are seen after the next audited write.
    """
    current = revision(session)
    database = session.info.get("registry_url")
    if database is None:  # rendering the URL costs ~5 us: once per session
        database = session.info["registry_url"] = session.get_bind().url.render_as_string()
    key = (database, kind)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == current:
        return hit[1]
    with _BUILD_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] == current:
            return hit[1]
        _CACHE.pop(key, None)  # let the old view go before building the new one
        if freeze:
            gc.unfreeze()
        value = build(session)
        _CACHE[key] = (current, value)
        if freeze:
            # The views hold ~10^5 long-lived objects; a full collection walks them all (tens of
            # ms, paid by whichever request triggers it). Collect once now and move the survivors
            # to the permanent generation (gc.freeze), so later collections skip them.
            gc.collect()
            gc.freeze()
        return value


def search_index(session: Session) -> SearchIndex:
    """The name index of all enterprises (cached until the table changes)."""
    return cached_view(session, "search", lambda s: SearchIndex(s.execute(
        select(m.Enterprise.id, m.Enterprise.search_key).order_by(m.Enterprise.id)).all()))


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
