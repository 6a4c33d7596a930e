"""What the pair's answers read from the enterprise registry, each in one query.

* :func:`pair_firms` - the enterprises of each side (a country with those of its regions) as
  plain :class:`~tradecoop.reports.glance.Firm` records, read as columns in three queries (not
  one ORM object, or one query, per enterprise).
* :func:`capabilities_of` - a region's capability set (the HS headings its enterprises make),
  derived from those records: the registry is not read a second time for the ranking.
* :func:`pair_reported_figures` - reported figures (turnover, exports...) of the pair or its
  countries, newest report first, the pair's own first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tradecoop.reports import model as m
from tradecoop.reports.glance import Firm


def pair_firms(session: Any, codes: Iterable[str]) -> dict[str, list[Firm]]:
    """Registered enterprises of each location in ``codes``; a country also gets its regions'.

    Three column queries (enterprises, their products, their first source), not ORM objects: a
    pair with 10,000 registered enterprises is read in a fraction of a second.
    """
    import pycountry
    from sqlalchemy import or_, select

    from tradecoop.data.nomenclature.locations import parent_country
    from tradecoop.registry import models as rm

    codes = list(codes)
    out: dict[str, list[Firm]] = {c: [] for c in codes}
    wanted = []  # only the pair's enterprises are read: a location, or a country and its regions
    for c in codes:
        wanted.append(rm.Enterprise.location == c)
        if "-" not in c and (country := pycountry.countries.get(alpha_3=c)) is not None:
            wanted.append(rm.Enterprise.location.like(f"{country.alpha_2}-%"))
    E, P, S = rm.Enterprise, rm.EnterpriseProduct, rm.EnterpriseSource
    chosen = select(E.id).where(or_(*wanted)).scalar_subquery()
    makes: dict[int, set[str]] = {}
    needs: dict[int, set[str]] = {}
    for eid, hs, role in session.execute(select(P.enterprise_id, P.hs_code, P.role).where(P.enterprise_id.in_(chosen))):
        (makes if role == "product" else needs).setdefault(eid, set()).add(hs[:4])
    first_source: dict[int, str] = {}
    for eid, url in session.execute(select(S.enterprise_id, S.url).where(S.enterprise_id.in_(chosen)).order_by(S.id)):
        first_source.setdefault(eid, url)
    query = select(E.id, E.name_en, E.name_ru, E.location, E.city, E.nace, E.website).where(or_(*wanted)).order_by(E.id)
    for eid, name_en, name_ru, location, city, nace, website in session.execute(query):
        loc = location.upper()
        owners = [c for c in codes if c == loc or ("-" in loc and "-" not in c and parent_country(loc) == c)]
        if not owners:
            continue
        firm = Firm(eid, name_en, name_ru or "", loc, city or "", nace or "", website or "",
                    first_source.get(eid, website or ""), tuple(sorted(makes.get(eid, ()))),
                    tuple(sorted(needs.get(eid, ()))))
        for c in owners:
            out[c].append(firm)
    return out


def capabilities_of(code: str, firms: Iterable[Firm]) -> Any:
    """The capability set of region ``code`` from its registered makers, or None if it has none.

    Only enterprises registered at ``code`` itself count (a country's are not its region's).
    """
    from tradecoop.opportunities.context import Capabilities

    makers = [f for f in firms if f.location == code and f.makes]
    if not makers:
        return None
    products = tuple(sorted({hs for f in makers for hs in f.makes}))
    return Capabilities(code, products, f"registry: {len({f.name_en for f in makers})} enterprises, "
                                        f"{len(products)} HS4 headings")


def pair_reported_figures(session: Any, a: str, b: str) -> tuple[m.ReportedFigure, ...]:
    """Reported figures whose parties are the pair, or the pair's countries.

    Newest first (by source date). Figures of the parent countries (Belarus-Russia for
    Belarus-Chelyabinsk) are included; the renderer labels them as country level.
    """
    from tradecoop.data.nomenclature.locations import parent_country
    from tradecoop.registry.service import reported_figures as read

    countries = {parent_country(c) if "-" in c else c for c in (a, b)}
    wanted = [{a, b}, countries]
    rows = read(session, locations=tuple(sorted({a, b} | countries)), match="any")
    out = []
    for r in rows:
        parties = {str(p) for p in r.get("locations", ())}
        if parties not in wanted:
            continue
        out.append(m.ReportedFigure(
            metric=str(r["metric"]), value=float(r["value"]), unit=str(r.get("unit") or ""),
            period=str(r.get("period") or ""), parties=tuple(sorted(parties)),
            reporter=str(r.get("reporter") or ""), publisher=str(r.get("source_publisher") or ""),
            url=str(r.get("source_url") or ""), date=str(r.get("source_date") or ""),
            note=str(r.get("note") or "")))
    # the pair's own figures first; within each group the registry's order (newest report first)
    return tuple(sorted(out, key=lambda f: set(f.parties) != {a, b}))
