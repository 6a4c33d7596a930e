"""Assemble a :class:`PairContext` for (A, B) from the store: the one place the opportunity engine's
data are read.

Steps (each labelled in the context's ``sources`` / ``notes`` / ``estimated``):

1. World exports by location x product for one year (default: the bundled ``world_hs4_2017``,
   every country's exports to the world by HS4, UN Comtrade) -> economic complexity on the whole
   world matrix (:func:`tradecoop.complexity.compute_complexity`): RCA, M, density, distance,
   PCI, COG.
2. A region (ISO 3166-2, e.g. ``RU-CHE``) is never added to the matrix and never inherits its
   country's numbers. With its own reporter file in the store (a ``reported_flows`` dataset whose
   ``reporter`` is the region, e.g. FCS customs data) its exports are evaluated as an *external*
   location against the countries' product space (docs/methods.md section 2) and its own imports and
   flows with the partner are used. Without one, the caller passes a registry-derived capability
   set (``capabilities``), labelled as such; the country's imports, flows and input-output demand
   stand in *for ranking only* (``Side.proxy_of``, label "Russia, country level"), and no value at
   stake rests on them.
3. Bilateral product flows and each side's imports by product: observed when the store holds a
   reporter file (``reported_flows``) of one side naming the other, else estimated by
   proportional allocation (:mod:`tradecoop.data.estimation`) and flagged ``estimated``.
4. The pair's pooled capabilities max(M_A, M_B) evaluated as one external location (density,
   distance and COG for joint entry).
5. The engine's feasibility score (:mod:`tradecoop.opportunities.feasibility`) for each side
   that the bundled BRICS+ panel covers (Russia; not Belarus), learned from years up to ``year``.
6. Imported-input demand of each side's industries for each product (OECD ICIO 2022 imported
   input coefficients x gross output, :mod:`tradecoop.opportunities.icio`; WIOD 2011 imported
   coefficients with exports as an output proxy for countries outside the extract), allocated to
   products by world export shares; the observed 2022 sector flows between the pair as context.
7. BEC end-use class (intermediate goods) and product names in English and Russian.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tradecoop.errors import DataQualityWarning, NotFoundError, TradecoopError
from tradecoop.opportunities.context import Capabilities, PairContext, Side
from tradecoop.services.request import PairRequest

if TYPE_CHECKING:
    from tradecoop.data.store import Store

DEFAULT_WORLD_DATASET = "world_hs4_2017"
BILATERAL_TOTALS_DATASET = "bilateral_totals"
IO_DATASET = "io_coefficients"
#: panel and world totals the feasibility model learns from (BRICS+ exporters, HS6, 2015-2024)
FEASIBILITY_PANEL = ("brics_hs6", "world_totals_hs6")
FEASIBILITY_WINDOW = 3
#: WIOD 2013 covers 40 economies; every other country is in its rest of the world
WIOD_REST_OF_WORLD = "ROW"


def pair_context(
    request: PairRequest,
    *,
    dataset: str = DEFAULT_WORLD_DATASET,
    capabilities: Mapping[str, Capabilities] | None = None,
    handle: Store | None = None,
) -> PairContext:
    """Everything the opportunity criteria need for the request's pair, on one product list.

    ``request.year`` picks the year of ``dataset`` (default: its latest); ``handle`` is an open
    store (default: the request's store, opened here).
    """
    from tradecoop.data.nomenclature.locations import parent_country
    from tradecoop.data.store import open_store

    a, b = request.a, request.b
    handle = handle if handle is not None else open_store(request.store)
    world_info = handle.info(dataset)
    world, year, cy = _world(handle, dataset, request.year)
    products = np.asarray(cy.products).astype(str)
    world_exports = cy.values.sum(axis=0)
    notes: list[str] = []
    sources = [world_info.provenance_label]
    capabilities = dict(capabilities or {})

    digits = len(products[0])
    reported = {code: _reported(handle, code, year, digits, notes) for code in (a, b)}
    sides: dict[str, dict] = {}
    for code in (a, b):
        sides[code] = _side_capabilities(code, cy, capabilities.get(code), notes, reported[code])

    flows, imports, flow_info = _flows_and_imports(a, b, handle, (dataset, world), year, products, parent_country,
                                                   reported)
    notes.extend(flow_info["notes"])
    pooled = np.fmax(sides[a]["M"], sides[b]["M"])
    pair = _external(world_exports * pooled, cy)
    io, _io_method, io_extra = _io_demand((a, b), handle, cy, products, parent_country, notes)
    feasibility = _feasibility((a, b), year, products, handle, notes)
    intermediate = _intermediate(products, world_info.hs_vintage)
    names_en, names_ru = _names(products)

    locations = list(np.asarray(cy.locations).astype(str))

    def side(code: str) -> Side:
        s = sides[code]
        est = {"imports"} if code in flow_info["imports_estimated"] else set()
        if s["evidence"] == "registry":
            est.add("exports")
        proxy = set(flow_info["proxy_fields"].get(code, ()))
        if "-" in code:
            proxy.add("io_demand")  # input-output tables are national: a region's output mix is unknown
        country = parent_country(code)
        label = _label(code) if not proxy - {"io_demand"} else f"{_label(country)}, country level (proxy for {code})"
        net = _net_exporter(s["rca"], s["exports"], imports[code])
        if s["evidence"] == "registry" and country in locations:  # the region's RCA is unknown: its country's stands in
            i = locations.index(country)
            net = _net_exporter(cy.rca[i], cy.values[i], flow_info["country_imports"][code])
        return Side(
            code=code, exports=s["exports"], imports=imports[code], rca=s["rca"], M=s["M"],
            density=s["density"], distance=1.0 - s["density"], cog=s["cog"],
            feasibility=feasibility[code], io_demand=io[code],
            estimated=frozenset(est), evidence=s["evidence"], eci=s["eci"],
            proxy_of=country if proxy else None, proxy_fields=frozenset(proxy), label=label,
            net_exporter=net,
        )

    return PairContext(
        a=side(a), b=side(b), year=year, products=products, hs_level=len(products[0]),
        hs_vintage=world_info.hs_vintage or "", world_exports=world_exports, pci=cy.pci,
        pair_density=pair.density, pair_distance=1.0 - pair.density, pair_cog=pair.cog,
        flow_ab=flows[(a, b)][0], flow_ba=flows[(b, a)][0],
        total_ab=flows[(a, b)][1], total_ba=flows[(b, a)][1],
        intermediate=intermediate, names_en=names_en, names_ru=names_ru,
        estimated=frozenset(flow_info["flows_estimated"]),
        sources=tuple(sources + flow_info["sources"]), notes=tuple(notes), flow_years=flow_info["years"],
        extra=io_extra,
    )


def _side_capabilities(code: str, cy, caps: Capabilities | None, notes: list[str], reported: dict | None) -> dict:
    """RCA, M, density, COG and exports of one side (a country of the matrix, or external)."""
    locations = list(np.asarray(cy.locations).astype(str))
    if code in locations and caps is None:
        i = locations.index(code)
        return {"exports": cy.values[i], "rca": cy.rca[i], "M": cy.m[i], "density": cy.density[i],
                "cog": cy.cog[i], "evidence": "trade", "eci": float(cy.eci[i])}
    world_exports = cy.values.sum(axis=0)
    frame = None if reported is None else reported["frame"]
    if frame is not None and (frame["flow"] == "X").any():
        index = pd.Index(np.asarray(cy.products).astype(str))
        exports = _by_product(frame[frame["flow"] == "X"], index)
        ext = _external(exports, cy)
        notes.append(f"{code}: its own exports by product ({reported['dataset']}, {reported['year']}) evaluated "
                     "as an external location on the countries' product space")
        return {"exports": exports, "rca": np.asarray(ext.rca, dtype=np.float64), "M": np.asarray(ext.m, dtype=np.float64),
                "density": ext.density, "cog": ext.cog, "evidence": "regional trade", "eci": ext.eci}
    if caps is not None:
        present = np.isin(np.asarray(cy.products).astype(str), list(caps.products)).astype(np.float64)
        if not present.any():
            raise NotFoundError(f"none of {code}'s {len(caps.products)} registry products is in the product space")
        ext = _external(world_exports * present, cy)
        notes.append(f"{code}: capabilities derived from the enterprise registry ({caps.evidence}); "
                     "no trade values: RCA, exports and imports are unknown, only presence is used")
        nan = np.full(len(present), np.nan)
        return {"exports": nan, "rca": np.where(present == 1, np.nan, 0.0), "M": present,
                "density": ext.density, "cog": ext.cog, "evidence": "registry", "eci": ext.eci}
    raise NotFoundError(
        f"{code} has no exports in the world matrix and no registry capability set; import a "
        f"trade file for it (`tradecoop data import ...`) or add its enterprises to the registry"
    )


def _reported(handle, code: str, year: int, digits: int, notes: list[str]) -> dict | None:
    """The location's own reporter file (``reported_flows`` with ``reporter == code``), if any.

    Uses the year ``year`` when present, else the latest earlier year, else the earliest later
    one (noted). Products are cut to the matrix's HS level. Returns ``{"dataset", "year",
    "frame"}`` (the year's rows), or None.
    """
    from tradecoop.data.store import REPORTED_FLOWS

    for info in handle.datasets():
        if info.table != REPORTED_FLOWS or info.bundled:
            continue
        frame = handle.frame(info.name, reporter=code)
        if frame.empty:
            continue
        years = sorted(int(y) for y in frame["year"].unique())
        earlier = [y for y in years if y <= year]
        used = earlier[-1] if earlier else years[0]
        if used != year:
            notes.append(f"{code}: its reporter file {info.name!r} has no {year}; {used} is used")
        frame = frame[frame["year"] == used].assign(product=lambda f: f["product"].astype(str).str[:digits])
        return {"dataset": info.name, "year": used, "frame": frame}
    return None


def _by_product(frame: pd.DataFrame, index: pd.Index) -> np.ndarray:
    return frame.groupby("product")["value_usd"].sum().reindex(index).fillna(0.0).to_numpy(dtype=np.float64)


def _net_exporter(rca: np.ndarray, exports: np.ndarray, imports: np.ndarray) -> np.ndarray:
    """RCA >= 1 and exports > imports (False where unknown)."""
    return (np.nan_to_num(rca, nan=0.0) >= 1.0) & (np.nan_to_num(exports, nan=0.0) > np.nan_to_num(imports, nan=np.inf))


def _label(code: str) -> str:
    from tradecoop.data.nomenclature.locations import location_name

    try:
        return location_name(code)
    except NotFoundError:
        return code


def _external(values: np.ndarray, cy):
    """Evaluate a capability vector as an external location on the countries' product space.

    Values proportional to world exports on the present products give RCA = W / W_present >= 1
    exactly on them and 0 elsewhere, so M is the given presence.
    """
    from tradecoop.complexity import external_outlook

    return external_outlook(values, cy)


def prepare_shared(handle: Store | None = None, dataset: str = DEFAULT_WORLD_DATASET) -> None:
    """Compute what every pair of ``dataset``'s latest year shares (the world matrix's complexity,
    the estimator's inputs, the feasibility model's scores, the input-output tables) so that the
    first pair asked about does only its own work. A server calls it once at start, in the
    background."""
    import tradecoop.opportunities.builtin_criteria
    import tradecoop.reports.sections  # noqa: F401 - what the first pair's answer imports, imported now
    from tradecoop.data.store import open_store
    from tradecoop.opportunities import icio as ic

    handle = handle if handle is not None else open_store()
    world, year, cy = _world(handle, dataset, None)
    _estimation_inputs(handle, dataset, world, year)
    with contextlib.suppress(TradecoopError):
        _feasibility_scores(handle, year, len(str(cy.products[0])))
    for name in (ic.ICIO_INPUTS, ic.ICIO_OUTPUT, IO_DATASET, BILATERAL_TOTALS_DATASET):
        handle.read(name)


def _world(handle: Store, dataset: str, year: int | None) -> tuple[pd.DataFrame, int, Any]:
    """(world exports of ``year``, the year, their complexity); the complexity of the world
    matrix is the same for every pair: computed once per process (:meth:`Store.derived`)."""
    from tradecoop.complexity import compute_complexity

    world = handle.read_location_product_values(dataset)
    year = int(world["year"].max()) if year is None else int(year)
    world = world[world["year"] == year]
    if world.empty:
        raise NotFoundError(f"dataset {dataset!r} has no data for {year}; years: {handle.info(dataset).years}")

    def world_complexity():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)  # special codes dropped: counted in notes
            return compute_complexity(world)[year]

    return world, year, handle.derived(("complexity", year), (dataset,), world_complexity)


def _estimation_inputs(handle: Store, dataset: str, world: pd.DataFrame, year: int) -> Any:
    """The proportional-allocation estimator's inputs for ``year`` (the same for every pair)."""
    from tradecoop.data.estimation import prepare_inputs

    def compute():
        wx = world.rename(columns={"location": "exporter", "value": "value_usd"})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            return prepare_inputs(wx, handle.read(BILATERAL_TOTALS_DATASET), year=year, source="bundled")

    return handle.derived(("estimation_inputs", year), (dataset, BILATERAL_TOTALS_DATASET), compute)


def _flows_and_imports(a, b, handle, named_world, year, products, parent_country, reported):
    """Bilateral flows both ways (by product and total) and each side's imports by product.

    Observed where a side's own reporter file names the other (imports reported by the buyer
    first, else exports reported by the seller when the buyer is a country); estimated by
    proportional allocation otherwise. A region without a reporter file gets its country's
    estimated imports and flows as a labelled proxy (``proxy_fields``).
    """
    from tradecoop.data.estimation import estimate_imports, estimate_pair_flows

    dataset, world = named_world
    countries = {code: parent_country(code) for code in (a, b)}
    if countries[a] == countries[b]:
        raise NotFoundError(f"{a} and {b} are in the same country: no international flows between them")
    inputs = _estimation_inputs(handle, dataset, world, year)
    index = pd.Index(products)
    info: dict = {"notes": [], "sources": [], "flows_estimated": set(), "imports_estimated": set(),
                  "proxy_fields": {}, "country_imports": {}, "years": str(year)}
    years = set()
    flows = {}
    for (src, dst), name in (((a, b), "flow_ab"), ((b, a), "flow_ba")):
        observed = _observed_flow(src, dst, reported, countries)
        if observed is not None:
            by_product = _by_product(observed[0], index)
            info["notes"].append(f"{src} -> {dst} product flows observed: {observed[1]}")
            years.add(observed[2])
        else:
            est = estimate_pair_flows(inputs, [(countries[src], countries[dst])])
            by_product = _by_product(est, index)
            info["flows_estimated"].add(name)
            years.add(year)
            for code in (src, dst):
                if "-" in code and reported[code] is None:
                    info["proxy_fields"].setdefault(code, set()).add("flows")
        flows[(src, dst)] = (by_product, float(by_product.sum()))
    est_imp = estimate_imports(inputs, sorted(set(countries.values())))
    imports = {}
    for code in (a, b):
        country_imports = _by_product(est_imp[est_imp["importer"] == countries[code]], index)
        rep = reported[code]
        if rep is not None and (rep["frame"]["flow"] == "M").any():
            imports[code] = _by_product(rep["frame"][rep["frame"]["flow"] == "M"], index)
            info["sources"].append(f"{code}: own imports and exports by product from {rep['dataset']!r} ({rep['year']})")
        else:
            imports[code] = country_imports
            info["imports_estimated"].add(code)
            if "-" in code:
                info["proxy_fields"].setdefault(code, set()).add("imports")
        info["country_imports"][code] = country_imports
    info["years"] = ", ".join(str(y) for y in sorted(years))
    if info["flows_estimated"]:
        info["notes"].append(
            f"Bilateral product flows ({', '.join(sorted(info['flows_estimated']))}) and the import structures "
            f"of {', '.join(sorted(info['imports_estimated'])) or 'no side'} are {inputs.method}; no reporter "
            "file for the pair is in the store.")
    for code, fields in info["proxy_fields"].items():
        info["notes"].append(
            f"{code}: no trade data of its own; {_label(countries[code])}, country level, stands in for its "
            f"{', '.join(sorted(fields))} for ranking only (labelled proxy_of={countries[code]!r}); no value "
            "at stake rests on it")
    return flows, imports, info


def _observed_flow(src: str, dst: str, reported: dict, countries: dict) -> tuple[pd.DataFrame, str, int] | None:
    """(rows, description, year) of the observed src -> dst product flow, or None."""
    rep = reported.get(dst)
    if rep is not None and "-" not in src:
        f = rep["frame"]
        rows = f[(f["flow"] == "M") & (f["exporter"] == src)]
        return rows, f"imports reported by {dst} ({rep['dataset']}, {rep['year']})", rep["year"]
    rep = reported.get(src)
    if rep is not None and "-" not in dst:
        f = rep["frame"]
        rows = f[(f["flow"] == "X") & (f["importer"] == dst)]
        return rows, f"exports reported by {src} ({rep['dataset']}, {rep['year']})", rep["year"]
    return None


def _within_sector_shares(prod_sector: np.ndarray, world: np.ndarray) -> np.ndarray:
    """Each product's share of world exports of its sector (0 where the sector is unknown)."""
    sector_world = pd.Series(world).groupby(prod_sector).transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((sector_world > 0) & (prod_sector != ""), world / sector_world, 0.0)


def _io_demand(codes, handle, cy, products, parent_country, notes):
    """USD of each side's industries' *imported*-input demand for each product.

    OECD ICIO 2022 (imported input coefficients x gross output, :mod:`.icio`) where the extract
    covers the side's country (Belarus, Russia); else WIOD 2011 imported coefficients (total minus
    domestic) x the country's exports by sector as an output proxy (labelled). Returns
    ``(demand by side, method, extra)``; ``extra`` holds the observed ICIO 2022 sector flows
    between the pair (context for value-chain links).
    """
    from tradecoop.opportunities import icio as ic

    world = cy.values.sum(axis=0)
    inputs = handle.read(ic.ICIO_INPUTS)
    output = handle.read(ic.ICIO_OUTPUT)
    icio_sector = ic.hs_to_icio_sector(list(products)).to_numpy().astype(str)
    within = _within_sector_shares(icio_sector, world)
    covered = ic.covered(inputs)
    out, used_wiod = {}, []
    for code in codes:
        country = parent_country(code)
        if country in covered:
            demand = ic.imported_input_demand(inputs, output, country)
            out[code] = demand.reindex(icio_sector).fillna(0.0).to_numpy() * within
            notes.append(f"{code}: value-chain demand = imported input coefficients x gross output of "
                         f"{country}'s industries (OECD ICIO {ic.ICIO_YEAR}, intermediates), by HS through ISIC Rev.3; "
                         "an ESTIMATE" + (f"; {country}'s industries stand in for {code}'s" if "-" in code else ""))
        else:
            out[code] = _wiod_imported_demand(handle, cy, products, country, world, notes, code)
            used_wiod.append(code)
    method = ("imported-input demand of the buyer's industries: imported input coefficients of each using sector "
              f"x its gross output (OECD ICIO {ic.ICIO_YEAR}; intermediates only), allocated to the product by its "
              "share of world exports of its ICIO sector, capped at the buyer's imports of the product from "
              "third countries")
    if used_wiod:
        method += (f"; for {', '.join(used_wiod)} (not in the ICIO extract): WIOD 2011 imported coefficients x "
                   "exports by sector as an output proxy")
    extra: dict = {"value_chain_method": method, "icio_sector": icio_sector}
    a, b = (parent_country(c) for c in codes)
    if {a, b} <= covered:
        names = output.drop_duplicates("sector").set_index("sector")["sector_name"].to_dict()
        extra["icio_sector_name"] = np.array([names.get(x, x) for x in icio_sector], dtype=object)
        for key, (src, dst) in (("ab", (a, b)), ("ba", (b, a))):
            flows = ic.observed_sector_flows(inputs, src, dst)
            by_input = flows.groupby("input_sector")["usd"].sum()
            extra[f"icio_observed_{key}"] = by_input.reindex(icio_sector).fillna(0.0).to_numpy()
            top_users = (flows.sort_values("usd", ascending=False).groupby("input_sector")
                         .apply(lambda f: ", ".join(f"{r.output_sector} {r.usd / 1e6:,.0f}" for r in f.head(3).itertuples()),
                                include_groups=False))
            extra[f"icio_users_{key}"] = top_users.reindex(icio_sector).fillna("").to_numpy().astype(object)
            notes.append(f"Observed {ic.ICIO_YEAR} (OECD ICIO, intermediates): {src} sold {dst}'s industries USD "
                         f"{flows['usd'].sum() / 1e9:,.1f} bn of inputs")
    return out, method, extra


def _wiod_imported_demand(handle, cy, products, country, world, notes, code) -> np.ndarray:
    """WIOD 2011 imported coefficients (total - domestic) x exports by sector (output proxy)."""
    from tradecoop.data.nomenclature.concordances import hs_to_wiod_sector

    io = handle.read(IO_DATASET)
    sectors = hs_to_wiod_sector(list(products))
    sector_of = dict(zip(sectors["product"].astype(str), sectors["wiod_sector"].astype(str), strict=False))
    prod_sector = np.array([sector_of.get(p, "") for p in products])
    within = _within_sector_shares(prod_sector, world)
    wiod = country if country in set(io["location"]) else WIOD_REST_OF_WORLD
    sub = io[io["location"] == wiod].assign(imported=lambda f: (f["coefficient_total"] - f["coefficient"]).clip(lower=0.0))
    coef = sub.pivot_table(index="input_sector", columns="output_sector", values="imported", aggfunc="sum", fill_value=0.0)
    locations = list(np.asarray(cy.locations).astype(str))
    exports = cy.values[locations.index(country)] if country in locations else np.zeros(len(products))
    output = pd.Series(exports).groupby(prod_sector).sum().reindex(coef.columns).fillna(0.0)
    demand = pd.Series(coef.to_numpy() @ output.to_numpy(), index=coef.index)
    notes.append(f"{code}: value-chain demand from WIOD 2011 imported coefficients of {wiod} x {country}'s exports "
                 "by sector as the output proxy; an ESTIMATE")
    return demand.reindex(prod_sector).fillna(0.0).to_numpy() * within


def _feasibility(codes, year, products, handle, notes) -> dict[str, np.ndarray]:
    """The engine's feasibility score for each side present in the panel (else NaN, noted).

    The model (:func:`tradecoop.opportunities.feasibility.feasibility_at`) learns from the
    bundled BRICS+ HS6 panel aggregated to the product level of the matrix, using only years up
    to ``year`` and candidates with start-window RCA < 0.5; it scores every cell of the panel's
    locations, so every candidate a type admits (localisation: RCA < 1) has a score. For
    0.5 <= RCA < 1 the score extrapolates along the model's RCA feature (noted).
    """
    out = {code: np.full(len(products), np.nan) for code in codes}
    panel_name = FEASIBILITY_PANEL[0]
    digits = len(products[0])
    try:
        locations = handle.derived(("locations",), (panel_name,),
                                   lambda: frozenset(handle.read_location_product_values(panel_name)["location"]))
        present = [c for c in codes if c in locations]
        if not present:
            notes.append(f"feasibility: {', '.join(codes)} not in the {panel_name} panel; the criterion is missing (contributes 0)")
            return out
        scored = _feasibility_scores(handle, year, digits)
    except TradecoopError as exc:
        notes.append(f"feasibility not available for {year}: {exc}")
        return out
    index = pd.Index(products)
    for code in present:
        sub = scored[scored["location"] == code].set_index("product")["feasibility"]
        out[code] = sub.reindex(index).to_numpy(dtype=np.float64)
    missing = [c for c in codes if c not in present]
    notes.append(
        f"feasibility (logistic model on the {panel_name} panel, HS{digits}, window ending {year}) for "
        f"{', '.join(present)}; cells with 0.5 <= RCA < 1 are scored by a model learned on RCA < 0.5 "
        "(extrapolated along its RCA feature)" + (f"; not available for {', '.join(missing)} (not in the panel)" if missing else "")
    )
    return out


def _feasibility_scores(handle: Store, year: int, digits: int) -> pd.DataFrame:
    """The feasibility model's score of every cell of the panel (the same for every pair of the
    year: fitted once per process)."""
    from tradecoop.opportunities.feasibility import feasibility_at

    panel_name, world_name = FEASIBILITY_PANEL

    def score_every_cell():
        panel = handle.read_location_product_values(panel_name)
        world = handle.read_location_product_values(world_name).drop(columns="location")
        panel = panel[panel["year"] <= year]
        agg = panel.assign(product=panel["product"].str[:digits]).groupby(["year", "location", "product"], as_index=False)["value"].sum()
        wagg = world.assign(product=world["product"].str[:digits]).groupby(["year", "product"], as_index=False)["value"].sum()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            # every cell is scored (candidates_only=False): localisation admits RCA < 1, the model
            # learns on RCA < 0.5; cells at 0.5 <= RCA < 1 are scored by the same fitted model
            return feasibility_at(agg, year, FEASIBILITY_WINDOW, wagg, candidates_only=False)[0]

    return handle.derived(("feasibility", year, digits, FEASIBILITY_WINDOW), FEASIBILITY_PANEL, score_every_cell)


def _intermediate(products, vintage) -> np.ndarray:
    from tradecoop.data.nomenclature.concordances import hs_to_bec

    bec = hs_to_bec(list(products), vintage or "HS07")
    inter = set(bec.loc[bec["bec_class"].astype(str).str.startswith("intermediate"), "product"].astype(str))
    return np.array([1 if p in inter else 0 for p in products], dtype=np.int8)


def _names(products) -> tuple[np.ndarray, np.ndarray]:
    from tradecoop.data.nomenclature.hs import product_name

    en, ru = [], []
    for p in products:
        try:
            en.append(product_name(p, "en"))
            ru.append(product_name(p, "ru"))
        except NotFoundError:
            en.append(p)
            ru.append(p)
    return np.array(en, dtype=object), np.array(ru, dtype=object)
