"""What every page shares: the templates, :func:`render`, and :class:`WebRoute`, which turns
the workspace's errors into pages (a redirect to sign-in, 403, 404, 422) instead of the API's
JSON error bodies."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from tradecoop.errors import DataValidationError, NotFoundError
from tradecoop.registry.service import Principal
from tradecoop.reports import i18n as brief_i18n
from tradecoop.web import auth
from tradecoop.web.i18n import LANGS, brief_label, kind_label, label, request_lang

log = logging.getLogger("tradecoop.web")
HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
TEMPLATES.env.trim_blocks = True
TEMPLATES.env.lstrip_blocks = True


def render(request: Request, name: str, context: dict[str, Any] | None = None, *,
           user: Principal | None = None, status: int = 200) -> HTMLResponse:
    """Render template ``name`` in the request's language with the labels, the user, the CSRF
    token and the language toggle; writes a new session cookie when the request had none."""
    lang = request_lang(request)
    session = auth.ensure_session(request)
    other = LANGS[1 - LANGS.index(lang)]

    def money(value: float | None) -> str:
        return brief_i18n.format_money(value, lang) if value is not None else "—"

    ctx = {
        "lang": lang, "other_lang": other, "user": user, "csrf": session.csrf,
        "t": lambda key, **fields: label(key, lang, **fields),
        "bt": lambda key, fallback, **fields: brief_label(key, lang, fallback, **fields),
        "num": lambda value, decimals=0: brief_i18n.format_number(value, lang, decimals),
        "money": money,
        "kind": lambda value: kind_label(value, lang),
        "can_edit": user is not None and auth.can(user, "editor"),
        "is_admin": user is not None and auth.can(user, "admin"),
        "path": request.url.path,
        "today": dt.date.today(),
        **(context or {}),
    }
    response = TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)
    response.headers["Content-Language"] = lang
    response.headers["Cache-Control"] = "no-store"
    if auth.session_is_new(request):
        auth.write_session(request, response, session)
    return response


def error_page(request: Request, status: int, message: str, user: Principal | None = None) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message}, user=user, status=status)


class WebRoute(APIRoute):
    """An ``APIRoute`` whose handler renders the workspace's own error pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            lang = request_lang(request)
            try:
                return await handler(request)
            except auth.SignInRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                url = f"/signin?next={quote(target, safe='')}"
                if request.headers.get("hx-request"):
                    return Response(status_code=204, headers={"HX-Redirect": url})
                return RedirectResponse(url, status_code=303)
            except auth.Forbidden as exc:
                log.info("refused %s %s: %s", request.method, request.url.path, exc)
                return error_page(request, 403, label(exc.key, lang))
            except NotFoundError as exc:
                return error_page(request, 404, f"{label('error.not_found', lang)} {exc}")
            except (DataValidationError, RequestValidationError) as exc:
                message = str(exc) if isinstance(exc, DataValidationError) else _validation_message(exc)
                return error_page(request, 422, label("error.invalid", lang, message=message))

        return route


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        parts.append(f"{where}: {err.get('msg')}")
    return "; ".join(parts)


def db(request: Request) -> Any:
    """A new session for writes (use as a context manager)."""
    return request.app.state.sessionmaker()


def read_db(request: Request) -> Any:
    """A new read-only session (use as a context manager)."""
    return request.app.state.sessionmaker()


async def checked_form(request: Request, role: str) -> tuple[Principal, Any]:
    """The form of a POST by a user with ``role`` or higher and a valid CSRF token (else 403)."""
    form = await request.form()
    auth.check_csrf(request, form)
    with read_db(request) as session:
        user = auth.current_user(request, session)
    auth.require_role(user, role)
    return user, form
