"""Use case: the briefing pack's model for a pair, every dataset computed once.

One :class:`~tradecoop.services.request.PairData` is shared by the sections: the store is
opened once, the registry is read once (enterprises for the summary, the region's capability
set for the ranking and the reported figures, in one session), and the profile, the ranking
and the gravity potential are each computed once. The pure assembly of the
:class:`~tradecoop.reports.model.Brief` from these parts is
:func:`tradecoop.reports.sections.assemble_brief`.

A part that cannot be computed for the pair goes into ``Brief.unavailable`` with the reason (the
renderer prints it), never silently left blank; a registry that cannot be read is a note.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import datetime
from typing import Any

from tradecoop.errors import DataQualityWarning, TradecoopError
from tradecoop.reports import model as m
from tradecoop.reports.sections import PROFILE_SECTIONS, BriefParts, assemble_brief
from tradecoop.services.request import PairData, PairRequest

#: opportunities per type asked of the engine (more than shown: the sector filter and the
#: summary page pick from them)
RANKED_PER_TYPE = 25
#: the bundled treaty list (DESTA)
TREATIES_DATASET = "treaties"


def build_brief(request: PairRequest, *, with_potential: bool = True, generated_at: datetime | None = None,
                data: PairData | None = None, progress: Callable[[str], None] | None = None) -> m.Brief:
    """Everything the briefing pack shows for the request's pair.

    ``request.year`` reaches every section: the aggregate series end there, the product-level
    data are of that year and the gravity window ends there. ``request.sectors`` narrow the
    ideas and the opportunities. ``with_potential=False`` skips the gravity fit (the web
    workspace's overview does not show it). ``progress`` is called with a line before each
    part (the CLI shows it in its spinner).
    """
    from tradecoop.services.opportunities import RankingOptions, pair_opportunities
    from tradecoop.services.profile import pair_profile

    data = data if data is not None else PairData(request)
    say = progress or (lambda _line: None)
    unavailable: dict[str, str] = {}
    notes: list[str] = []
    # the registry first: the ranking of a region reads its capability set from it
    say("reading the enterprise registry...")
    if _registry(data.firms, notes) is None:
        data.forget_registry()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQualityWarning)
        say("bilateral profile...")
        profile = _try(lambda: pair_profile(request, data=data), "profile", unavailable, PROFILE_SECTIONS)
        say("ranking opportunities...")
        ranking = _try(lambda: pair_opportunities(request, RankingOptions(top=RANKED_PER_TYPE), data=data),
                       "opportunities", unavailable, ("opportunities",))
        potential = None
        if with_potential and not request.regions:  # the gravity panel is country-level
            say("gravity potential...")
            potential = _try(lambda: _potential(request.a, request.b, request.year, progress), "gravity",
                             unavailable, ("potential",))
    notes += sorted({str(w.message) for w in caught})
    treaties = _try(lambda: data.store.read(TREATIES_DATASET), "treaties", unavailable, ("agreements",))
    parts = BriefParts(profile=profile, ranking=ranking, potential=potential, firms=data.firms(),
                       reported=_registry(data.reported, notes) or (), with_potential=with_potential,
                       treaties=treaties)
    return assemble_brief(request, parts, unavailable=unavailable, notes=notes, generated_at=generated_at)


def _registry(fn, notes: list[str]) -> Any:
    """Run a registry read; a registry that cannot be opened is a note, not a failed brief."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return fn()
    except (TradecoopError, OSError) as exc:
        notes.append(f"registry not read: {exc}")
    except SQLAlchemyError as exc:  # the database's text stays out of the brief
        notes.append(f"registry not read: {type(exc).__name__}")
    return None


def _try(fn, what: str, unavailable: dict[str, str], sections: tuple[str, ...]) -> Any:
    """Run one part; a tradecoop error makes its sections unavailable with the reason."""
    try:
        return fn()
    except TradecoopError as exc:
        for s in sections:
            unavailable.setdefault(s, f"{what} not available: {exc}")
        return None


def _potential(a: str, b: str, year: int | None, progress: Callable[[str], None] | None = None):
    """Gravity potential up to ``year``: the latest panel year at or before it (the panel has a
    year every four; the section names the years it used)."""
    from tradecoop.gravity.potential import trade_potential

    if year is None:
        return trade_potential(a, b, progress=progress)
    for candidate in range(year, year - 4, -1):
        try:
            return trade_potential(a, b, candidate, progress=progress)
        except TradecoopError as exc:
            if "not in the gravity panel" not in str(exc):
                raise
            last = exc
    raise last
