"""ASGI middleware rejecting request bodies larger than ``TRADECOOP_MAX_BODY_BYTES`` with 413.

It checks the ``Content-Length`` header first and also counts the bytes actually received, so
chunked uploads without a length are cut off too.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException

_Scope = dict[str, Any]


class BodyTooLarge(HTTPException):
    """Raised while reading the body; FastAPI re-raises HTTPException, the handler answers 413."""


class BodySizeLimit:
    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: _Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await self._reject(send)
                    return
        received = 0
        started = False

        async def limited_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(413, f"request body larger than the limit of {self.max_bytes} bytes (TRADECOOP_MAX_BODY_BYTES)")
            return message

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._reject(send)

    async def _reject(self, send: Any) -> None:
        from tradecoop.api.errors import error_body

        body = json.dumps(error_body(413, f"request body larger than the limit of {self.max_bytes} bytes "
                                          "(TRADECOOP_MAX_BODY_BYTES)")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
