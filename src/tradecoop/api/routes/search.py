"""``/api/v1/search`` (names in any spelling) and ``/api/v1/match`` (partners by name or id)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from tradecoop.api.deps import Reader
from tradecoop.api.routes.enterprises import matches
from tradecoop.api.schemas.common import ERROR_RESPONSES
from tradecoop.api.schemas.enterprise import MatchResult, SearchHit
from tradecoop.registry import repository as repo

router = APIRouter(tags=["search"])


@router.get("/search", response_model=list[SearchHit], responses=ERROR_RESPONSES)
async def search(reader: Reader,
                 q: Annotated[str, Query(min_length=1, max_length=200, description="any spelling of a name")],
                 limit: Annotated[int, Query(ge=1, le=100)] = 10) -> Response:
    """Enterprises whose names match `q` in Cyrillic or Latin, abbreviated or misspelt, best first."""
    hits = repo.search_index(reader.session).rank(q, limit=limit)
    docs = repo.enterprise_json(reader.session, [h.id for h in hits])  # pre-serialised, cached per revision
    body = b",".join(b'{"score":%r,"enterprise":%s}' % (h.score, docs[h.id]) for h in hits)  # %r of a float is its JSON
    return Response(b"[" + body + b"]", media_type="application/json")


@router.get("/match", response_model=MatchResult, responses=ERROR_RESPONSES)
async def match(reader: Reader,
                enterprise: Annotated[str, Query(min_length=1, max_length=200, description="id or any spelling of a name")],
                across: bool = False, top: Annotated[int, Query(ge=1, le=200)] = 10) -> dict[str, Any]:
    """Partners for an enterprise given by id or name (see `/enterprises/{id}/matches`)."""
    from tradecoop.registry.matching import resolve_enterprise

    target = resolve_enterprise(reader.session, enterprise)
    return await matches(target.id, reader, across=across, top=top)
