"""``/api/v1/events``: list (kind, party location, ``q`` title search, pages) and CRUD."""

from __future__ import annotations

from fastapi import APIRouter

from tradecoop.api.routes._crud import add_crud, add_party_list
from tradecoop.api.schemas.records import EventCreate, EventPage, EventRead, EventUpdate

router = APIRouter(tags=["events"])


add_party_list(router, "event", "/events", EventPage, "events")
add_crud(router, "event", "/events", EventCreate, EventUpdate, EventRead)
