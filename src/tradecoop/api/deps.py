"""Request dependencies: a database session per request and the authenticated user's role.

Short ``Annotated`` aliases: ``DbSession`` (writes), ``ReadSession`` (reads), ``Viewer``,
``Editor``, ``Admin``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from tradecoop.registry.service import Principal, authenticate, require_role


async def get_session(request: Request) -> AsyncIterator[Session]:
    with request.app.state.sessionmaker() as session:
        yield session


async def get_read_session(request: Request) -> AsyncIterator[Session]:
    """A session for requests that only read (autocommit on PostgreSQL: no BEGIN/ROLLBACK)."""
    with request.app.state.read_sessionmaker() as session:
        yield session


#: the session of a request that writes (one transaction, committed by the service)
DbSession = Annotated[Session, Depends(get_session)]
#: the session of a request that only reads; authentication uses it too
ReadSession = Annotated[Session, Depends(get_read_session)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _user_with(role: str):
    async def dependency(request: Request, session: ReadSession) -> Principal:
        user = authenticate(session, _bearer(request), request.app.state.settings.secret_key)
        require_role(user, role)
        return user

    return dependency


Viewer = Annotated[Principal, Depends(_user_with("viewer"))]
Editor = Annotated[Principal, Depends(_user_with("editor"))]
Admin = Annotated[Principal, Depends(_user_with("admin"))]
