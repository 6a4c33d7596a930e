"""Request dependencies: one database session per request and the authenticated caller.

``DbSession`` is the request's session (a plain synchronous dependency: FastAPI runs it and the
routes in its thread pool, and closes the session after the route). ``Viewer``, ``Editor`` and
``Admin`` are the caller, authenticated on every request by one query on the unique index of its
token's prefix (no cache: a deactivated user fails at once, in every worker), with that role or
a higher one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from tradecoop.errors import DataValidationError
from tradecoop.registry.service import Principal, authenticate, require_role


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessionmaker() as session:
        yield session


#: the request's session (reads and writes; a write commits through the service)
DbSession = Annotated[Session, Depends(get_session)]
#: the same session, for routes that only read
ReadSession = DbSession

#: the OpenAPI security scheme (``Authorization: Bearer <token>``); checking is ours (401 shape)
bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearer",
                           description="a token from `tradecoop users create` or `POST /users`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


def _user_with(role: str):
    def dependency(request: Request, session: DbSession, credentials: Credentials) -> Principal:
        token = credentials.credentials.strip() if credentials is not None else None
        try:
            user = authenticate(session, token, request.app.state.settings.secret_key)
        finally:
            # the authentication read ends here, so a write starts a transaction of its own
            # (on SQLite a writing one, see registry.db.begin_write)
            session.rollback()
        require_role(user, role)
        return user

    return dependency


Viewer = Annotated[Principal, Depends(_user_with("viewer"))]
Editor = Annotated[Principal, Depends(_user_with("editor"))]
Admin = Annotated[Principal, Depends(_user_with("admin"))]


def etag(version: int) -> str:
    """The ``ETag`` of a record at ``version`` (a strong tag: the version number, quoted)."""
    return f'"{version}"'


def expected_version(request: Request, given: int | None) -> int:
    """The version a PATCH or DELETE is based on: ``given`` (body or ``?version=``), else the
    ``If-Match`` header's tag (as :func:`etag` writes it; ``W/`` accepted)."""
    if given is not None:
        return given
    header = request.headers.get("if-match")
    if header is None:
        raise DataValidationError("send the `version` you read (in the body; `?version=` for DELETE) or an "
                                  "`If-Match` header with the ETag you read; found neither")
    tag = header.strip().removeprefix("W/").strip('"')
    if not tag.isdigit() or len(tag) > 19:
        raise DataValidationError(f"`If-Match` must be an ETag of this API such as '\"3\"'; found {header!r}")
    return int(tag)
