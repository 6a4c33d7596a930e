"""``/api/v1/profile``, ``/api/v1/complexity`` and ``/api/v1/opportunities``: the library over HTTP.

Read-only (viewer role). Results are computed from the data store named by
``TRADECOOP_STORE`` (the bundled datasets at least) and cached per process by their parameters,
so repeated requests for the same pair are answered from memory. Every response carries the
provenance and ``estimated`` flags of the library result it serialises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query

from tradecoop.api.deps import Viewer
from tradecoop.api.schemas.common import ERROR_RESPONSES
from tradecoop.serialise import to_jsonable

router = APIRouter(tags=["analysis"])
_CACHE: dict[tuple, Any] = {}
_LOCK = threading.Lock()
#: results kept per process (oldest evicted first)
CACHE_SIZE = 64

Location = Annotated[str, Query(min_length=2, max_length=12, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,3})?$",
                                description="ISO 3166-1 alpha-3 (BLR) or ISO 3166-2 (RU-CHE)")]


def _cached(key: tuple, compute: Callable[[], Any]) -> Any:
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    value = compute()
    with _LOCK:
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = value
    return value


@router.get("/profile", responses=ERROR_RESPONSES)
def profile(_: Viewer, a: Location, b: Location,
            years: Annotated[str | None, Query(pattern=r"^\d{4}(:\d{4})?$", description="e.g. 2010:2016")] = None,
            ) -> dict[str, Any]:
    """Bilateral profile of A and B (same content as `tradecoop profile A B --format json`)."""
    from tradecoop.services.profile import pair_profile
    from tradecoop.services.request import PairRequest

    span = None
    if years:
        first, _, last = years.partition(":")
        span = (int(first), int(last or first))
    request = PairRequest.of(a, b)
    result = _cached(("profile", request.a, request.b, span), lambda: pair_profile(request, years=span))
    return to_jsonable(result.to_dict())


@router.get("/complexity", responses=ERROR_RESPONSES)
def complexity(_: Viewer,
               dataset: Annotated[str, Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")] = "world_hs4_2017",
               location: Annotated[str | None, Query(max_length=12)] = None,
               threshold: Annotated[float, Query(gt=0, le=100)] = 1.0) -> dict[str, Any]:
    """ECI of every location (and, with `location`, its per-product rows: RCA, density, COG, PCI)."""
    from tradecoop.complexity import compute_complexity
    from tradecoop.data.store import open_store

    def run():
        frame = open_store().read_location_product_values(dataset)
        return compute_complexity(frame, threshold=threshold)

    result = _cached(("complexity", dataset, threshold), run)
    out: dict[str, Any] = {"dataset": dataset, "threshold": threshold, "eci": result.eci_frame()}
    if location:
        rows = result.to_frame()
        out["products"] = rows[rows["location"] == location.upper()]
    return to_jsonable(out)


@router.get("/opportunities", responses=ERROR_RESPONSES)
def opportunities(_: Viewer, a: Location, b: Location,
                  year: Annotated[int | None, Query(ge=1960, le=2100)] = None,
                  types: Annotated[list[str] | None, Query(max_length=5)] = None,
                  top: Annotated[int, Query(ge=1, le=100)] = 10,
                  weights: Annotated[str, Query(pattern=r"^[a-z_]+$", description="a preset name")] = "balanced",
                  with_partners: bool = False) -> dict[str, Any]:
    """Ranked, explained opportunities (same content as `tradecoop opportunities A B --format json`)."""
    from tradecoop.opportunities.weights import preset_weights
    from tradecoop.services.opportunities import RankingOptions, pair_opportunities
    from tradecoop.services.request import PairRequest

    preset = preset_weights(weights)  # presets only over HTTP: never a server-side file path
    request = PairRequest.of(a, b, year=year)
    options = RankingOptions(types=tuple(types or ()), top=top, weights=preset, with_partners=with_partners)
    key = ("opportunities", request.a, request.b, year, options.types, top, weights, with_partners)
    ranking = _cached(key, lambda: pair_opportunities(request, options))
    return to_jsonable(ranking.to_dict())
