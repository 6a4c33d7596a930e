"""``/api/v1/enterprises``: list (filters, ``q`` search, pages), CRUD, partner matches."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from tradecoop.api.deps import ReadSession, Viewer
from tradecoop.api.routes._crud import add_crud, page_dict
from tradecoop.api.schemas.common import ERROR_RESPONSES, RecordId
from tradecoop.api.schemas.enterprise import (
    EnterpriseCreate,
    EnterprisePage,
    EnterpriseRead,
    EnterpriseUpdate,
    MatchResult,
)
from tradecoop.registry import repository as repo
from tradecoop.registry.records import INT64_MAX

router = APIRouter(tags=["enterprises"])

Limit = Annotated[int, Query(ge=1, le=1000, description="page size (at most TRADECOOP_PAGE_SIZE_MAX)")]
Offset = Annotated[int, Query(ge=0, le=INT64_MAX)]


@router.get("/enterprises", response_model=EnterprisePage, responses=ERROR_RESPONSES)
def list_enterprises(
    request: Request, session: ReadSession, _: Viewer,
    q: Annotated[str | None, Query(max_length=200, description="any spelling of a name")] = None,
    location: Annotated[str | None, Query(max_length=200)] = None,
    nace: Annotated[str | None, Query(max_length=200)] = None,
    hs: Annotated[str | None, Query(max_length=200, description="HS code prefix of a product or input")] = None,
    role: Annotated[Literal["product", "input"] | None, Query()] = None,
    limit: Limit = 50, offset: Offset = 0,
) -> dict[str, Any]:
    """List enterprises, filtered and paged; with `q`, ranked by name match (any spelling)."""
    limit = min(limit, request.app.state.settings.page_size_max)
    page = repo.list_enterprises(session, q=q, location=location, nace=nace, hs=hs, role=role, limit=limit, offset=offset)
    return page_dict(page, item=dict)  # the items are the public JSON form already


@router.get("/enterprises/{record_id}/matches", response_model=MatchResult, responses=ERROR_RESPONSES)
def matches(
    record_id: RecordId, session: ReadSession, _: Viewer, across: bool = False,
    top: Annotated[int, Query(ge=1, le=200)] = 10,
) -> dict[str, Any]:
    """Partner enterprises ranked for this one; every row's contributions add up to its score."""
    from tradecoop.registry.matching import match_index

    index = match_index(session)  # built in this thread (the pool), rebuilt when the registry changes
    return {"enterprise_id": record_id, "partners": index.rank(record_id, across=across, top=top),
            "notes": list(index.notes)}


add_crud(router, "enterprise", "/enterprises", EnterpriseCreate, EnterpriseUpdate, EnterpriseRead)
