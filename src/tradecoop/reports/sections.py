"""The sections of a :class:`~tradecoop.reports.model.Brief`, assembled from computed parts (pure).

:func:`tradecoop.services.brief.build_brief` computes the parts once (the bilateral profile, the
opportunity ranking, the gravity potential, the registry's enterprises and reported figures);
:func:`assemble_brief` turns them into the brief's model: headline figures with their years,
the turnover series, structure tables, indices, dependencies, opportunity groups, potential,
treaties in force (the bundled treaty list), the summary's ideas and the provenance of every
table. Every section that cannot be filled goes into ``Brief.unavailable`` with the reason.
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from tradecoop.errors import TradecoopError
from tradecoop.reports import model as m
from tradecoop.reports.glance import build_ideas
from tradecoop.reports.render import OPPORTUNITIES_DATASET
from tradecoop.reports.sectors import in_sectors

#: opportunities per type shown in the brief
TOP_PER_TYPE = 5
#: dependency rows shown (highest dependency shares first)
DEPENDENCY_ROWS = 12
#: engine type (and direction) -> brief section type and value-method catalogue key
_TYPE_MAP = {
    ("supply", "ab"): ("supply_ab", "untapped_potential"),
    ("supply", "ba"): ("supply_ba", "untapped_potential"),
    ("localisation", "ab"): ("localisation_jv", "third_country_imports"),
    ("value_chain", "ab"): ("value_chain", "io_weighted_flow"),
    ("value_chain", "ba"): ("value_chain", "io_weighted_flow"),
    ("joint_entry", "ab"): ("joint_entry", "world_demand"),
    ("co_production", "ab"): ("co_production", "two_way_flow"),
}
_INDEX_KEYS = {
    ("trade intensity (TII)", "ab"): "figure.trade_intensity_ab",
    ("trade intensity (TII)", "ba"): "figure.trade_intensity_ba",
    ("trade complementarity (TC)", "ab"): "figure.trade_complementarity_ab",
    ("trade complementarity (TC)", "ba"): "figure.trade_complementarity_ba",
    ("export similarity (Finger-Kreinin)", "pair"): "figure.export_similarity",
    ("Grubel-Lloyd aggregate", "pair"): "figure.grubel_lloyd",
    ("HHI", "ab"): "figure.hhi_ab",
    ("HHI", "ba"): "figure.hhi_ba",
}


#: sections filled from the bilateral profile
PROFILE_SECTIONS = ("headline", "turnover", "structure", "complementarity", "dependencies")


@dataclass(frozen=True)
class BriefParts:
    """What the brief is assembled from, each computed once (None: could not be computed)."""

    profile: Any  # tradecoop.indicators.profile.BilateralProfile | None
    ranking: Any  # tradecoop.opportunities.engine.OpportunityRanking | None
    potential: Any  # tradecoop.gravity.potential.PotentialResult | None
    firms: dict[str, list[Any]]  # location -> tradecoop.reports.glance.Firm records
    reported: tuple[m.ReportedFigure, ...]
    with_potential: bool = True
    treaties: pd.DataFrame | None = None  # the bundled treaty list (None: not readable)


def assemble_brief(request: Any, parts: BriefParts, *, unavailable: dict[str, str], notes: list[str],
                   generated_at: datetime | None = None) -> m.Brief:
    """The brief of ``request`` (a :class:`~tradecoop.services.request.PairRequest`) from ``parts``.

    ``unavailable`` (section -> reason) and ``notes`` come from computing the parts and are
    extended here.
    """
    from tradecoop.data.nomenclature.locations import location_name

    a, b, year, lang, sectors = request.a, request.b, request.year, request.lang, request.sectors
    profile, ranking, potential, firms, reported = (parts.profile, parts.ranking, parts.potential,
                                                    parts.firms or {a: [], b: []}, parts.reported)
    with_potential = parts.with_potential
    pair = m.Pair(a, b, location_name(a, "en"), location_name(a, "ru"), location_name(b, "en"), location_name(b, "ru"))
    names = {"en": {a: pair.name_a_en, b: pair.name_b_en}, "ru": {a: pair.name_a_ru, b: pair.name_b_ru}}
    provenance: list[m.ProvenanceItem] = []
    regions_without_data = [c for c in (a, b) if "-" in c]
    if profile is not None:
        regions_without_data = []
    elif regions_without_data:
        for s in PROFILE_SECTIONS:  # said once, in the region section; the annex omits them
            unavailable[s] = m.REGION_NO_DATA
    if not with_potential:
        unavailable["potential"] = "reason.potential_skipped"
    elif regions_without_data or (potential is None and any("-" in c for c in (a, b))):
        unavailable["potential"] = "reason.potential_region"
    data_year = int(profile.headline.get("year", 0)) if profile is not None else 0
    brief_year = year or data_year or (ranking.year if ranking else 0) or 0

    headline, series, structure, indices, dependencies = (), None, (), (), None
    if profile is not None:
        headline = headline_figures(profile, ranking)
        series = turnover_series(profile)
        structure = structure_tables(profile, ranking.year if ranking else None)
        indices = index_figures(profile)
        dependencies = dependency_table(profile)
        if dependencies is None:
            unavailable["dependencies"] = "reason.no_import_data"
        provenance += [provenance_item(p) for p in profile.provenance]
        notes += list(profile.notes)
    groups = opportunity_groups(ranking, sectors) if ranking is not None else ()
    if ranking is not None:
        source = "; ".join(ranking.sources) + " + estimated bilateral flows (proportional allocation)"
        provenance.append(m.ProvenanceItem(OPPORTUNITIES_DATASET, source, str(ranking.year), "see DATA.md",
                                           True, " ".join(ranking.notes)[:600]))
    potentials = potential_rows(potential) if potential is not None else ()
    if potential is not None:
        provenance.append(m.ProvenanceItem("gravity", "PPML on bundled bilateral totals and CEPII GeoDist covariates",
                                           f"{min(potential.years_used)}-{max(potential.years_used)}",
                                           "see DATA.md", True, potential.uncertainty))
    agreements = agreements_in_force(a, b, parts.treaties) if parts.treaties is not None else None
    if agreements is None:
        unavailable.setdefault("agreements", "reason.no_agreements")
    ideas = build_ideas(a, b, ranking, firms, names, sectors=sectors)
    if not ideas:
        unavailable["glance"] = "reason.no_ideas"
    if not reported:
        unavailable["reported"] = "reason.no_reported"
    if reported:
        years = sorted({int(y) for f in reported for y in re.findall(r"(?:19|20)\d\d", f.period)})
        provenance.append(m.ProvenanceItem("reported figures", "registry: statements of officials and news agencies",
                                           f"{years[0]}-{years[-1]}" if years else "", "cited with URL", False, ""))
    regions = tuple(region_profile(c, pair, firms.get(c, []), c not in regions_without_data)
                    for c in (a, b) if "-" in c)
    return m.Brief(
        pair=pair, year=int(brief_year), lang=lang,
        generated_at=(generated_at or datetime.now(UTC)).replace(microsecond=0).isoformat(),
        headline=headline, series=series, structure=structure, indices=indices,
        dependencies=dependencies, opportunities=groups, potential=potentials,
        agreements=agreements, provenance=tuple(provenance),
        notes=tuple(dict.fromkeys(n for n in notes if n)), unavailable=unavailable,
        ideas=ideas, reported=reported, regions=regions, data_year=data_year, sectors=tuple(sectors),
        product_year=int(ranking.year) if ranking is not None else 0,
    )




def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def headline_figures(profile, ranking) -> tuple[m.Figure, ...]:
    """Headline numbers of the profile's latest year with both directions; every one with its year."""
    h = profile.headline
    src = str(h.get("source") or "bilateral_totals (UN Comtrade via penppml)")
    year = int(h["year"])
    figs = [
        m.Figure("figure.turnover", _num(h.get("turnover")), "usd", False, src, year),
        m.Figure("figure.exports_ab", _num(h.get("exports_a_to_b")), "usd", False, src, year),
        m.Figure("figure.exports_ba", _num(h.get("exports_b_to_a")), "usd", False, src, year),
        m.Figure("figure.balance", _num(h.get("balance")), "usd", False, src, year),
        m.Figure("figure.coverage", _num(h.get("coverage")), "ratio", False, src, year),
    ]
    first = h.get("cagr_from")
    if first is not None and int(first) < year:
        figs.append(m.Figure("figure.turnover_growth", _num(h.get("cagr_turnover")), "share", False, src, year,
                             note=f"period:{int(first)}-{year}"))
    real = _num(h.get("cagr_turnover_constant_usd"))
    if real is not None and first is not None:
        figs.append(m.Figure("figure.turnover_growth_real", real, "share", False,
                             src + "; US GDP deflator (World Bank, via tradestatistics)", year,
                             note=f"period:{int(first)}-{year}"))
    last = _last_interval_cagr(profile.series)
    if last is not None and last[0] != first:
        figs.append(m.Figure("figure.turnover_growth_last", last[2], "share", False, src, year,
                             note=f"period:{last[0]}-{last[1]}"))
    if ranking is not None and ranking.eci:
        for side, key in ((ranking.a, "figure.eci_a"), (ranking.b, "figure.eci_b")):
            value = _num(ranking.eci.get(side))
            if value is not None:
                figs.append(m.Figure(key, value, "index", False, f"world_hs4_{ranking.year} (economic complexity, HS4)",
                                     ranking.year))
    return tuple(figs)


def _last_interval_cagr(series) -> tuple[int, int, float] | None:
    """CAGR of turnover between the last two years with both directions reported."""
    full = series.dropna(subset=["exports_a_to_b", "exports_b_to_a"])
    if len(full) < 2:
        return None
    (y0, t0), (y1, t1) = ((int(r.year), float(r.turnover)) for r in full.tail(2).itertuples(index=False))
    if t0 <= 0 or t1 <= 0 or y1 <= y0:
        return None
    return y0, y1, (t1 / t0) ** (1.0 / (y1 - y0)) - 1.0


def turnover_series(profile) -> m.TurnoverSeries | None:
    s = profile.series
    if s.empty:
        return None

    def col(name):
        return tuple(_num(v) for v in s[name])

    ab, ba = col("exports_a_to_b"), col("exports_b_to_a")
    return m.TurnoverSeries(
        years=tuple(int(y) for y in s["year"]), exports_ab=ab, exports_ba=ba,
        turnover=col("turnover"), balance=col("balance"),
        missing_ab=tuple(v is None for v in ab), missing_ba=tuple(v is None for v in ba),
        source="UN Comtrade aggregate bilateral exports (penppml), observed",
    )


def structure_tables(profile, product_year: int | None) -> tuple[m.StructureTable, ...]:
    from tradecoop.data.nomenclature.hs import product_name
    from tradecoop.reports.names_ru import CLASS_NAMES_RU

    tables = []
    s = profile.structure
    estimated = bool((s["basis"] == "ESTIMATED").any()) if not s.empty else False
    year = (product_year or 2017) if estimated else int(profile.headline.get("year", 0) or 0)
    source = ("world_hs4_2017 + bilateral_totals (proportional allocation)" if estimated
              else str(profile.headline.get("source") or "observed product-level flows"))
    for level in ("hs_section", "lall", "bec"):
        for direction, label in (("ab", f"{profile.a}->{profile.b}"), ("ba", f"{profile.b}->{profile.a}")):
            sub = s[(s["level"] == level) & (s["direction"] == label)].sort_values("share", ascending=False).head(10)
            if sub.empty:
                continue
            rows = []
            for r in sub.itertuples(index=False):
                name_en = str(r.group)
                name_ru = CLASS_NAMES_RU.get(name_en, name_en)
                if level == "hs_section":
                    with contextlib.suppress(TradecoopError):
                        name_en, name_ru = product_name(str(r.group), "en"), product_name(str(r.group), "ru")
                code = str(r.group) if level == "hs_section" and str(r.group) != "unclassified" else ""
                rows.append(m.StructureRow(code, name_en, name_ru, float(r.value_usd), min(1.0, max(0.0, float(r.share)))))
            every = s[(s["level"] == level) & (s["direction"] == label)]
            tables.append(m.StructureTable(direction, level, tuple(rows), bool((sub["basis"] == "ESTIMATED").any()),
                                           source, year, _num(every["value_usd"].sum())))
    return tuple(tables)


def _direction(profile, text: str) -> str:
    if text == f"{profile.a}->{profile.b}":
        return "ab"
    if text == f"{profile.b}->{profile.a}":
        return "ba"
    return "pair"


def index_figures(profile) -> tuple[m.Figure, ...]:
    out = []
    for r in profile.indices.itertuples(index=False):
        key = _INDEX_KEYS.get((r.indicator, _direction(profile, r.direction)))
        value = _num(r.value)
        if key is None or value is None:
            continue
        unit = "share" if "Grubel" in r.indicator or r.indicator == "HHI" else "index"
        out.append(m.Figure(key, value, unit, r.basis == "ESTIMATED", f"{r.level}; {r.note}".strip("; "),
                            None if pd.isna(r.year) else int(r.year)))
    return tuple(out)


def dependency_table(profile) -> m.Table | None:
    from tradecoop.data.nomenclature.hs import product_name

    d = profile.dependency
    if d is None or d.empty:
        return None
    d = d.sort_values("dependency_share", ascending=False).head(DEPENDENCY_ROWS)
    rows = []
    for r in d.itertuples(index=False):
        try:
            name = {"en": product_name(r.product, "en")[:70], "ru": _russian_name(str(r.product))[:70]}
        except TradecoopError:
            name = str(r.product)
        rows.append((str(r.product), name, str(r.importer), str(r.supplier), _num(r.dependency_share),
                     _num(r.other_suppliers_hhi), _num(r.n_competitive_exporters)))
    return m.Table(
        columns=("col.code", "col.product", "col.importer", "col.supplier", "col.supplier_share",
                 "col.other_suppliers_hhi", "col.alternative_suppliers"),
        units=("text", "text", "text", "text", "share", "index", "count"),
        rows=tuple(rows), estimated=bool((d["basis"] == "ESTIMATED").any()),
        source="estimated imports by product (proportional allocation)", year=2017,
    )


def _russian_name(code: str) -> str:
    """The heading's Russian name; where the nomenclature has none, its chapter's (so marked)."""
    from tradecoop.data.nomenclature.hs import product_name

    name = product_name(code, "ru")
    if re.search("[а-яё]", name, re.I) or len(code) <= 2:
        return name
    return f"{product_name(code[:2], 'ru')} (глава {code[:2]})"


def opportunity_groups(ranking, sectors: tuple[str, ...] = ()) -> tuple[m.OpportunityGroup, ...]:
    by_type: dict[str, list[m.Opportunity]] = {t: [] for t in m.OPPORTUNITY_TYPES}
    for o in sorted(ranking.opportunities, key=lambda o: (o.type, o.direction, o.rank)):
        if (o.type, o.direction) not in _TYPE_MAP or not in_sectors(str(o.product), sectors):
            continue
        brief_type, method = _TYPE_MAP[(o.type, o.direction)]
        by_type[brief_type].append(m.Opportunity(
            type=brief_type, product=o.product, name_en=o.name_en, name_ru=o.name_ru, score=o.score,
            rank=o.rank, contributions=dict(o.contributions), value_at_stake=_num(o.value_usd),
            value_method=method, estimated=o.estimated, partners=tuple(o.partners),
            raw={p["criterion"]: [_num(p.get("raw_value")), str(p.get("raw_unit", "")), _num(p.get("rca")),
                                  str(p.get("proxy_of") or "")]
                 for p in getattr(o, "explanation", ()) if p.get("criterion") in o.contributions},
            supplier=o.source, buyer=o.target, value_note=str(getattr(o, "value_note", "") or ""),
        ))
    groups = []
    for t, items in by_type.items():
        if t == "value_chain":  # both directions in one group: best scores first
            items = sorted(items, key=lambda o: (-o.score, o.product))[:TOP_PER_TYPE]
        items = items[:TOP_PER_TYPE]
        groups.append(m.OpportunityGroup(t, tuple(items), "" if items else "reason.no_candidates"))
    return tuple(groups)


def potential_rows(result) -> tuple[m.Potential, ...]:
    out = []
    for d in result.directions:
        direction = "ab" if d.exporter == result.a else "ba"
        if d.actual is None:
            continue
        out.append(m.Potential(direction, float(d.actual), float(d.predicted), float(d.predicted_low),
                               float(d.predicted_high), (min(result.years_used), max(result.years_used)),
                               "PPML, exporter-year and importer-year fixed effects; " + result.uncertainty[:160],
                               tuple(result.caveats), True))
    return tuple(out)


#: DESTA treaty types that are not agreements between the pair themselves
_THIRD_PARTY_TYPES = ("plurilateral_and_third_country", "accession")


def agreements_in_force(a: str, b: str, t: pd.DataFrame) -> m.Table | None:
    """Treaties in force with both sides' countries as parties: no FTAs of a bloc with a third
    country, no accessions of third countries, no treaty never in force, one row per name.

    ``t``: the bundled treaty list (DESTA; ``name, type, parties, signed_year, in_force_year``).
    """
    from tradecoop.reports.names_ru import treaty_name

    countries = [_parent(c) if "-" in c else c for c in (a, b)]
    parties = t["parties"].astype(str).str.split(";")
    mask = parties.apply(lambda p: countries[0] in p and countries[1] in p)
    sub = t[mask & t["in_force_year"].notna() & ~t["type"].isin(_THIRD_PARTY_TYPES)]
    sub = sub.sort_values(["in_force_year", "name"]).drop_duplicates("name", keep="last")
    if sub.empty:
        return None
    rows = tuple((treaty_name(str(r.name)), {"en": str(r.type), "ru": _TREATY_TYPES_RU.get(str(r.type), str(r.type))},
                  str(int(r.signed_year)), str(int(r.in_force_year)), str(len(str(r.parties).split(";"))))
                 for r in sub.sort_values(["in_force_year", "name"], ascending=[False, True]).itertuples(index=False))
    return m.Table(columns=("col.agreement", "col.type", "col.signed", "col.in_force", "col.parties"),
                   units=("text", "text", "text", "text", "text"), rows=rows,
                   source="DESTA v2.0 (Dür, Baccini & Elsig 2014)", note="note.parties_count")


_TREATY_TYPES_RU = {"bilateral": "двусторонний", "plurilateral": "многосторонний"}


def _parent(code: str) -> str:
    from tradecoop.data.nomenclature.locations import parent_country

    return parent_country(code)


def provenance_item(p: dict[str, Any]) -> m.ProvenanceItem:
    return m.ProvenanceItem(str(p.get("table", "")), str(p.get("source", "")), "", "see DATA.md",
                            str(p.get("basis", "")) == "ESTIMATED", str(p.get("method", ""))[:300])


def region_profile(code: str, pair: m.Pair, firms: list, has_data: bool) -> m.RegionProfile:
    from tradecoop.data.nomenclature.locations import parent_country
    from tradecoop.reports.names_ru import city_name

    side = "a" if code == pair.a else "b"
    rows = tuple(
        ({"en": f.name_en, "ru": f.name_ru or f.name_en}, {"en": f.city, "ru": city_name(f.city, "ru")}, f.nace, " ".join(f.makes), " ".join(f.needs),
         f.website, f.source)
        for f in sorted(firms, key=lambda f: (f.nace, f.name_en)))
    table = m.Table(columns=("col.enterprise", "col.city", "col.nace", "col.makes", "col.needs", "col.website",
                             "col.source"), units=("text",) * 7, rows=rows,
                    source="tradecoop enterprise registry (curated; each row with its source)") if rows else None
    return m.RegionProfile(code, pair.name(side, "en"), pair.name(side, "ru"), has_data, table,
                           proxy_of=parent_country(code))
