"""The bilateral profile of a pair of locations: one service assembling data and indicators.

:func:`build_profile` assembles, from frames the caller has read (the service
:func:`tradecoop.services.profile.pair_profile` reads them from the store), a frozen
:class:`BilateralProfile` with

- the aggregate time series (observed bilateral totals; missing reports shown as missing, never 0),
- headline numbers for the latest year with both directions observed, CAGR in **current USD**,
- product structure (HS section, HS2, Lall, BEC) and top products each way, from an observed
  product-level bilateral file for the pair if the store has one, else from the estimator in
  :mod:`tradecoop.data.estimation` (every such table labelled ESTIMATED),
- indices (trade intensity, complementarity, export similarity, Grubel-Lloyd, HHI/H*) and import
  dependency, each with its basis (observed or ESTIMATED),
- provenance of every table.

Formulas and references live in the indicator modules (:mod:`.bilateral`, :mod:`.structure`,
:mod:`.complementarity`, :mod:`.concentration`, :mod:`.dependency`); docs/methods.md section 1.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from tradecoop.complexity.matrices import rca as balassa_rca
from tradecoop.data import estimation as est
from tradecoop.data.nomenclature import concordances
from tradecoop.data.nomenclature.hs import product_name
from tradecoop.errors import DataQualityWarning, NotFoundError, TradecoopError
from tradecoop.indicators import bilateral as bil
from tradecoop.indicators import complementarity as comp
from tradecoop.indicators import structure as struct
from tradecoop.indicators.concentration import hhi, hhi_normalised
from tradecoop.indicators.deflator import usd_price_level
from tradecoop.indicators.dependency import dependency_share, substitute_suppliers

OBSERVED = "observed"
ESTIMATED = "ESTIMATED"
WORLD_EXPORTS_DATASET = "world_hs4_2017"
BILATERAL_TOTALS_DATASET = "bilateral_totals"
#: number of top products shown each way
TOP_N = 10
#: products per direction in the dependency table
DEPENDENCY_N = 20
#: products with the most two-way trade in the per-product Grubel-Lloyd table
GL_N = 20


@dataclass(frozen=True)
class BilateralProfile:
    """Bilateral profile of locations ``a`` and ``b`` (directions are named ``"A->B"``).

    Every frame has a ``basis`` column or a provenance entry saying observed or ESTIMATED.
    """

    a: str
    b: str
    years: tuple[int, int] | None
    headline: dict[str, Any]
    series: pd.DataFrame
    structure: pd.DataFrame
    top_products: pd.DataFrame
    indices: pd.DataFrame
    dependency: pd.DataFrame
    grubel_lloyd: pd.DataFrame
    provenance: tuple[dict[str, Any], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: year of the product-level tables (structure, top products, indices on products)
    product_year: int | None = None

    @property
    def estimated(self) -> bool:
        """True when any table rests on estimated flows."""
        return any(p["basis"] == ESTIMATED for p in self.provenance)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name (``series``, ``structure``, ``top_products``, ``indices``, ...)."""
        return {
            "headline": pd.DataFrame([self.headline]),
            "series": self.series,
            "structure": self.structure,
            "top_products": self.top_products,
            "indices": self.indices,
            "dependency": self.dependency,
            "grubel_lloyd": self.grubel_lloyd,
            "provenance": pd.DataFrame(list(self.provenance)),
        }

    def to_dict(self) -> dict[str, Any]:
        """One JSON-ready object with sections (NaN stays NaN; the CLI writes it as null)."""
        out: dict[str, Any] = {
            "pair": {"a": self.a, "b": self.b, "years": list(self.years) if self.years else None,
                     "product_year": self.product_year},
            "estimated": self.estimated,
            "headline": dict(self.headline),
        }
        for name, frame in self.tables().items():
            if name != "headline":
                out[name] = frame.to_dict(orient="records")
        out["notes"] = list(self.notes)
        return out


def build_profile(
    a: str,
    b: str,
    totals: pd.DataFrame,
    world: pd.DataFrame,
    *,
    years: tuple[int, int] | None = None,
    totals_info: Any = None,
    world_info: Any = None,
    observed: tuple[pd.DataFrame, Any] | None = None,
) -> BilateralProfile:
    """Assemble the profile from frames (read by :func:`tradecoop.services.profile.pair_profile`).

    ``totals``: bilateral totals (year, exporter, importer, value_usd[, missing_report]);
    ``world``: exports to the world (year, exporter, product, value_usd); ``observed``: an
    optional (flows, info) of observed product-level flows for the pair.
    """
    known = set(totals["exporter"]) | set(totals["importer"])
    in_totals = a in known and b in known
    if not in_totals and observed is None:
        missing = a if a not in known else b
        raise NotFoundError(f"no bilateral totals for {missing} in '{BILATERAL_TOTALS_DATASET}'")
    notes: list[str] = ["values in current USD; growth also in constant 2017 USD (US GDP deflator)"]
    provenance: list[dict[str, Any]] = []
    if in_totals:
        series = _series(a, b, totals, years)
        provenance.append(_prov("series", totals_info, OBSERVED, BILATERAL_TOTALS_DATASET))
    else:  # a region: the series comes from its own trade file
        flows, info = observed
        series = _series(a, b, flows.groupby(["year", "exporter", "importer"], as_index=False)["value_usd"].sum(),
                         years)
        provenance.append(_prov("series", info, OBSERVED, info.name))
    headline = _headline(a, b, series)
    headline["source"] = (provenance[0]["source"])
    reporter = observed[0].attrs.get("reporter") if observed is not None else None
    if reporter and not in_totals:
        headline["reported_by"] = reporter
        provenance[0]["method"] = f"observed, as reported by {reporter}"
        notes.append(f"regional trade as reported by {reporter} ({provenance[0]['source']}); "
                     "the partner's own statistics may differ (mirror-flow gap)")

    if observed is not None:
        products = _observed_products(a, b, observed, years, provenance, notes)
    else:
        products = _estimated_products(a, b, world, totals, world_info, totals_info, provenance, notes)
    ab, ba, basis = products.ab, products.ba, products.basis

    d_ab, d_ba = f"{a}->{b}", f"{b}->{a}"
    vintage = products.vintage or getattr(world_info, "hs_vintage", None)
    structure = pd.concat([_structures(ab, d_ab, vintage, notes), _structures(ba, d_ba, vintage, notes)],
                          ignore_index=True)
    structure["basis"] = basis
    top = pd.concat([struct.top_products(f, TOP_N).assign(direction=d) for f, d in ((ab, d_ab), (ba, d_ba))],
                    ignore_index=True)
    top["basis"] = basis
    _add_names(top)
    x_a, x_b = products.x_a, products.x_b
    esi_source = products.esi_source or (world_info, WORLD_EXPORTS_DATASET, "exports to the world (bundled HS4)")
    if x_a is None:
        x_a, x_b = (_by_product(world[world.exporter == c]) for c in (a, b))
    indices = _indices(a, b, totals if in_totals else None, series, ab, ba, x_a, x_b, products.imports_a,
                       products.imports_b, basis, imports_basis=basis, esi_note=esi_source[2])
    if in_totals:
        provenance.append(_prov("indices: TII", totals_info, OBSERVED, BILATERAL_TOTALS_DATASET))
    provenance.append(_prov("indices: ESI", esi_source[0], OBSERVED, esi_source[1]))
    dependency = (_dependency(a, b, ab, ba, products.imports_long, _world_rca(world), basis)
                  if products.imports_long is not None else pd.DataFrame())
    if not dependency.empty:
        notes.append(f"substitute supplier pool: exporters with RCA >= 1 in '{WORLD_EXPORTS_DATASET}' "
                     "(HS6 products use their HS4 heading's RCA)")
    gl = _gl_products(ab, ba, basis)
    return BilateralProfile(a, b, years, headline, series, structure, top, indices, dependency, gl,
                            tuple(provenance), tuple(notes), product_year=products.year)


# --- product-level data: observed or estimated ----------------------------------------------


@dataclass(frozen=True)
class _Products:
    """Product-level flows of the pair and, where known, each side's imports by supplier."""

    ab: pd.DataFrame
    ba: pd.DataFrame
    basis: str
    vintage: str | None = None
    imports_a: pd.DataFrame | None = None
    imports_b: pd.DataFrame | None = None
    imports_long: pd.DataFrame | None = None
    x_a: pd.Series | None = None
    x_b: pd.Series | None = None
    esi_source: tuple[Any, str, str] | None = None
    year: int | None = None


def _observed_products(a, b, observed, years, provenance, notes) -> _Products:
    """Flows from an imported file, at its latest year (within ``years``)."""
    flows, info = observed
    file_years = flows["year"].astype(int)
    in_range = file_years[file_years.between(*years)] if years else file_years
    flow_year = int((in_range if not in_range.empty else file_years).max())
    flows = flows[flows["year"].astype(int) == flow_year]
    sums = {"value_usd": "sum"} | ({"quantity": "sum"} if "quantity" in flows.columns else {})
    flows = flows.groupby(["exporter", "importer", "product"], as_index=False).agg(sums)
    ab, ba = (flows[(flows.exporter == x) & (flows.importer == y)] for x, y in ((a, b), (b, a)))
    method = f"observed product-level bilateral flows, {flow_year}"
    provenance.append({"table": "structure, top_products, GL, HHI", "source": _label(info, info.name),
                       "basis": OBSERVED, "method": method})
    vintage = getattr(info, "hs_vintage", None)
    if not _covers_world(flows, a, b):
        notes.append("TC and dependency need every supplier's flows: not computed from a pair-only file")
        return _Products(ab, ba, OBSERVED, vintage, year=flow_year)
    imports_long = flows[flows.importer.isin([a, b])].rename(columns={"exporter": "supplier"})
    world_x = flows[flows.exporter.isin([a, b])]
    provenance.append({"table": "TC, ESI, dependency", "source": _label(info, info.name),
                       "basis": OBSERVED, "method": f"observed imports from every supplier, {flow_year}"})
    return _Products(
        ab, ba, OBSERVED, vintage,
        imports_a=imports_long[imports_long.importer == a], imports_b=imports_long[imports_long.importer == b],
        imports_long=imports_long,
        x_a=_by_product(world_x[world_x.exporter == a]), x_b=_by_product(world_x[world_x.exporter == b]),
        esi_source=(info, info.name, f"exports to every partner in '{info.name}', {flow_year}"),
        year=flow_year,
    )


def _estimated_products(a, b, world, totals, world_info, totals_info, provenance, notes) -> _Products:
    """Flows and imports from the estimator (:mod:`tradecoop.data.estimation`), labelled ESTIMATED."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQualityWarning)
        inputs = est.prepare_inputs(world, totals, source=_label(world_info, WORLD_EXPORTS_DATASET))
    notes.extend(str(w.message) for w in caught)
    pair = est.estimate_pair_flows(inputs, [(a, b), (b, a)])
    ab, ba = pair[pair.exporter == a], pair[pair.exporter == b]
    imports = est.estimate_imports(inputs, [a, b])
    provenance.append({"table": "structure, top_products, GL, HHI, TC, dependency",
                       "source": f"{_label(world_info, WORLD_EXPORTS_DATASET)} + "
                                 f"{_label(totals_info, BILATERAL_TOTALS_DATASET)}",
                       "basis": ESTIMATED, "method": inputs.method})
    notes.append(f"product-level flows are {inputs.method}")
    return _Products(
        ab, ba, ESTIMATED, getattr(world_info, "hs_vintage", None),
        imports_a=imports[imports.importer == a], imports_b=imports[imports.importer == b],
        imports_long=_estimated_imports_by_supplier(inputs, a, b, ab, ba),
        year=int(world["year"].max()) if "year" in world and len(world) else None,
    )


# --- pieces --------------------------------------------------------------------------------


def _series(a: str, b: str, totals: pd.DataFrame, years: tuple[int, int] | None) -> pd.DataFrame:
    t = totals[totals.exporter.isin([a, b]) & totals.importer.isin([a, b]) & (totals.exporter != totals.importer)]
    all_years = sorted(int(y) for y in totals["year"].unique())
    if years is not None:
        all_years = [y for y in all_years if years[0] <= y <= years[1]]
        if not all_years:
            raise NotFoundError(f"no bilateral totals in {years[0]}-{years[1]}; years present: "
                                f"{sorted(int(y) for y in totals['year'].unique())}")
    rows = []
    for year in all_years:
        row: dict[str, Any] = {"year": year}
        notes = []
        for exporter, col in ((a, "exports_a_to_b"), (b, "exports_b_to_a")):
            hit = t[(t.year.astype(int) == year) & (t.exporter == exporter)]
            if hit.empty:
                row[col] = np.nan
                notes.append(f"{exporter} exports: not in source")
            elif "missing_report" in hit and bool(hit["missing_report"].any()):
                row[col] = np.nan
                notes.append(f"{exporter} exports: missing report (not zero)")
            else:
                row[col] = float(hit["value_usd"].sum())
        x, m = row["exports_a_to_b"], row["exports_b_to_a"]
        row["turnover"] = bil.turnover(x, m)
        row["balance"] = bil.balance(x, m)
        row["coverage"] = bil.coverage(x, m) if np.isfinite(m) else np.nan
        if np.isfinite(m) and bil.coverage_note(m):
            notes.append("coverage " + bil.coverage_note(m))
        row["relative_balance"] = bil.relative_balance(x, m)
        row["note"] = "; ".join(notes)
        if sum("not in source" in n for n in notes) < 2:
            rows.append(row)  # years where neither direction is in the source at all are left out
    if not rows:
        raise NotFoundError(f"no bilateral totals between {a} and {b} in the selected years")
    return pd.DataFrame(rows)


def _headline(a: str, b: str, series: pd.DataFrame) -> dict[str, Any]:
    full = series.dropna(subset=["exports_a_to_b", "exports_b_to_a"])
    out: dict[str, Any] = {"a": a, "b": b, "unit": "current USD", "basis": OBSERVED}
    if full.empty:
        out["note"] = "no year with both directions observed"
        return out
    last, first = full.iloc[-1], full.iloc[0]
    out.update({k: last[k] for k in ("year", "exports_a_to_b", "exports_b_to_a", "turnover",
                                     "balance", "coverage", "relative_balance")})
    out["year"] = int(last["year"])
    span = int(last["year"]) - int(first["year"])
    out["cagr_from"] = int(first["year"])
    for col in ("turnover", "exports_a_to_b", "exports_b_to_a"):
        out[f"cagr_{col}"] = bil.cagr(first[col], last[col], span)
        why = bil.cagr_note(first[col], last[col], span)
        if why:
            out[f"cagr_{col}_note"] = why
    prices = usd_price_level()
    p0, p1 = prices.get(int(first["year"])), prices.get(int(last["year"]))
    if p0 and p1 and span > 0:  # constant (2017) USD: deflated by the US GDP deflator
        out["cagr_turnover_constant_usd"] = bil.cagr(first["turnover"] / p0, last["turnover"] / p1, span)
    return out


def _structures(flow: pd.DataFrame, direction: str, vintage: str | None, notes: list[str]) -> pd.DataFrame:
    parts = [struct.by_hs_section(flow), struct.by_hs2(flow)]
    for level, fn_name, column in (("lall", "hs_to_lall", "lall_class"), ("bec", "hs_to_bec", "bec_class")):
        classes = _classes(flow["product"], fn_name, column, vintage)
        if isinstance(classes, str):
            note = f"structure by {level} not shown: {classes}"
            if note not in notes:
                notes.append(note)
        else:
            parts.append(struct.by_class(flow, classes, column, level))
    return pd.concat(parts, ignore_index=True).assign(direction=direction)


def _classes(products: pd.Series, fn_name: str, column: str, vintage: str | None) -> pd.DataFrame | str:
    """Product -> class links with weights from the bundled concordances, or why there are none.

    An HS4 heading pools its HS6 subheadings, so one heading may link to several classes; its
    value is then split by the links' weights (``structure.by_class``).
    """
    codes = sorted({str(p) for p in products if str(p).isdigit() and len(str(p)) in (4, 6)})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)  # unlinked codes -> unclassified
            frame = getattr(concordances, fn_name)(codes, vintage or "HS12")
    except (TradecoopError, AttributeError, TypeError) as exc:
        return f"{fn_name} failed ({exc})"
    if column not in frame.columns:
        return f"{fn_name} returned no {column} column"
    frame = frame.dropna(subset=[column])
    if "weight" not in frame.columns:
        return frame.drop_duplicates("product")[["product", column]]
    frame = frame.groupby(["product", column], as_index=False)["weight"].sum()
    frame["weight"] = frame["weight"] / frame.groupby("product")["weight"].transform("sum")
    return frame


def _add_names(frame: pd.DataFrame) -> None:
    """Add English product names from the bundled HS nomenclature (None where a code is unknown)."""

    def name(code: str) -> str | None:
        try:
            return product_name(code)
        except TradecoopError:
            return None
    frame.insert(1, "name", frame["product"].map(name))


def _by_product(flow: pd.DataFrame) -> pd.Series:
    return flow.groupby("product")["value_usd"].sum()


def _indices(a, b, totals, series, ab, ba, x_a, x_b, imports_a, imports_b, basis, *,
             imports_basis: str, esi_note: str) -> pd.DataFrame:
    rows = []
    year_rows = series.dropna(subset=["exports_a_to_b", "exports_b_to_a"])
    if totals is not None and not year_rows.empty:
        year = int(year_rows["year"].iloc[-1])
        t = totals[(totals.year.astype(int) == year) & (totals.exporter != totals.importer)]
        if "missing_report" in t:
            t = t[~t["missing_report"].astype(bool)]
        x_w = t["value_usd"].sum()
        for i, j in ((a, b), (b, a)):
            x_ij = t[(t.exporter == i) & (t.importer == j)]["value_usd"].sum()
            value = comp.trade_intensity(x_ij, t[t.exporter == i]["value_usd"].sum(),
                                         t[t.importer == j]["value_usd"].sum(), x_w)
            rows.append(_row("trade intensity (TII)", f"{i}->{j}", value, "aggregate", OBSERVED, year,
                             "one matrix: bundled bilateral totals"))
    ab_s, ba_s = _by_product(ab), _by_product(ba)
    level = _level(pd.concat([ab["product"], ba["product"]]))
    if x_a.sum() > 0 and x_b.sum() > 0:
        rows.append(_row("export similarity (Finger-Kreinin)", f"{a}~{b}", comp.export_similarity(x_a, x_b),
                         _level(pd.Series(list(x_a.index) + list(x_b.index))), OBSERVED, None, esi_note))
    else:
        missing = a if x_a.sum() <= 0 else b
        rows.append(_row("export similarity (Finger-Kreinin)", f"{a}~{b}", np.nan, "n/a", OBSERVED, None,
                         f"not computed: the store has no exports to the world for {missing}"))
    if imports_a is not None:
        m_a, m_b = _by_product(imports_a), _by_product(imports_b)
        for (i, j, x, m) in ((a, b, x_a, m_b), (b, a, x_b, m_a)):
            note = (f"{j}'s imports by product are estimated" if imports_basis == ESTIMATED
                    else f"{i}'s exports and {j}'s imports from one file")
            rows.append(_row("trade complementarity (TC)", f"{i}->{j}", comp.trade_complementarity(x, m),
                             _level(pd.Series(list(x.index))), imports_basis, None, note))
    rows.append(_row("Grubel-Lloyd aggregate", f"{a}<->{b}", comp.grubel_lloyd_aggregate(ab_s, ba_s),
                     level, basis, None, "two-way trade is not by itself co-production"))
    rows.append(_row("Grubel-Lloyd imbalance-adjusted", f"{a}<->{b}",
                     comp.grubel_lloyd_adjusted(ab_s, ba_s), level, basis, None, ""))
    for flow, d in ((ab_s, f"{a}->{b}"), (ba_s, f"{b}->{a}")):
        rows.append(_row("HHI", d, hhi(flow), level, basis, None, "exports to the partner"))
        rows.append(_row("HHI normalised (UNCTAD H*)", d, hhi_normalised(flow), level, basis, None,
                         "N = product lines with positive value; do not compare across levels"))
    if not ({"quantity"} <= set(ab.columns) and {"quantity"} <= set(ba.columns)):
        rows.append(_row("intra-industry trade type", f"{a}<->{b}", np.nan, level, basis, None,
                         "not computed: no quantities, so no unit values (horizontal/vertical split)"))
    return pd.DataFrame(rows)


def _gl_products(ab: pd.DataFrame, ba: pd.DataFrame, basis: str) -> pd.DataFrame:
    """Per-product Grubel-Lloyd for the products with the most two-way trade.

    With quantities (observed files) each line is typed horizontal/vertical by unit values.
    """
    x, m = _by_product(ab), _by_product(ba)
    gl = comp.grubel_lloyd(x, m)
    out = pd.DataFrame({"exports_a_to_b": x, "exports_b_to_a": m}).fillna(0.0).join(gl, how="inner")
    out["two_way_usd"] = 2 * out[["exports_a_to_b", "exports_b_to_a"]].min(axis=1)
    out = out[out["two_way_usd"] > 0].sort_values("two_way_usd", ascending=False).head(GL_N)
    if "quantity" in ab.columns and "quantity" in ba.columns:
        q_x, q_m = (f.groupby("product")["quantity"].sum().reindex(out.index) for f in (ab, ba))
        with np.errstate(divide="ignore", invalid="ignore"):
            out["iit_type"] = comp.iit_type(out["exports_a_to_b"] / q_x, out["exports_b_to_a"] / q_m)
    out["basis"] = basis
    return out.rename_axis("product").reset_index()


def _covers_world(flows: pd.DataFrame, a: str, b: str) -> bool:
    """True when a file has third-country partners on both sides (imports from every supplier)."""
    others = ~flows["exporter"].isin([a, b])
    return bool(others[flows.importer == a].any() and others[flows.importer == b].any())


def _level(products: pd.Series) -> str:
    lengths = {len(str(p)) for p in products}
    return f"HS{lengths.pop()}" if len(lengths) == 1 else "mixed HS levels"


def _estimated_imports_by_supplier(inputs, a, b, ab, ba) -> pd.DataFrame:
    """Estimated imports of a and b by supplier, for each side's top products from the other."""
    shares = est.destination_shares(inputs.bilateral)
    frames = []
    for importer, flow in ((b, ab), (a, ba)):
        top = struct.top_products(flow, DEPENDENCY_N)["product"]
        j = inputs.importers.index(importer)
        by_supplier = shares[:, j, None] * inputs.exports[:, pd.Index(inputs.products).get_indexer(top)]
        long = pd.DataFrame(by_supplier, index=pd.Index(inputs.exporters, name="supplier"),
                            columns=pd.Index(top.to_numpy(), name="product")).stack()
        frames.append(long.rename("value_usd").reset_index().assign(importer=importer))
    out = pd.concat(frames, ignore_index=True)
    return out[out["value_usd"] > 0]


def _dependency(a, b, ab, ba, imports_long: pd.DataFrame, rca: pd.DataFrame, basis: str) -> pd.DataFrame:
    """Partner's share in each side's imports of its top products, with the substitute pool.

    ``imports_long``: supplier, importer, product, value_usd (observed or estimated). RCA for the
    pool comes from the bundled world HS4 matrix (HS6 products use their heading's RCA).
    """
    frames = []
    for supplier, importer, flow in ((a, b, ab), (b, a, ba)):
        top = struct.top_products(flow, DEPENDENCY_N)["product"]
        long = imports_long[(imports_long.importer == importer) & imports_long["product"].isin(top)]
        total = long.groupby("product")["value_usd"].sum()
        part = long[long.supplier == supplier].groupby("product")["value_usd"].sum()
        dep = dependency_share(part, total).rename("dependency_share").rename_axis("product").reset_index()
        heading = pd.DataFrame({"product": top.to_numpy(), "hs4": top.str[:4].to_numpy()})
        rca_k = rca.merge(heading, left_on="product", right_on="hs4", suffixes=("_w", ""))
        pool = substitute_suppliers(long[["supplier", "product", "value_usd"]], rca_k, supplier)
        frames.append(dep.merge(pool, on="product", how="left").assign(
            supplier=supplier, importer=importer, imports_from_supplier_usd=dep["product"].map(part),
            imports_total_usd=dep["product"].map(total)))
    out = pd.concat([f.sort_values("imports_from_supplier_usd", ascending=False) for f in frames],
                    ignore_index=True)
    out["basis"] = basis
    return out


def _world_rca(world: pd.DataFrame) -> pd.DataFrame:
    """Balassa RCA ``(x_cp / x_c) / (x_p / x)`` on the world-exports matrix (Balassa 1965).

    Computed by ``tradecoop.complexity.matrices.rca``; returns long ``location, product,
    value_usd, rca`` for positive exports.
    """
    w = world[world["value_usd"] > 0]
    loc, locations = pd.factorize(w["exporter"])
    prod, products = pd.factorize(w["product"])
    dense = np.zeros((len(locations), len(products)))
    np.add.at(dense, (loc, prod), w["value_usd"].to_numpy(float))
    rows, cols = np.nonzero(dense)
    return pd.DataFrame({
        "location": np.asarray(locations)[rows], "product": np.asarray(products)[cols],
        "value_usd": dense[rows, cols],
        "rca": balassa_rca(dense)[rows, cols],
    })


def _row(indicator, direction, value, level, basis, year, note) -> dict[str, Any]:
    return {"indicator": indicator, "direction": direction, "value": value, "level": level,
            "basis": basis, "year": year, "note": note}


def _label(info: Any, name: str) -> str:
    return getattr(info, "provenance_label", None) or f"dataset '{name}'"


def _prov(table: str, info: Any, basis: str, name: str) -> dict[str, Any]:
    return {"table": table, "source": _label(info, name), "basis": basis,
            "method": "observed" if basis == OBSERVED else "estimated"}
