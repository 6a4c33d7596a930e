"""The bilateral profile of a pair of locations: one service assembling data and indicators.

``bilateral_profile("BLR", "RUS")`` returns a frozen :class:`BilateralProfile` with

- the aggregate time series (observed bilateral totals; missing reports shown as missing, never 0),
- headline numbers for the latest year with both directions observed, CAGR in **current USD**,
- product structure (HS section, HS2, Lall, BEC) and top products each way, from an observed
  product-level bilateral file for the pair if the store has one, else from the estimator in
  :mod:`tradecoop.data.estimation` (every such table labelled ESTIMATED),
- indices (trade intensity, complementarity, export similarity, Grubel-Lloyd, HHI/H*) and import
  dependency, each with its basis (observed or ESTIMATED),
- provenance of every table.

Formulas and references live in the indicator modules (:mod:`.bilateral`, :mod:`.structure`,
:mod:`.complementarity`, :mod:`.concentration`, :mod:`.dependency`); METHODS.md section 1.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tradecoop.data import estimation as est
from tradecoop.errors import DataQualityWarning, DataValidationError, NotFoundError, TradecoopError
from tradecoop.indicators import bilateral as bil
from tradecoop.indicators import complementarity as comp
from tradecoop.indicators import structure as struct
from tradecoop.indicators.concentration import hhi, hhi_normalised
from tradecoop.indicators.dependency import dependency_share, substitute_suppliers

OBSERVED = "observed"
ESTIMATED = "ESTIMATED"
WORLD_EXPORTS_DATASET = "world_hs4_2017"
BILATERAL_TOTALS_DATASET = "bilateral_totals"
#: number of top products shown each way
TOP_N = 10
#: products per direction in the dependency table
DEPENDENCY_N = 20


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
    provenance: tuple[dict[str, Any], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

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
            "provenance": pd.DataFrame(list(self.provenance)),
        }

    def to_dict(self) -> dict[str, Any]:
        """One JSON-ready object with sections (NaN stays NaN; the CLI writes it as null)."""
        out: dict[str, Any] = {
            "pair": {"a": self.a, "b": self.b, "years": list(self.years) if self.years else None},
            "estimated": self.estimated,
            "headline": dict(self.headline),
        }
        for name, frame in self.tables().items():
            if name != "headline":
                out[name] = frame.to_dict(orient="records")
        out["notes"] = list(self.notes)
        return out


# --- data access (the one place that reads datasets) -------------------------------------------


def _open(store: Path | None) -> Any:
    """The data store (None when the store module is not installed: bundled Parquet only)."""
    try:
        from tradecoop.data.store import open_store
    except ImportError:
        return None
    return open_store(store)


def _load(name: str, handle: Any) -> tuple[pd.DataFrame, Any]:
    """Read a dataset and its provenance: through the store when there is one, else bundled."""
    if handle is None:
        from tradecoop.data.bundled import bundled_info, bundled_path

        return pd.read_parquet(bundled_path(name)), bundled_info(name)
    return handle.table(name).execute(), handle.info(name)


def _observed_pair_flows(a: str, b: str, handle: Any) -> tuple[pd.DataFrame, Any] | None:
    """Product-level flows between a and b from an imported bilateral file, if the store has one."""
    if handle is None:
        return None
    for info in handle.datasets():
        if info.table != "bilateral_flows" or info.estimated:
            continue
        frame = handle.frame(info.name, exporter=[a, b], importer=[a, b])
        frame = frame[frame["exporter"] != frame["importer"]]
        if not frame.empty and {a, b} <= set(frame["exporter"]):
            return frame, info
    return None


def _resolve(code: str) -> str:
    try:
        from tradecoop.data.nomenclature.locations import resolve_location
    except ImportError:
        return code.strip().upper()
    return resolve_location(code)


def bilateral_profile(
    a: str, b: str, years: tuple[int, int] | None = None, store: Path | None = None
) -> BilateralProfile:
    """Bilateral profile of ``a`` and ``b`` (ISO alpha-3 or ISO 3166-2 codes).

    Parameters
    ----------
    a, b : locations; ``a`` is the reporting side ("A->B" are a's exports)
    years : (first, last) years of the aggregate series, inclusive; None = all
    store : data store directory (None: the default store)

    Raises
    ------
    NotFoundError
        If a location has no data, or a region (``RU-CHE``) has no regional trade file in the store.
    """
    a, b = _resolve(a), _resolve(b)
    if a == b:
        raise DataValidationError(f"a profile needs two different locations; got {a} twice")
    handle = _open(store)
    observed = _observed_pair_flows(a, b, handle)
    for code in (a, b):
        if "-" in code and observed is None:
            raise NotFoundError(
                f"{code} is a region: its profile needs a regional trade file (e.g. "
                f"`tradecoop data import fcs-region FILE`); the store holds none for {code}, and "
                "the bundled data are country-level only"
            )
    totals, totals_info = _load(BILATERAL_TOTALS_DATASET, handle)
    world, world_info = _load(WORLD_EXPORTS_DATASET, handle)
    return build_profile(a, b, totals, world, years=years, totals_info=totals_info,
                         world_info=world_info, observed=observed)


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
    """Assemble the profile from frames (the pure part of :func:`bilateral_profile`).

    ``totals``: bilateral totals (year, exporter, importer, value_usd[, missing_report]);
    ``world``: exports to the world (year, exporter, product, value_usd); ``observed``: an
    optional (flows, info) of observed product-level flows for the pair.
    """
    known = set(totals["exporter"]) | set(totals["importer"])
    in_totals = a in known and b in known
    if not in_totals and observed is None:
        missing = a if a not in known else b
        raise NotFoundError(f"no bilateral totals for {missing} in '{BILATERAL_TOTALS_DATASET}'")
    notes: list[str] = ["values in current USD (no deflator is bundled)"]
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

    if observed is not None:
        flows, info = observed
        flow_year = int(series.dropna(subset=["turnover"])["year"].max()) if series["turnover"].notna().any() \
            else int(flows["year"].max())
        flows = flows[flows["year"].astype(int) == flow_year]
        flows = flows.groupby(["exporter", "importer", "product"], as_index=False)["value_usd"].sum()
        ab, ba = (flows[(flows.exporter == x) & (flows.importer == y)] for x, y in ((a, b), (b, a)))
        basis, method = OBSERVED, f"observed product-level bilateral flows, {flow_year}"
        provenance.append({"table": "structure, top_products, GL, HHI", "source": _label(info, info.name),
                           "basis": OBSERVED, "method": method})
        imports_b = imports_a = None
        inputs = None
        notes.append("dependency needs every supplier's flows: not computed from a pair-only file")
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DataQualityWarning)
            inputs = est.prepare_inputs(world, totals, source=_label(world_info, WORLD_EXPORTS_DATASET))
        notes.extend(str(w.message) for w in caught)
        pair = est.estimate_pair_flows(inputs, [(a, b), (b, a)])
        ab, ba = pair[pair.exporter == a], pair[pair.exporter == b]
        basis, method = ESTIMATED, inputs.method
        imports = est.estimate_imports(inputs, [a, b])
        imports_a, imports_b = (imports[imports.importer == x] for x in (a, b))
        provenance.append({"table": "structure, top_products, GL, HHI, TC, dependency",
                           "source": f"{_label(world_info, WORLD_EXPORTS_DATASET)} + "
                                     f"{_label(totals_info, BILATERAL_TOTALS_DATASET)}",
                           "basis": ESTIMATED, "method": method})
        notes.append(f"product-level flows are {method}")

    d_ab, d_ba = f"{a}->{b}", f"{b}->{a}"
    vintage = getattr(world_info, "hs_vintage", None)
    structure = pd.concat([_structures(ab, d_ab, vintage, notes), _structures(ba, d_ba, vintage, notes)],
                          ignore_index=True)
    structure["basis"] = basis
    top = pd.concat([struct.top_products(f, TOP_N).assign(direction=d) for f, d in ((ab, d_ab), (ba, d_ba))],
                    ignore_index=True)
    top["basis"] = basis
    _add_names(top)
    x_a, x_b = (_by_product(world[world.exporter == c]) for c in (a, b))
    indices = _indices(a, b, totals if in_totals else None, series, ab, ba, x_a, x_b, imports_a,
                       imports_b, basis)
    if in_totals:
        provenance.append(_prov("indices: TII", totals_info, OBSERVED, BILATERAL_TOTALS_DATASET))
    provenance.append(_prov("indices: ESI", world_info, OBSERVED, WORLD_EXPORTS_DATASET))
    dependency = _dependency(a, b, ab, ba, inputs, world) if inputs is not None else pd.DataFrame()
    return BilateralProfile(a, b, years, headline, series, structure, top, indices, dependency,
                            tuple(provenance), tuple(notes))


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
    try:
        from tradecoop.data.nomenclature import concordances
    except ImportError:
        return "the HS concordances are not installed"
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
    """Add English product names when the bundled HS nomenclature is installed (else nothing)."""
    try:
        from tradecoop.data.nomenclature.hs import product_name
    except ImportError:
        return
    def name(code: str) -> str | None:
        try:
            return product_name(code)
        except TradecoopError:
            return None
    frame.insert(1, "name", frame["product"].map(name))


def _by_product(flow: pd.DataFrame) -> pd.Series:
    return flow.groupby("product")["value_usd"].sum()


def _indices(a, b, totals, series, ab, ba, x_a, x_b, imports_a, imports_b, basis) -> pd.DataFrame:
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
    rows.append(_row("export similarity (Finger-Kreinin)", f"{a}~{b}", comp.export_similarity(x_a, x_b),
                     "HS4", OBSERVED, None, "exports to the world"))
    ab_s, ba_s = _by_product(ab), _by_product(ba)
    if imports_a is not None:
        m_a, m_b = _by_product(imports_a), _by_product(imports_b)
        rows.append(_row("trade complementarity (TC)", f"{a}->{b}", comp.trade_complementarity(x_a, m_b),
                         "HS4", ESTIMATED, None, f"{b}'s imports by product are estimated"))
        rows.append(_row("trade complementarity (TC)", f"{b}->{a}", comp.trade_complementarity(x_b, m_a),
                         "HS4", ESTIMATED, None, f"{a}'s imports by product are estimated"))
    rows.append(_row("Grubel-Lloyd aggregate", f"{a}<->{b}", comp.grubel_lloyd_aggregate(ab_s, ba_s),
                     "HS4", basis, None, "two-way trade is not by itself co-production"))
    rows.append(_row("Grubel-Lloyd imbalance-adjusted", f"{a}<->{b}",
                     comp.grubel_lloyd_adjusted(ab_s, ba_s), "HS4", basis, None, ""))
    for flow, d in ((ab_s, f"{a}->{b}"), (ba_s, f"{b}->{a}")):
        rows.append(_row("HHI", d, hhi(flow), "HS4", basis, None, "exports to the partner"))
        rows.append(_row("HHI normalised (UNCTAD H*)", d, hhi_normalised(flow), "HS4", basis, None,
                         "N = product lines with positive value; do not compare across levels"))
    rows.append(_row("intra-industry trade type", f"{a}<->{b}", np.nan, "HS4", basis, None,
                     "not computed: no quantities, so no unit values (horizontal/vertical split)"))
    return pd.DataFrame(rows)


def _dependency(a, b, ab, ba, inputs, world) -> pd.DataFrame:
    """Partner's share in each side's imports of the top products, with the substitute pool."""
    shares = est.destination_shares(inputs.bilateral)
    rca = _world_rca(world)
    frames = []
    for supplier, importer, flow in ((a, b, ab), (b, a, ba)):
        top = struct.top_products(flow, DEPENDENCY_N)["product"]
        j = inputs.importers.index(importer)
        p_idx = pd.Index(inputs.products).get_indexer(top)
        by_supplier = shares[:, j, None] * inputs.exports[:, p_idx]
        long = pd.DataFrame(by_supplier, index=pd.Index(inputs.exporters, name="supplier"),
                            columns=top.to_numpy()).stack().rename("value_usd").reset_index()
        long = long.rename(columns={"level_1": "product"})
        long = long[long["value_usd"] > 0]
        total = long.groupby("product")["value_usd"].sum()
        part = long[long.supplier == supplier].set_index("product")["value_usd"]
        dep = dependency_share(part, total).rename("dependency_share").reset_index()
        pool = substitute_suppliers(long, rca, supplier)
        frames.append(dep.merge(pool, on="product", how="left").assign(
            supplier=supplier, importer=importer, imports_from_supplier_usd=dep["product"].map(part),
            imports_total_usd=dep["product"].map(total)))
    out = pd.concat([f.sort_values("imports_from_supplier_usd", ascending=False) for f in frames],
                    ignore_index=True)
    out["basis"] = ESTIMATED
    return out


def _world_rca(world: pd.DataFrame) -> pd.DataFrame:
    """Balassa RCA on the world-exports matrix (the complexity engine owns the full version)."""
    w = world.groupby(["exporter", "product"], as_index=False)["value_usd"].sum()
    w = w[w.value_usd > 0]
    x_c = w.groupby("exporter")["value_usd"].transform("sum")
    x_p = w.groupby("product")["value_usd"].transform("sum")
    w["rca"] = (w.value_usd / x_c) / (x_p / w.value_usd.sum())
    return w.rename(columns={"exporter": "location"})


def _row(indicator, direction, value, level, basis, year, note) -> dict[str, Any]:
    return {"indicator": indicator, "direction": direction, "value": value, "level": level,
            "basis": basis, "year": year, "note": note}


def _label(info: Any, name: str) -> str:
    return getattr(info, "provenance_label", None) or f"dataset '{name}'"


def _prov(table: str, info: Any, basis: str, name: str) -> dict[str, Any]:
    return {"table": table, "source": _label(info, name), "basis": basis,
            "method": "observed" if basis == OBSERVED else "estimated"}
