"""``/api/v1/search`` (names in any spelling) and ``/api/v1/match`` (partners by name or id)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from tradecoop.api.deps import ReadSession, Viewer
from tradecoop.api.routes.enterprises import matches
from tradecoop.api.schemas.common import ERROR_RESPONSES
from tradecoop.api.schemas.enterprise import MatchResult, SearchHit
from tradecoop.registry import repository as repo

router = APIRouter(tags=["search"])


@router.get("/search", response_model=list[SearchHit], responses=ERROR_RESPONSES)
def search(session: ReadSession, _: Viewer,
           q: Annotated[str, Query(min_length=1, max_length=200, description="any spelling of a name")],
           limit: Annotated[int, Query(ge=1, le=100)] = 10) -> list[dict[str, Any]]:
    """Enterprises whose names match `q` in Cyrillic or Latin, abbreviated or misspelt, best first."""
    hits = repo.search_index(session).rank(q, limit=limit)
    docs = repo.enterprise_documents(session, [h.id for h in hits])
    return [{"score": h.score, "enterprise": docs[h.id]} for h in hits if h.id in docs]


@router.get("/match", response_model=MatchResult, responses=ERROR_RESPONSES)
def match(session: ReadSession, viewer: Viewer,
          enterprise: Annotated[str, Query(min_length=1, max_length=200, description="id or any spelling of a name")],
          across: bool = False, top: Annotated[int, Query(ge=1, le=200)] = 10) -> dict[str, Any]:
    """Partners for an enterprise given by id or name (see `/enterprises/{id}/matches`)."""
    from tradecoop.registry.matching import resolve_enterprise

    target = resolve_enterprise(session, enterprise)
    return matches(target.id, session, viewer, across=across, top=top)
