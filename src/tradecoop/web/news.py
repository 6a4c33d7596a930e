"""The news review queue: facts extracted from news (``tradecoop news ingest``) with their
evidence highlighted in the source text; editors accept, edit or reject them through
:mod:`tradecoop.news.review` (accepting a figure creates a registry reported figure, an
agreement or project fact the matching record; the fact then links to it)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tradecoop.errors import ConflictError, DataValidationError, NotFoundError
from tradecoop.web import auth
from tradecoop.web.core import WebRoute, checked_form, db, read_db, render

router = APIRouter(route_class=WebRoute, include_in_schema=False)
STATUSES = ("pending", "edited", "accepted", "rejected")
#: record kinds an accepted fact can point to that have a page in the workspace
RECORD_PAGES = {"agreement": "/agreements", "project": "/projects", "enterprise": "/enterprises"}


def _user(request: Request) -> Any:
    with read_db(request) as session:
        return auth.current_user(request, session)


def _record_link(record: str | None) -> dict[str, Any] | None:
    if not record:
        return None
    entity, _, record_id = record.partition(":")
    page = RECORD_PAGES.get(entity)
    return {"entity": entity, "id": record_id, "href": f"{page}/{record_id}" if page else None}


@router.get("/news", response_class=HTMLResponse)
def queue(request: Request, status: str = "pending", type: str = "") -> HTMLResponse:
    from tradecoop.news.review import FACT_TYPES, list_facts

    user = _user(request)
    status = status if status in (*STATUSES, "all") else "pending"
    with read_db(request) as session:
        facts = list_facts(session, status=None if status == "all" else status,
                           fact_type=type if type in FACT_TYPES else None, limit=200)
    for fact in facts:
        fact["link"] = _record_link(fact["record"])
    return render(request, "news.html", {"facts": facts, "status": status, "type": type, "statuses": STATUSES,
                                         "types": FACT_TYPES}, user=user)


def _fact(session: Any, fact_id: int) -> tuple[Any, Any]:
    from tradecoop.registry.news_models import NewsDocumentRow, NewsFactRow

    fact = session.get(NewsFactRow, fact_id)
    if fact is None:
        raise NotFoundError(f"no news fact with id {fact_id}")
    return fact, session.get(NewsDocumentRow, fact.document_id)


def _page(request: Request, user: Any, fact_id: int, *, error: str = "", status: int = 200) -> HTMLResponse:
    from tradecoop.news.review import FACT_TYPES, POLARITIES, UNITS, fact_dict

    with read_db(request) as session:
        fact, doc = _fact(session, fact_id)
        data = fact_dict(fact, doc)
        text, start, end = doc.text, max(0, fact.start_char), min(len(doc.text), fact.end_char)
    data["link"] = _record_link(data["record"])
    for key in ("organizations", "persons"):
        data[f"{key}_text"] = ", ".join(_name(item) for item in data[key]) or "—"
    # the source text in three parts: before, the evidence (highlighted), after
    parts = (text[:start], text[start:end], text[end:]) if start < end else (text, "", "")
    return render(request, "news_fact.html", {"f": data, "parts": parts, "types": FACT_TYPES, "polarities": POLARITIES,
                                              "units": UNITS, "error": error}, user=user, status=status)


@router.get("/news/{fact_id}", response_class=HTMLResponse)
def fact_page(request: Request, fact_id: int) -> HTMLResponse:
    return _page(request, _user(request), fact_id)


@router.post("/news/{fact_id}/{action}", response_class=HTMLResponse)
async def review(request: Request, fact_id: int, action: str) -> Response:
    """Accept, reject or edit a fact (editors)."""
    from tradecoop.news import review as rv

    user, form = await checked_form(request, "editor")
    if action not in ("accept", "reject", "edit"):
        raise NotFoundError(f"no review action {action!r}; use accept, reject or edit")
    try:
        with db(request) as session:
            if action == "accept":
                rv.accept(session, fact_id, actor=user.name)
            elif action == "reject":
                rv.reject(session, fact_id, actor=user.name, note=str(form.get("note") or "").strip() or None)
            else:
                rv.edit(session, fact_id, _changes(form), actor=user.name)
    except (DataValidationError, ConflictError) as exc:
        return _page(request, user, fact_id, error=str(exc), status=409 if isinstance(exc, ConflictError) else 422)
    return RedirectResponse(f"/news/{fact_id}", status_code=303)


def _changes(form: Any) -> dict[str, Any]:
    """The edit form's fields as :func:`tradecoop.news.review.edit` changes (blank: none)."""
    changes: dict[str, Any] = {}
    for key in ("type", "polarity", "unit", "period", "date"):
        value = str(form.get(key) or "").strip()
        changes[key] = value or None
    if changes["type"] is None:
        changes.pop("type")
    if changes["polarity"] is None:
        changes.pop("polarity")
    text = str(form.get("value") or "").strip().replace(" ", "").replace(",", ".")
    try:
        changes["value"] = float(text) if text else None
    except ValueError:
        raise DataValidationError(f"`value` must be a number such as 500000000; found {text!r}") from None
    changes["locations"] = [p.strip().upper() for p in str(form.get("locations") or "").split(",") if p.strip()]
    return changes


def _name(item: Any) -> str:
    """An extracted organisation or person: a string, or an object with its name or text."""
    if isinstance(item, dict):
        return str(item.get("name") or item.get("text") or item.get("normal") or "")
    return str(item)
