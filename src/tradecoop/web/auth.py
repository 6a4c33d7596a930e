"""Sign-in, the session cookie, CSRF tokens and roles of the web workspace.

* **Sign-in** takes a user's API token (``tradecoop users create``); it is checked with the
  registry's :func:`~tradecoop.registry.service.authenticate` and never stored. The session
  remembers the user's id, its token prefix and a digest of the stored token hash, so a
  deactivated user, or one whose token was reissued, is signed out at the next request.
* **The session cookie** (``tradecoop_session``) is signed with itsdangerous under a key derived
  from ``TRADECOOP_SECRET_KEY``, expires after :data:`SESSION_MAX_AGE`, and is ``HttpOnly``,
  ``SameSite=Lax`` and ``Secure`` outside development.
* **CSRF**: every session, signed in or not, holds a random token; every form carries it in
  ``csrf_token`` (htmx requests in the ``X-CSRF-Token`` header) and every POST is refused with
  403 unless it matches (compared in constant time). The token is renewed at sign-in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from tradecoop.errors import AuthError
from tradecoop.registry import repository as repo
from tradecoop.registry.models import USER_ROLES, utcnow
from tradecoop.registry.service import Principal, authenticate

SESSION_COOKIE = "tradecoop_session"
#: seconds a session lasts after sign-in
SESSION_MAX_AGE = 12 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class SignInRequired(Exception):
    """No valid session: the page redirects to the sign-in page."""


class Forbidden(Exception):
    """The user's role does not allow this, or the CSRF token is missing or wrong (403)."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(detail or key)
        self.key = key


@dataclass(frozen=True)
class WebSession:
    """The decoded session cookie: its CSRF token and, once signed in, who is signed in."""

    csrf: str
    user_id: int | None = None
    prefix: str | None = None
    digest: str | None = None

    def dump(self) -> dict[str, Any]:
        return {"c": self.csrf, "u": self.user_id, "p": self.prefix, "d": self.digest}


def _serializer(request: Request) -> URLSafeTimedSerializer:
    secret = request.app.state.settings.secret_key
    key = hmac.new(secret.encode(), b"tradecoop.web.session", hashlib.sha256).hexdigest()
    return URLSafeTimedSerializer(key, salt="tradecoop.web.session")


def _hash_digest(token_hash: str) -> str:
    return hashlib.sha256(token_hash.encode()).hexdigest()[:32]


def read_session(request: Request) -> WebSession | None:
    """The session of ``request`` if its cookie is present, unmodified and not expired."""
    cached = request.scope.get("tradecoop.web_session")
    if cached is not None:
        return cached
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(request).loads(raw, max_age=SESSION_MAX_AGE)
        session = WebSession(str(data["c"]), data.get("u"), data.get("p"), data.get("d"))
    except (BadSignature, KeyError, TypeError):
        return None
    request.scope["tradecoop.web_session"] = session
    return session


def ensure_session(request: Request) -> WebSession:
    """The request's session, or a new anonymous one (written by :func:`write_session`)."""
    session = read_session(request)
    if session is None:
        session = WebSession(secrets.token_urlsafe(32))
        request.scope["tradecoop.web_session"] = session
        request.scope["tradecoop.web_session_new"] = True
    return session


def write_session(request: Request, response: Response, session: WebSession | None) -> None:
    """Set (or, with ``None``, delete) the session cookie on ``response``."""
    secure = request.app.state.settings.env != "development"
    if session is None:
        response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
        return
    response.set_cookie(SESSION_COOKIE, _serializer(request).dumps(session.dump()), max_age=SESSION_MAX_AGE,
                        path="/", secure=secure, httponly=True, samesite="lax")


def session_is_new(request: Request) -> bool:
    return bool(request.scope.get("tradecoop.web_session_new"))


def sign_in(request: Request, db: Any, token: str) -> tuple[Principal, WebSession]:
    """Check ``token`` and return the user with a fresh session (new CSRF token).

    Raises :class:`AuthError` for an invalid token or an inactive user.
    """
    token = (token or "").strip()
    principal = authenticate(db, token, request.app.state.settings.secret_key)
    prefix = token.split("_", 2)[1]
    stored = repo.users_by_token_prefix(db)[prefix]
    return principal, WebSession(secrets.token_urlsafe(32), principal.id, prefix, _hash_digest(stored[4]))


def current_user(request: Request, db: Any) -> Principal:
    """The signed-in user (raises :class:`SignInRequired`)."""
    session = read_session(request)
    if session is None or session.user_id is None or session.prefix is None:
        raise SignInRequired()
    user = repo.users_by_token_prefix(db).get(session.prefix)
    # (id, name, role, active, token hash[, token expiry]): the same user, still active, with the
    # same token, not expired
    if (user is None or user[0] != session.user_id or not user[3]
            or not hmac.compare_digest(_hash_digest(user[4]), session.digest or "")):
        raise SignInRequired()
    if len(user) > 5 and user[5] is not None and user[5] <= utcnow():
        raise SignInRequired()
    return Principal(user[0], user[1], user[2])


def require_role(user: Principal, role: str) -> None:
    """Raise :class:`Forbidden` unless ``user`` has ``role`` or a higher one."""
    if USER_ROLES.index(user.role) < USER_ROLES.index(role):
        raise Forbidden("error.forbidden", f"{user.name!r} is a {user.role}; this needs {role}")


def can(user: Principal, role: str) -> bool:
    return USER_ROLES.index(user.role) >= USER_ROLES.index(role)


def check_csrf(request: Request, form: Any) -> None:
    """Raise :class:`Forbidden` unless the form field or header carries the session's token."""
    session = read_session(request)
    sent = (form.get(CSRF_FIELD) if form is not None else None) or request.headers.get(CSRF_HEADER) or ""
    if session is None or not isinstance(sent, str) or not hmac.compare_digest(sent, session.csrf):
        raise Forbidden("error.csrf")


__all__ = [
    "AuthError",
    "Forbidden",
    "SignInRequired",
    "WebSession",
    "can",
    "check_csrf",
    "current_user",
    "ensure_session",
    "read_session",
    "require_role",
    "sign_in",
    "write_session",
]
