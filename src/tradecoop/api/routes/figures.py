"""``/api/v1/figures``: reported figures (dated, sourced facts): list (metric, party location,
period, pages) and CRUD."""

# no `from __future__ import annotations`: FastAPI must see the query annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from tradecoop.api.deps import ReadSession, Viewer
from tradecoop.api.routes._crud import add_crud, page_dict
from tradecoop.api.schemas.common import ERROR_RESPONSES, Offset
from tradecoop.api.schemas.records import FigureCreate, FigurePage, FigureRead, FigureUpdate
from tradecoop.registry import repository as repo

router = APIRouter(tags=["figures"])


@router.get("/figures", response_model=FigurePage, responses=ERROR_RESPONSES, summary="List figures")
def list_figures(
    request: Request, session: ReadSession, _: Viewer,
    metric: Annotated[str | None, Query(max_length=60, description="metric name, e.g. turnover")] = None,
    location: Annotated[str | None, Query(max_length=10, description="a party's ISO code, e.g. RU-CHE")] = None,
    period: Annotated[str | None, Query(max_length=60, description="exact period, e.g. 2024 or 2025H1")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50, offset: Offset = 0,
) -> dict[str, Any]:
    """List reported figures, filtered and paged (id order)."""
    limit = min(limit, request.app.state.settings.page_size_max)
    return page_dict(repo.list_figures(session, metric=metric, location=location, period=period,
                                       limit=limit, offset=offset))


add_crud(router, "figure", "/figures", FigureCreate, FigureUpdate, FigureRead)
