"""Request dependencies: a database session per request and the authenticated user's role.

Short ``Annotated`` aliases: ``DbSession`` (writes), ``ReadSession`` (reads), ``Viewer``,
``Editor``, ``Admin``, and ``Reader`` (a read session and a viewer in one).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, NamedTuple

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from tradecoop.registry.repository import use_revision
from tradecoop.registry.service import Principal, authenticate, require_role


async def get_session(request: Request) -> AsyncIterator[Session]:
    with request.app.state.sessionmaker() as session:
        yield session


#: ``scope`` key of the list of read sessions a request opened (closed by :class:`ReadSessions`)
_READ_SESSIONS = "tradecoop.read_sessions"


async def get_read_session(request: Request) -> Session:
    """The request's session for reading (autocommit on PostgreSQL: no BEGIN/ROLLBACK).

    A plain function, not a ``yield`` dependency (those cost FastAPI an exit stack per request):
    :class:`ReadSessions` closes the session once the response is sent. It connects only if a
    query misses the per-revision caches (the revision itself is read on a pooled connection).
    """
    sessions = request.scope.get(_READ_SESSIONS)
    if sessions is None:
        raise RuntimeError("ReadSessions middleware is not installed")
    session = request.app.state.read_sessionmaker()
    sessions.append(session)
    return session


class ReadSessions:
    """ASGI middleware closing the read sessions a request opened (see :func:`get_read_session`)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sessions: list[Session] = []
        scope[_READ_SESSIONS] = sessions
        try:
            await self.app(scope, receive, send)
        finally:
            for session in sessions:
                if session.in_transaction() or session.identity_map:  # else it holds nothing
                    session.close()


#: the session of a request that writes (one transaction, committed by the service)
DbSession = Annotated[Session, Depends(get_session)]
#: the session of a request that only reads; authentication uses it too
ReadSession = Annotated[Session, Depends(get_read_session)]


#: the OpenAPI security scheme (``Authorization: Bearer <token>``); checking is ours (401 shape)
bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearer",
                           description="a token from `tradecoop users create` or `POST /users`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


async def _authorised(request: Request, session: Session, role: str,
                      credentials: HTTPAuthorizationCredentials | None) -> Principal:
    """The caller of ``request`` if its bearer token is valid and it has ``role`` (or higher).

    On PostgreSQL the registry revision that authentication (and every cached view after it)
    checks is read first without blocking the event loop (:mod:`tradecoop.api.revisions`);
    elsewhere, or if that fails, the first cached view reads it.
    """
    reader = request.app.state.revision_reader
    if reader is not None:
        revision = await reader.read()
        if revision is not None:
            use_revision(session, revision)
    token = credentials.credentials.strip() if credentials is not None else None
    user = authenticate(session, token, request.app.state.settings.secret_key)
    require_role(user, role)
    return user


def _user_with(role: str):
    async def dependency(request: Request, session: ReadSession, credentials: Credentials) -> Principal:
        return await _authorised(request, session, role, credentials)

    return dependency


Viewer = Annotated[Principal, Depends(_user_with("viewer"))]
Editor = Annotated[Principal, Depends(_user_with("editor"))]
Admin = Annotated[Principal, Depends(_user_with("admin"))]


class ViewerRead(NamedTuple):
    """A read session and the viewer (or higher) it serves."""

    session: Session
    user: Principal


async def _viewer_read(request: Request, credentials: Credentials) -> ViewerRead:
    session = await get_read_session(request)
    return ViewerRead(session, await _authorised(request, session, "viewer", credentials))


#: ``ReadSession`` and ``Viewer`` in one dependency, for the busiest routes (read, search, match):
#: FastAPI then resolves one dependency per request instead of three
Reader = Annotated[ViewerRead, Depends(_viewer_read)]
