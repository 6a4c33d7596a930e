"""Partner enterprises for a product, from an index kept per registry revision.

:func:`tradecoop.registry.matching.partners_for_product` loads every enterprise of a location
with its products as ORM objects (~1 s per side at 10,000 enterprises), too slow for a page. This
module scores exactly as it does (:data:`~tradecoop.registry.matching.PRODUCT_POINTS`: makes the
heading 60, else the chapter 30; needs the heading 40, else the chapter 20; best first, ties by
id) from an index of (location, HS chapter) -> (enterprise, code, role) rows, built once per
registry revision with :func:`tradecoop.registry.repository.cached_view`. The browser and unit
tests hold the two to the same answers.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tradecoop.registry.matching import PRODUCT_POINTS


def _build(session: Any) -> dict[tuple[str, str], list[tuple[int, str, str]]]:
    from sqlalchemy import select

    from tradecoop.registry import models as m

    E, P = m.Enterprise, m.EnterpriseProduct
    index: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
    rows = session.execute(select(E.location, P.enterprise_id, P.hs_code, P.role).join(E, E.id == P.enterprise_id))
    for location, enterprise_id, code, role in rows:
        index[(location, code[:2])].append((enterprise_id, code, role))
    return dict(index)


def partners(session: Any, hs: str, location: str, *, top: int = 10) -> list[tuple[int, float]]:
    """``(enterprise id, score)`` of the enterprises in ``location`` that make or need ``hs``."""
    from tradecoop.registry import repository as repo
    from tradecoop.registry.records import check_hs, check_location

    hs, location = check_hs(hs, "hs"), check_location(location)
    index = repo.cached_view(session, "web-partners", _build)
    points: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(PRODUCT_POINTS, 0.0))
    for enterprise_id, code, role in index.get((location, hs[:2]), ()):
        verb = "makes" if role == "product" else "needs"
        pts = points[enterprise_id]
        if code[:4] == hs[:4] and len(hs) >= 4:
            pts[f"{verb}_heading"] = PRODUCT_POINTS[f"{verb}_heading"]
        else:
            pts[f"{verb}_chapter"] = PRODUCT_POINTS[f"{verb}_chapter"]
    scored = []
    for enterprise_id, pts in points.items():
        makes = pts["makes_heading"] or pts["makes_chapter"]
        needs = pts["needs_heading"] or pts["needs_chapter"]
        scored.append((enterprise_id, makes + needs))
    scored.sort(key=lambda row: (-row[1], row[0]))
    return scored[:top]
