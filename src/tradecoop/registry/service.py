"""Registry use cases: every write in one transaction, checked, versioned and audited.

A :class:`RegistryService` wraps a SQLAlchemy session and the acting user's name. Writes:

* validate the input (:mod:`tradecoop.registry.records`), raising ``DataValidationError``;
* compare the caller's ``version`` with the stored one and raise ``ConflictError`` when they
  differ (the row is left unchanged); SQLAlchemy's ``version_id_col`` also catches a concurrent
  write between read and commit (``StaleDataError`` -> ``ConflictError``);
* add an :class:`~tradecoop.registry.models.AuditLog` row with the state before and after.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from tradecoop.errors import (
    AuthError,
    ConflictError,
    DataValidationError,
    NotFoundError,
    PermissionDeniedError,
)
from tradecoop.registry import models as m
from tradecoop.registry import repository as repo
from tradecoop.registry.records import SPECS, apply, check_location, period_end, to_dict

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger("tradecoop.registry")

TOKEN_PREFIX = "tc"
#: user names: letters, digits, spaces and . _ @ - (so no terminal markup or control characters)
USER_NAME = re.compile(r"^[\w.@ -]{1,120}$")
#: at most this many referring records are named when a delete is refused
REFERRERS_SHOWN = 20
T = TypeVar("T")


def hash_token(token: str, secret_key: str) -> str:
    """HMAC-SHA256 of the token keyed by the settings secret (hex); the stored form."""
    return hmac.new(secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()


def _writes(method: Callable[..., T]) -> Callable[..., T]:
    """A write of :class:`RegistryService`: its transaction starts as a writing one (on SQLite
    the write lock first, see :func:`tradecoop.registry.db.begin_write`) and any failure rolls it
    back (when the service commits), so no lock outlives a refused write."""

    @functools.wraps(method)
    def write(self: RegistryService, *args: Any, **kwargs: Any) -> T:
        from tradecoop.registry.db import begin_write

        begin_write(self.session)
        try:
            return method(self, *args, **kwargs)
        except BaseException:
            self._rollback()
            raise

    return write


class RegistryService:
    """Use cases over one session, on behalf of ``actor`` (a user name, 'cli' or 'seed')."""

    def __init__(self, session: Session, actor: str = "cli", *, autocommit: bool = True) -> None:
        self.session = session
        self.actor = actor
        #: False: the caller commits (bulk loads that must be all-or-nothing)
        self.autocommit = autocommit


    # --- generic CRUD ---------------------------------------------------------------------
    @_writes
    def create(self, entity: str, data: dict[str, Any]) -> Any:
        obj = SPECS[entity].model()
        apply(obj, data, creating=True)
        self._check_refs(obj)
        self.session.add(obj)
        self._flush()
        self._audit("create", entity, obj.id, None, to_dict(obj))
        self._commit()
        return obj

    @_writes
    def update(self, entity: str, record_id: int, data: dict[str, Any], *, version: int | None) -> Any:
        """Partial update; ``version`` must equal the stored version (``ConflictError`` otherwise)."""
        obj = repo.get(self.session, entity, record_id)
        self._check_version(entity, obj, version)
        before = to_dict(obj)
        apply(obj, data, creating=False)
        self._check_refs(obj)
        obj.updated_at = m.utcnow()  # forces an UPDATE (and a version bump) when only children change
        self._flush()
        self._audit("update", entity, obj.id, before, to_dict(obj))
        self._commit()
        return obj

    @_writes
    def delete(self, entity: str, record_id: int, *, version: int | None) -> None:
        """Delete a record; refused (``ConflictError`` naming them) while other records refer to it.

        Deleting never changes another record behind its back: no party emptied, no link cleared.
        """
        obj = repo.get(self.session, entity, record_id)
        self._check_version(entity, obj, version)
        referrers = repo.referrers(self.session, entity, record_id)
        if referrers:
            shown = ", ".join(f"{e} {i}" for e, i in referrers[:REFERRERS_SHOWN])
            more = f" and {len(referrers) - REFERRERS_SHOWN} more" if len(referrers) > REFERRERS_SHOWN else ""
            raise ConflictError(f"{entity} {record_id} is referred to by {shown}{more}; remove those references "
                                "first (nothing was deleted)")
        before = to_dict(obj)
        self.session.delete(obj)
        self._flush()
        self._audit("delete", entity, record_id, before, None)
        self._commit()

    # --- users ------------------------------------------------------------------------------
    @_writes
    def create_user(self, name: str, role: str, secret_key: str, *,
                    expires_at: dt.datetime | None = None) -> tuple[m.User, str]:
        """Create a user and return it with its token (shown once; only a keyed hash is stored).

        ``expires_at`` (UTC, naive or aware): the token fails from then on; ``None``: no expiry.
        Names are unique regardless of case.
        """
        from sqlalchemy import select

        if role not in m.USER_ROLES:
            raise DataValidationError(f"`role` must be one of {', '.join(m.USER_ROLES)}; found {role!r}")
        name = unicodedata.normalize("NFKC", name or "").strip()
        if not USER_NAME.match(name):
            raise DataValidationError(
                f"`name` must be 1-120 letters, digits, spaces and . _ @ - (no markup or control characters); found {name!r}")
        look = name_lookalike(name)
        taken = next((n for n in self.session.scalars(select(m.User.name)) if name_lookalike(n) == look), None)
        if taken is not None:
            raise ConflictError(f"a user named {taken!r} already exists (names that differ only in case or in "
                                "look-alike letters are one name)")
        user = m.User(name=name, role=role, token_prefix="", token_hash="")
        token = self._new_token(user, secret_key, expires_at)
        self.session.add(user)
        self._flush()
        self._audit("create", "user", user.id, None, user_public(user))
        self._commit()
        return user, token

    def get_user(self, ref: int | str) -> m.User:
        """The user with id ``ref`` (an int or a string of digits) or named ``ref``."""
        from sqlalchemy import select

        text = str(ref).strip()
        user = (self.session.get(m.User, int(text)) if text.isdigit()
                else self.session.scalar(select(m.User).where(m.User.name == text)))
        if user is None:
            raise NotFoundError(f"no user {'with id ' + text if text.isdigit() else 'named ' + repr(text)}")
        return user

    @_writes
    def update_user(self, ref: int | str, *, version: int | None = None, active: bool | None = None,
                    role: str | None = None) -> m.User:
        """Deactivate / reactivate a user or change its role (``version``: optional check)."""
        user = self.get_user(ref)
        if version is not None:
            self._check_version("user", user, version)
        before = user_public(user)
        if role is not None:
            if role not in m.USER_ROLES:
                raise DataValidationError(f"`role` must be one of {', '.join(m.USER_ROLES)}; found {role!r}")
            user.role = role
        if active is not None:
            user.active = bool(active)
        user.updated_at = m.utcnow()
        self._flush()
        self._audit("update", "user", user.id, before, user_public(user))
        self._commit()
        return user

    @_writes
    def reissue_token(self, ref: int | str, secret_key: str, *, version: int | None = None,
                      expires_at: dt.datetime | None = None) -> tuple[m.User, str]:
        """Give a user a new token (the old one fails at once); returns the user and the token."""
        user = self.get_user(ref)
        if version is not None:
            self._check_version("user", user, version)
        before = user_public(user)
        token = self._new_token(user, secret_key, expires_at)
        user.updated_at = m.utcnow()
        self._flush()
        self._audit("reissue-token", "user", user.id, before, user_public(user))
        self._commit()
        return user, token

    @_writes
    def delete_user(self, ref: int | str, *, version: int | None = None) -> None:
        """Delete a user (its token fails at once; the audit log keeps its name as the actor)."""
        user = self.get_user(ref)
        if version is not None:
            self._check_version("user", user, version)
        before = user_public(user)
        self.session.delete(user)
        self._flush()
        self._audit("delete", "user", before["id"], before, None)
        self._commit()

    @staticmethod
    def _new_token(user: m.User, secret_key: str, expires_at: dt.datetime | None) -> str:
        if expires_at is not None:
            if expires_at.tzinfo is not None:
                expires_at = expires_at.astimezone(dt.UTC).replace(tzinfo=None)
            if expires_at <= m.utcnow():
                raise DataValidationError(f"a token's expiry must be in the future; found {expires_at.isoformat()} UTC")
        prefix = secrets.token_hex(6)
        token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        user.token_prefix, user.token_hash, user.token_expires_at = prefix, hash_token(token, secret_key), expires_at
        return token

    def _check_version(self, entity: str, obj: Any, version: int | None) -> None:
        if version is None:
            raise DataValidationError(f"updating a {entity} needs its current `version` (optimistic concurrency); found none")
        if int(version) != obj.version:
            raise ConflictError(
                f"{entity} {obj.id} is at version {obj.version}; your change was based on version {version}. "
                "Reload it and apply your change again"
            )

    def _check_refs(self, obj: Any) -> None:
        """Referenced enterprises, agreements and projects must exist."""
        refs: list[tuple[str, int]] = []
        for child in ("parties", "participants"):
            refs += [("enterprise", p.enterprise_id) for p in getattr(obj, child, []) if p.enterprise_id]
        if getattr(obj, "agreement_id", None):
            refs.append(("agreement", obj.agreement_id))
        for link in getattr(obj, "links", []):
            if link.agreement_id:
                refs.append(("agreement", link.agreement_id))
            if link.project_id:
                refs.append(("project", link.project_id))
        for entity, rid in refs:
            if self.session.get(repo.MODELS[entity], rid) is None:
                raise NotFoundError(f"referenced {entity} {rid} does not exist")

    def _audit(self, action: str, entity: str, entity_id: int | None, before: Any, after: Any) -> None:
        """Log the write and raise the registry revision (in the write's transaction)."""
        from sqlalchemy import update

        self.session.add(m.AuditLog(actor=self.actor, action=action, entity=entity, entity_id=entity_id,
                                    before=before, after=after))
        rev = m.RegistryRevision
        rows = [m.REVISION_TOPICS[t] for t in ("all", *changed_topics(entity, before, after))]
        self.session.execute(update(rev).where(rev.id.in_(rows)).values(revision=rev.revision + 1))
        repo.forget_revision(self.session)  # this transaction's memo is stale now

    def _flush(self) -> None:
        from sqlalchemy.exc import IntegrityError
        from sqlalchemy.orm.exc import StaleDataError

        try:
            self.session.flush()
        except StaleDataError:
            self._rollback()
            raise ConflictError("the record was changed by someone else meanwhile; reload it and try again") from None
        except IntegrityError as exc:
            self._rollback()
            log.info("integrity error on write: %s", exc.orig)  # database text stays in the log
            raise ConflictError("the write conflicts with stored data (a duplicate value or a reference "
                                "to a missing record)") from None

    def _rollback(self) -> None:
        if self.autocommit:  # otherwise the caller's transaction or savepoint decides
            self.session.rollback()

    def _commit(self) -> None:
        from sqlalchemy.orm.exc import StaleDataError

        if not self.autocommit:
            return
        try:
            self.session.commit()
        except StaleDataError:
            self.session.rollback()
            raise ConflictError("the record was changed by someone else meanwhile; reload it and try again") from None


def changed_topics(entity: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The derived views (:data:`models.TOPIC_FIELDS`) that a write of ``entity`` from ``before``
    to ``after`` changes: for enterprises, those built from a field that changed (every view
    when one is created or deleted); none for other entities."""
    if entity != "enterprise":
        return []
    if before is None or after is None:
        return list(m.TOPIC_FIELDS)
    return [t for t, fields in m.TOPIC_FIELDS.items() if any(before.get(f) != after.get(f) for f in fields)]


def user_public(user: m.User) -> dict[str, Any]:
    """What may be shown about a user after creation (never the token or its hash)."""
    expires = user.token_expires_at.isoformat(timespec="seconds") if user.token_expires_at else None
    return {"id": user.id, "name": user.name, "role": user.role, "active": user.active,
            "token_expires_at": expires, "version": user.version}


def name_lookalike(name: str) -> str:
    """What a user name looks like: NFKC-normalised, transliterated to ASCII (``anyascii``: the
    Cyrillic 'а' in 'аdmin' becomes 'a'), case-folded; two names with the same form are one."""
    from anyascii import anyascii

    return " ".join(anyascii(unicodedata.normalize("NFKC", name)).casefold().split())


def list_users(session: Session) -> list[dict[str, Any]]:
    """Every user's public form, in id order."""
    from sqlalchemy import select

    return [user_public(u) for u in session.scalars(select(m.User).order_by(m.User.id))]


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a detached snapshot of a user (never its token or hash)."""

    id: int
    name: str
    role: str


def authenticate(session: Session, token: str | None, secret_key: str) -> Principal:
    """The active user owning ``token`` (raises :class:`AuthError`; constant-time comparison).

    One query on the unique ``token_prefix`` index per call, with no cache: a user deactivated,
    deleted or given a new token fails at once, in every process.
    """
    if not token:
        raise AuthError("authentication required: send `Authorization: Bearer <token>`")
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) > 16:
        raise AuthError("invalid token")
    user = repo.user_by_token_prefix(session, parts[1])
    if user is None or not user.active or not hmac.compare_digest(user.token_hash, hash_token(token, secret_key)):
        raise AuthError("invalid token")
    if user.token_expires_at is not None and user.token_expires_at <= m.utcnow():
        raise AuthError(f"token expired at {user.token_expires_at.isoformat(timespec='seconds')} UTC; "
                        "ask an admin for a new one (`tradecoop users reissue-token`)")
    return Principal(user.id, user.name, user.role)


def require_role(user: Principal, role: str) -> None:
    """Raise :class:`AuthError` unless ``user`` has ``role`` or a higher one."""
    if m.USER_ROLES.index(user.role) < m.USER_ROLES.index(role):
        raise PermissionDeniedError(f"forbidden: this needs the {role} role; {user.name!r} is a {user.role}")


# --- reported figures -----------------------------------------------------------------------
def reported_figures(
    session_or_url: Session | str | None = None,
    locations: Iterable[str] = (),
    *,
    metrics: Iterable[str] | None = None,
    match: Literal["all", "any"] = "all",
) -> list[dict[str, Any]]:
    """Reported figures about ``locations``, newest report first, as plain dicts.

    ``session_or_url``: an open session, a database URL, or ``None`` for the configured registry
    (``TRADECOOP_DATABASE_URL``, created and seeded on first use). ``locations`` are ISO codes
    ("BLR", "RU-CHE"); with ``match="all"`` (default) a figure must have every one of them among
    its parties, with ``"any"`` at least one; no locations: every figure. ``metrics`` narrows to
    those metric names.

    Each dict is the record's public form (``id, version, metric, value, unit, period, reporter,
    source_publisher, source_url, source_date, note, parties``) plus ``locations`` (the parties'
    ISO codes) and ``period_end`` (ISO date of the period's last day; for 'current' the source
    date). Order: ``source_date`` descending (undated last), then ``period_end`` descending, then
    id descending. Conflicting reports of one metric and period are all returned.
    """
    wanted = [check_location(code, "locations") for code in locations]
    if match not in ("all", "any"):
        raise DataValidationError(f"`match` must be 'all' or 'any'; found {match!r}")
    if session_or_url is None or isinstance(session_or_url, str):
        return _reported_figures_at(session_or_url, wanted, metrics, match)
    return _reported_figures(session_or_url, wanted, metrics, match)


def _reported_figures_at(url: str | None, wanted: list[str], metrics: Iterable[str] | None,
                         match: str) -> list[dict[str, Any]]:
    from tradecoop.registry.db import make_engine, session_factory
    from tradecoop.registry.settings import get_settings

    engine = make_engine(url if url is not None else get_settings().database_url)
    try:
        with session_factory(engine)() as session:
            return _reported_figures(session, wanted, metrics, match)
    finally:
        engine.dispose()


def _reported_figures(session: Session, wanted: list[str], metrics: Iterable[str] | None,
                      match: str) -> list[dict[str, Any]]:
    from sqlalchemy import select

    F, P = m.ReportedFigure, m.FigureParty
    stmt = select(F)
    if metrics is not None:
        stmt = stmt.where(F.metric.in_([str(x).strip().lower() for x in metrics]))
    if wanted and match == "any":
        stmt = stmt.where(F.id.in_(select(P.figure_id).where(P.location.in_(wanted))))
    for code in wanted if match == "all" else ():
        stmt = stmt.where(F.id.in_(select(P.figure_id).where(P.location == code)))
    out = []
    for figure in session.scalars(stmt):
        record = to_dict(figure)
        end = period_end(figure.period) if figure.period != "current" else figure.source_date
        record["locations"] = [p.location for p in figure.parties if p.location]
        record["period_end"] = end.isoformat() if end else None
        out.append(record)
    out.sort(key=_newest_first)
    return out


def _newest_first(record: dict[str, Any]) -> tuple[int, int, int]:
    """Sort key: the latest source date first (undated last), then the latest period end, then id."""
    return (-_ordinal(record["source_date"]), -_ordinal(record["period_end"]), -record["id"])


def _ordinal(iso: str | None) -> int:
    """Days since 0001-01-01 of an ISO date; 0 (sorts last when negated) for none."""
    return dt.date.fromisoformat(iso).toordinal() if iso else 0
