"""Estimated bilateral product flows where no observed product-level bilateral file exists.

Notation: ``x_ik`` = exporter i's exports of product k to the world, ``X_i = sum_k x_ik``,
``b_ij`` = observed aggregate exports of i to j (all products), ``x_ijk`` = the unknown flow.

Method (default, ``method="proportional"``)
------------------------------------------
Biproportional fitting (RAS / iterative proportional fitting) of the cube ``x_ijk`` to the two
margins we observe, the exporter x product totals ``x_ik`` and the exporter x importer totals
``b_ij``, from a uniform prior. For two margins of one exporter the RAS solution from a uniform
prior has the closed form

    x_ijk = s_ij * x_ik,        s_ij = b_ij / sum_j' b_ij'

(each exporter sends the same product mix to every destination: the "proportionality assumption"
of multi-regional input-output construction, Lenzen et al. 2013, doi:10.1080/09535314.2013.769938;
it is also the minimum cross-entropy solution, Bacharach 1970, *Biproportional Matrices and
Input-Output Change*, Cambridge UP, ISBN 9780521076944). Both margins are reproduced exactly:
``sum_j x_ijk = x_ik`` and ``sum_k x_ijk = s_ij X_i``.

Importer demand (``method="ipf3"``)
-----------------------------------
Where importers' product totals ``m_jk`` are known too (e.g. the user imported reporter-side
import files), :func:`ipf3` fits the cube to all three two-way margins (ij, ik, jk) by iterative
proportional fitting (Deming & Stephan 1940, doi:10.1214/aoms/1177731829), starting from the
proportional estimate. Without ``m_jk`` the import-demand structure is not identified from the
bundled data and the proportional estimate is used; its error is measured in
``docs/estimation.md`` (``benchmarks/estimation_error.py``).

Year mismatch
-------------
The bundled bilateral totals are observed every four years to 2016 and the world product exports are
for 2017. The estimator uses the destination *shares* ``s_ij`` of the latest bilateral year not after
the product year (2016 for 2017) and scales them to the product year's export totals ``X_i``; every
output row names both years in its ``method`` string and carries ``estimated=True``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tradecoop.errors import ConvergenceError, DataQualityWarning, DataValidationError

#: label of the default method in every output row
METHOD_PROPORTIONAL = "proportional allocation (RAS of exporter-product and bilateral totals)"
METHOD_IPF3 = "3-margin IPF (exporter-product, bilateral and importer-product totals)"

#: reporters that bilateral-totals sources know only as an aggregate (UN Comtrade before 1999,
#: kept by the bundled penppml data to 2016): aggregate -> members
REPORTER_AGGREGATES: dict[str, tuple[str, ...]] = {"BLX": ("BEL", "LUX")}

#: IPF stops when every margin is within this error, relative to the largest cell of that margin
IPF_TOL = 1e-8
IPF_MAX_ITER = 10_000


def proportional_flows(exports_ik: np.ndarray, bilateral_ij: np.ndarray) -> np.ndarray:
    """Proportional (RAS, uniform prior) estimate of the flow cube.

    ``x_ijk = s_ij * x_ik`` with ``s_ij = b_ij / sum_j b_ij`` (Bacharach 1970; Lenzen et al. 2013,
    doi:10.1080/09535314.2013.769938).

    Parameters
    ----------
    exports_ik : (n_exporters, n_products) exports to the world, non-negative
    bilateral_ij : (n_exporters, n_importers) aggregate bilateral exports, non-negative; only the
        row shares are used

    Returns
    -------
    (n_exporters, n_importers, n_products) array; exporters whose bilateral row sums to 0 get 0.

    Examples
    --------
    One exporter with products (60, 40) and bilateral totals (3, 1) to two importers:
    shares (0.75, 0.25), so importer 0 gets (45, 30) and importer 1 gets (15, 10).

    >>> proportional_flows(np.array([[60.0, 40.0]]), np.array([[3.0, 1.0]]))[0].tolist()
    [[45.0, 30.0], [15.0, 10.0]]
    """
    shares = destination_shares(bilateral_ij)
    return shares[:, :, None] * np.asarray(exports_ik, dtype=float)[:, None, :]


def destination_shares(bilateral_ij: np.ndarray) -> np.ndarray:
    """Row shares ``s_ij = b_ij / sum_j b_ij`` (0 for rows that sum to 0)."""
    b = np.asarray(bilateral_ij, dtype=float)
    totals = b.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, b / np.where(totals > 0, totals, 1.0), 0.0)


def estimated_imports(exports_ik: np.ndarray, bilateral_ij: np.ndarray) -> np.ndarray:
    """Importers' product imports implied by the proportional estimate.

    ``m_jk = sum_i s_ij x_ik`` (a dense (n_importers, n_products) matrix product; the cube is never
    built, so the bundled world, 224 x 220 x 1,222, takes milliseconds).
    """
    return destination_shares(bilateral_ij).T @ np.asarray(exports_ik, dtype=float)


def ipf3(
    prior: np.ndarray,
    margin_ij: np.ndarray,
    margin_ik: np.ndarray,
    margin_jk: np.ndarray,
    *,
    tol: float = IPF_TOL,
    max_iter: int = IPF_MAX_ITER,
) -> np.ndarray:
    """Fit a non-negative cube to its three two-way margins by iterative proportional fitting.

    Each iteration rescales ``x_ijk`` by ``margin_ij / sum_k x``, then ``margin_ik / sum_j x``,
    then ``margin_jk / sum_i x`` (Deming & Stephan 1940, doi:10.1214/aoms/1177731829). Cells that
    are 0 in the prior stay 0. The margins must share one grand total.

    Raises
    ------
    DataValidationError
        If a margin is negative or the margins' grand totals differ by more than ``tol`` (relative).
    ConvergenceError
        If the largest relative margin error is still above ``tol`` after ``max_iter`` sweeps
        (the margins may be inconsistent with the prior's zero pattern); nothing is returned.
    """
    x = np.array(prior, dtype=float, copy=True)
    margins = {"ij": np.asarray(margin_ij, float), "ik": np.asarray(margin_ik, float),
               "jk": np.asarray(margin_jk, float)}
    for name, m in margins.items():
        if (m < 0).any():
            raise DataValidationError(f"margin {name} must be non-negative; {(m < 0).sum()} cells are negative")
    totals = [m.sum() for m in margins.values()]
    if max(totals) - min(totals) > tol * max(max(totals), 1.0):
        raise DataValidationError(
            f"the three margins must share one grand total; found ij={totals[0]:.6g}, "
            f"ik={totals[1]:.6g}, jk={totals[2]:.6g}"
        )
    axes = {"ij": 2, "ik": 1, "jk": 0}
    for _ in range(max_iter):
        for name, axis in axes.items():
            current = x.sum(axis=axis)
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where(current > 0, margins[name] / np.where(current > 0, current, 1.0), 0.0)
            x *= np.expand_dims(factor, axis)
        err = max(_relative_error(x.sum(axis=a), margins[n]) for n, a in axes.items())
        if err < tol:
            return x
    raise ConvergenceError(
        f"3-margin IPF did not converge in {max_iter} sweeps (largest relative margin error "
        f"{err:.3g} > tol {tol:g}); the margins may be inconsistent with the prior's zero cells"
    )


def _relative_error(current: np.ndarray, target: np.ndarray) -> float:
    scale = max(float(np.abs(target).max()), 1e-300)
    return float(np.abs(current - target).max() / scale)


# --- frames ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlowInputs:
    """Aligned arrays for the estimator, with their labels.

    ``exports`` is (exporters x products) in USD for ``year``; ``bilateral`` is (exporters x
    importers) from ``reference_year``. Exporters without bilateral totals are dropped (warned).
    """

    exporters: tuple[str, ...]
    importers: tuple[str, ...]
    products: tuple[str, ...]
    exports: np.ndarray
    bilateral: np.ndarray
    year: int
    reference_year: int
    source: str

    @property
    def method(self) -> str:
        return (
            f"ESTIMATED: {METHOD_PROPORTIONAL}; product exports {self.year}, destination shares "
            f"from bilateral totals {self.reference_year}"
        )


def prepare_inputs(
    world_exports: pd.DataFrame,
    bilateral_totals: pd.DataFrame,
    *,
    year: int | None = None,
    source: str = "",
    aggregates: dict[str, tuple[str, ...]] | None = None,
) -> FlowInputs:
    """Align a world-exports frame and a bilateral-totals frame for the estimator.

    Reporters that the bilateral totals only know as an aggregate (``BLX`` = Belgium-Luxembourg,
    :data:`REPORTER_AGGREGATES`) are summed into it on the product side when the aggregate has
    bilateral totals and its members do not (a :class:`DataQualityWarning` says so).

    Parameters
    ----------
    world_exports : columns ``year, exporter, product, value_usd`` (one year is used: ``year`` or
        the latest)
    bilateral_totals : columns ``year, exporter, importer, value_usd`` (rows flagged
        ``missing_report`` are ignored); the latest year not after the product year is used
    source : provenance text carried into every output row
    aggregates : aggregate code -> member codes (default :data:`REPORTER_AGGREGATES`)

    Raises
    ------
    DataValidationError
        On missing columns, negative values, or when no bilateral year precedes the product year.
    """
    _require(world_exports, ("year", "exporter", "product", "value_usd"), "world exports")
    _require(bilateral_totals, ("year", "exporter", "importer", "value_usd"), "bilateral totals")
    wx = world_exports
    year = int(wx["year"].max()) if year is None else int(year)
    wx = wx[wx["year"] == year]
    if wx.empty:
        raise DataValidationError(f"world exports have no rows for year {year}; years present: "
                                  f"{sorted(world_exports['year'].unique().tolist())}")
    bt = bilateral_totals
    if "missing_report" in bt.columns:
        bt = bt[~bt["missing_report"].astype(bool)]
    years = sorted(int(y) for y in bt["year"].unique() if int(y) <= year)
    if not years:
        raise DataValidationError(
            f"bilateral totals need a year <= the product year {year}; found "
            f"{sorted(bilateral_totals['year'].unique().tolist())}"
        )
    ref = years[-1]
    bt = bt[bt["year"].astype(int) == ref]
    for name, frame in (("world exports", wx), ("bilateral totals", bt)):
        neg = frame["value_usd"] < 0
        if neg.any():
            first = frame[neg].iloc[0]
            raise DataValidationError(
                f"{name}: value_usd must be non-negative; {int(neg.sum())} rows are negative "
                f"(first: exporter={first['exporter']}, year={first['year']})"
            )
    wx = wx[wx["value_usd"].fillna(0) > 0]
    bt = bt[(bt["value_usd"].fillna(0) > 0) & (bt["exporter"] != bt["importer"])]
    with_bilateral = set(bt["exporter"])
    wx = _merge_aggregates(wx, with_bilateral, REPORTER_AGGREGATES if aggregates is None else aggregates)
    dropped = sorted(set(wx["exporter"]) - with_bilateral)
    if dropped:
        lost = wx.loc[wx["exporter"].isin(dropped), "value_usd"].sum()
        warnings.warn(
            f"{len(dropped)} exporters have product exports for {year} but no bilateral totals for "
            f"{ref} and are left out of the estimate (USD {lost:,.0f}, "
            f"{lost / wx['value_usd'].sum():.2%} of world exports; first: {', '.join(dropped[:5])})",
            DataQualityWarning,
            stacklevel=2,
        )
        wx = wx[~wx["exporter"].isin(dropped)]
    exporters = tuple(sorted(set(wx["exporter"])))
    importers = tuple(sorted(set(bt["importer"])))
    products = tuple(sorted(set(wx["product"])))
    e_idx = pd.Index(exporters)
    exp = np.zeros((len(exporters), len(products)))
    np.add.at(exp, (e_idx.get_indexer(wx["exporter"]), pd.Index(products).get_indexer(wx["product"])),
              wx["value_usd"].to_numpy(float))
    bt = bt[bt["exporter"].isin(exporters)]
    bil = np.zeros((len(exporters), len(importers)))
    np.add.at(bil, (e_idx.get_indexer(bt["exporter"]), pd.Index(importers).get_indexer(bt["importer"])),
              bt["value_usd"].to_numpy(float))
    return FlowInputs(exporters, importers, products, exp, bil, year, ref, source)


def _merge_aggregates(wx: pd.DataFrame, with_bilateral: set[str],
                      aggregates: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    for code, members in aggregates.items():
        present = [m for m in members if m in set(wx["exporter"]) and m not in with_bilateral]
        if code in with_bilateral and code not in set(wx["exporter"]) and present:
            warnings.warn(
                f"product exports of {', '.join(present)} are summed into {code}: the bilateral "
                f"totals report them only as {code}",
                DataQualityWarning,
                stacklevel=3,
            )
            wx = wx.assign(exporter=wx["exporter"].where(~wx["exporter"].isin(present), code))
    return wx


def estimate_pair_flows(inputs: FlowInputs, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Estimated product flows for the given (exporter, importer) pairs (proportional method).

    Returns a tidy frame ``year, exporter, importer, product, value_usd, estimated, method,
    source`` with positive flows only; ``estimated`` is True on every row.

    Raises
    ------
    DataValidationError
        If an exporter or importer of a pair is not in the inputs.
    """
    shares = destination_shares(inputs.bilateral)
    frames = []
    for exporter, importer in pairs:
        i = _position(inputs.exporters, exporter, "exporter")
        j = _position(inputs.importers, importer, "importer")
        flow = shares[i, j] * inputs.exports[i]
        keep = flow > 0
        frames.append(pd.DataFrame({
            "year": inputs.year, "exporter": exporter, "importer": importer,
            "product": np.asarray(inputs.products, dtype=object)[keep], "value_usd": flow[keep],
        }))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=["year", "exporter", "importer", "product", "value_usd"])
    return _label(out, inputs)


def estimate_imports(inputs: FlowInputs, importers: list[str] | None = None) -> pd.DataFrame:
    """Estimated imports by product (``m_jk = sum_i s_ij x_ik``) for the given importers.

    Returns ``year, importer, product, value_usd, estimated, method, source``.
    """
    imports = estimated_imports(inputs.exports, inputs.bilateral)
    names = list(inputs.importers) if importers is None else importers
    frames = []
    for name in names:
        j = _position(inputs.importers, name, "importer")
        keep = imports[j] > 0
        frames.append(pd.DataFrame({
            "year": inputs.year, "importer": name,
            "product": np.asarray(inputs.products, dtype=object)[keep], "value_usd": imports[j][keep],
        }))
    return _label(pd.concat(frames, ignore_index=True), inputs)


def _label(frame: pd.DataFrame, inputs: FlowInputs) -> pd.DataFrame:
    frame = frame.copy()
    frame["estimated"] = True
    frame["method"] = inputs.method
    frame["source"] = inputs.source
    return frame


def _position(labels: tuple[str, ...], code: str, role: str) -> int:
    try:
        return labels.index(code)
    except ValueError:
        raise DataValidationError(
            f"{role} {code!r} is not in the estimator's inputs ({len(labels)} {role}s, e.g. "
            f"{', '.join(labels[:5])}); it has no product exports or no bilateral totals"
        ) from None


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"{what}: expected columns {', '.join(columns)}; missing {', '.join(missing)} "
            f"(found {', '.join(map(str, frame.columns))})"
        )


# --- measuring the error where the truth is known -----------------------------------------


def synthetic_world(
    n_exporters: int = 60,
    n_importers: int = 60,
    n_products: int = 300,
    *,
    seed: int = 0,
    demand_sigma: float = 1.0,
    noise_sigma: float = 1.0,
) -> np.ndarray:
    """A seeded, BACI-shaped world of true flows ``x_ijk`` (exporter x importer x product, USD).

    ``x_ijk = A_i B_j d_ij^-1 u_ik v_jk e_ijk`` on a sparse support, with heavy-tailed (lognormal,
    sigma 2) exporter and importer sizes ``A_i, B_j``, a random distance ``d_ij``, exporter
    specialisation ``u_ik`` (lognormal sigma 1.5, present with probability rising with size, so
    small exporters make few products), importer-specific demand ``v_jk`` (lognormal
    ``demand_sigma``: the part the proportional estimate cannot see) and cell noise ``e_ijk``
    (lognormal ``noise_sigma``); a cell trades with probability 0.03-0.63 rising with the pair's
    size ranks (about 10% of cells are positive, near BACI's share at HS4). Diagonal
    (i = j) flows are 0 when the two axes are the same countries. Deterministic for a seed.
    """
    rng = np.random.default_rng(seed)
    size_i = rng.lognormal(0.0, 2.0, n_exporters)
    size_j = rng.lognormal(0.0, 2.0, n_importers)
    dist = rng.uniform(0.3, 3.0, (n_exporters, n_importers))
    rank_i = size_i.argsort().argsort() / max(n_exporters - 1, 1)
    rank_j = size_j.argsort().argsort() / max(n_importers - 1, 1)
    makes = rng.random((n_exporters, n_products)) < (0.1 + 0.7 * rank_i)[:, None]
    u = np.where(makes, rng.lognormal(0.0, 1.5, (n_exporters, n_products)), 0.0)
    v = rng.lognormal(0.0, demand_sigma, (n_importers, n_products))
    pair = size_i[:, None] * size_j[None, :] / dist
    p_trade = 0.03 + 0.6 * ((rank_i[:, None] + rank_j[None, :]) / 2.0) ** 2
    trades = rng.random((n_exporters, n_importers, n_products)) < p_trade[:, :, None]
    noise = rng.lognormal(0.0, noise_sigma, (n_exporters, n_importers, n_products))
    cube = pair[:, :, None] * u[:, None, :] * v[None, :, :] * noise * trades
    if n_exporters == n_importers:
        cube[np.arange(n_exporters), np.arange(n_exporters), :] = 0.0
    return cube * 1e6


@dataclass(frozen=True)
class EstimationError:
    """Error of estimated pair x product flows against the truth (all pairs pooled).

    Attributes
    ----------
    wmape : sum |est - true| / sum true over pair x product cells (value-weighted MAPE)
    correlation : Pearson correlation of est and true over cells where either is positive
    log_correlation : Pearson correlation of log values over cells where both are positive
    top10_value_share : value-weighted mean over pairs of the share of the true top-10 products'
        value that lies in products the estimate also ranks top-10
    margin_error : largest relative error of the two margins the estimator sees (should be ~0)
    """

    wmape: float
    correlation: float
    log_correlation: float
    top10_value_share: float
    margin_error: float


def flow_error(true: np.ndarray, est: np.ndarray, top: int = 10) -> EstimationError:
    """Compare an estimated cube with the true one (same shape); see :class:`EstimationError`."""
    t, e = np.asarray(true, float), np.asarray(est, float)
    cells = (t > 0) | (e > 0)
    wmape = float(np.abs(e - t).sum() / t.sum())
    corr = float(np.corrcoef(t[cells], e[cells])[0, 1])
    both = (t > 0) & (e > 0)
    log_corr = float(np.corrcoef(np.log(t[both]), np.log(e[both]))[0, 1])
    n_i, n_j, n_k = t.shape
    top = min(top, n_k)
    flat_t, flat_e = t.reshape(n_i * n_j, n_k), e.reshape(n_i * n_j, n_k)
    idx_t = np.argsort(-flat_t, axis=1, kind="stable")[:, :top]
    idx_e = np.argsort(-flat_e, axis=1, kind="stable")[:, :top]
    in_both = (idx_t[:, :, None] == idx_e[:, None, :]).any(axis=2)
    top_vals = np.take_along_axis(flat_t, idx_t, axis=1)
    pair_top = top_vals.sum(axis=1)
    hit = (top_vals * in_both).sum(axis=1)
    share = float(hit.sum() / pair_top.sum()) if pair_top.sum() > 0 else float("nan")
    margins = max(_relative_error(e.sum(axis=1), t.sum(axis=1)),
                  _relative_error(e.sum(axis=2), t.sum(axis=2)))
    return EstimationError(wmape, corr, log_corr, share, margins)
