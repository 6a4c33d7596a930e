"""The one place where errors become HTTP responses, all in one JSON shape::

    {"error": {"status": 404, "type": "not_found", "message": "no enterprise with id 7", "details": null}}

``tradecoop.errors`` classes map to status codes in :data:`STATUS`; FastAPI/Starlette errors
(404 unknown route, 405 wrong method, 422 invalid request) and unexpected exceptions (500, with
no internals in the message) use the same shape. A database that cannot be reached (or stays
locked past the busy timeout) gives 503 with ``Retry-After``; a value the database rejects (a NUL
character on PostgreSQL, a number out of range) gives 422. Database error text goes to the log,
never into a response.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from tradecoop.errors import (
    AuthError,
    ConfigurationError,
    ConflictError,
    DataValidationError,
    NotFoundError,
    PermissionDeniedError,
    TradecoopError,
)

log = logging.getLogger("tradecoop.api")

STATUS: tuple[tuple[type[TradecoopError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (DataValidationError, 422, "invalid"),
    (AuthError, 401, "unauthorized"),
    (ConfigurationError, 500, "configuration"),
    (TradecoopError, 400, "bad_request"),
)
_TYPES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid", 500: "internal",
          503: "unavailable"}
#: seconds a client is asked to wait (``Retry-After``) while the database is unavailable
RETRY_AFTER_S = 5


def error_body(status: int, message: str, details: Any = None, type_: str | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "type": type_ or _TYPES.get(status, "error"), "message": message, "details": details}}


def error_response(status: int, message: str, details: Any = None, type_: str | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 503:
        headers = {"Retry-After": str(RETRY_AFTER_S)}
    return JSONResponse(error_body(status, message, details, type_), status_code=status, headers=headers)


def status_of(exc: TradecoopError) -> tuple[int, str]:
    if isinstance(exc, PermissionDeniedError):
        return 403, "forbidden"
    for cls, status, type_ in STATUS:
        if isinstance(exc, cls):
            return status, type_
    return 400, "bad_request"  # pragma: no cover - TradecoopError is last in STATUS


#: paths that answer without a token (their 422s are shown to anyone)
PUBLIC_PATHS = ("/api/v1/health", "/api/v1/openapi.json")


def _unauthenticated(request: Request) -> JSONResponse | None:
    """The 401 for an API request without a valid token, or ``None`` (FastAPI validates the body
    before the authentication dependency runs, so a 422 would otherwise come first)."""
    from tradecoop.registry.service import authenticate

    path = request.url.path
    if not path.startswith("/api/") or path in PUBLIC_PATHS:
        return None
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        with request.app.state.sessionmaker() as session:
            authenticate(session, token.strip() if scheme.lower() == "bearer" else None,
                         request.app.state.settings.secret_key)
    except AuthError as exc:
        return error_response(401, str(exc))
    return None


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(TradecoopError)
    async def _tradecoop(_: Request, exc: TradecoopError) -> JSONResponse:
        status, type_ = status_of(exc)
        if status >= 500:
            log.error("server error: %s", type(exc).__name__)
        return error_response(status, str(exc), type_=type_)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else _TYPES.get(exc.status_code, "error")
        return error_response(exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        refused = _unauthenticated(request)
        if refused is not None:  # no parser detail for callers without a valid token
            return refused
        details = [{"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg"), "type": e.get("type")} for e in exc.errors()]
        first = details[0] if details else {"loc": [], "msg": "invalid request"}
        return error_response(422, f"invalid request: {'.'.join(first['loc'])}: {first['msg']}", details)

    @app.exception_handler(OperationalError)
    async def _unavailable(_: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", exc.orig)
        return error_response(503, f"the database is unavailable; try again in {RETRY_AFTER_S} s")

    @app.exception_handler(DataError)
    async def _rejected_value(_: Request, exc: DataError) -> JSONResponse:
        log.info("value rejected by the database: %s", exc.orig)
        return error_response(422, "a value was rejected by the database (out of range, or a NUL character)")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error %s", type(exc).__name__)
        return error_response(500, "internal server error")
