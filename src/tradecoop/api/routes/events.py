"""``/api/v1/events``: list (kind, party location, ``q`` title search, pages) and CRUD."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from tradecoop.api.deps import DbSession, Viewer
from tradecoop.api.routes._crud import add_crud, page_dict
from tradecoop.api.schemas.common import ERROR_RESPONSES
from tradecoop.api.schemas.records import EventCreate, EventPage, EventRead, EventUpdate
from tradecoop.registry import repository as repo

router = APIRouter(tags=["events"])


@router.get("/events", response_model=EventPage, responses=ERROR_RESPONSES)
def list_events(
    request: Request, session: DbSession, _: Viewer,
    q: Annotated[str | None, Query(max_length=200, description="text in the title")] = None,
    kind: Annotated[str | None, Query(max_length=200)] = None,
    location: Annotated[str | None, Query(max_length=200, description="a party's location")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """List events, filtered and paged."""
    limit = min(limit, request.app.state.settings.page_size_max)
    return page_dict(repo.list_records(session, "event", q=q, kind=kind, location=location, limit=limit, offset=offset))


add_crud(router, "event", "/events", EventCreate, EventUpdate, EventRead)
