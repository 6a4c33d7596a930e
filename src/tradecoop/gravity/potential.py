"""Untapped trade potential of a country pair from structural gravity (estimates, not forecasts).

Two measures, each way (A -> B and B -> A), on aggregate bilateral trade:

(a) **In-sample PPML prediction** without a pair fixed effect,

        X_ijt = exp(pi_it + chi_jt + b'Z_ij[t]),   Z = (ln DIST, CNTG, LANG, CLNY, RTA),

    compared with the actual flow. The 95 % range comes from the cluster-robust covariance V of
    b by the delta method: Var(ln Xhat_ij) ~= g' V g with g the covariates of the pair after
    weighted two-way demeaning within the year (weights Xhat, the response of the fixed
    effects to b to first order); the sampling error of the fixed effects is not included.

(b) **The pair fixed effect against observables.** Fit

        X_ijt = exp(pi_it + chi_jt + mu_ij + c RTA_ijt)

    then regress the estimated mu_ij on ln DIST, CNTG, LANG, CLNY, an agreement indicator and a
    customs-union / common-market indicator (docs/methods.md section 6; from the World Bank
    agreement names in the panel, :data:`CUSTOMS_UNIONS`) with exporter and importer fixed
    effects (mu_ij is identified only up to such terms; OLS, heteroskedasticity-robust).
    ``pair_gap = mu_hat_ij - mu_ij`` (log points): **negative = over-trading** (the pair trades
    more than its observables predict), positive = untapped potential. Range: delta method on the
    second-stage slopes (two-way demeaned regressors).

Measure (a) leads: it is the robust one. The pair gap (b) depends on which countries are in the
sample (the fixed effects and second-stage slopes move with it); ``pair_gap_sensitivity`` reports
it on nested samples of the largest traders, and the default sample is every country with
covariates in every window year.

Method: Yotov, Piermartini, Monteiro & Larch (2016), doi:10.30875/abc0167e-en, ch. 1 and 3;
Anderson & van Wincoop (2003), doi:10.1257/000282803321455214; caveat: Egger (2002),
doi:10.1111/1467-9701.00432 (in-sample residuals of a well-specified model are noise).
"""

from __future__ import annotations

import copy
import difflib
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from tradecoop.errors import DataQualityWarning, DataValidationError, EstimationError, NotFoundError
from tradecoop.gravity.estimate import fit_gravity
from tradecoop.gravity.spec import GravitySpec

#: largest traders kept in the estimation sample (plus the pair); None = every country with
#: covariates present in every window year (the default: a pair gap moves with the sample)
DEFAULT_N_COUNTRIES: int | None = None
#: nested samples (largest traders) on which the pair gap's sensitivity is reported
SENSITIVITY_SAMPLES: tuple[int | None, ...] = (40, 60, 100, None)
#: customs unions and common markets among the World Bank deep-trade-agreement names (the
#: agreement recorded for a pair-year); EEA, FTAs and PTAs are not customs unions
CUSTOMS_UNIONS = re.compile(
    r"^EC/EU$|^EU - (?:Turkey|Andorra|San Marino)$|Eurasian Economic Union|^Russian Federation - Belarus - Kazakhstan$"
    r"|Southern Common Market \(MERCOSUR\)$|Caribbean Community and Common Market|Southern African Customs Union"
    r"|^East African Community|Andean Community|Central American Common Market|^Gulf Cooperation Council \(GCC\)$"
    r"|Economic and Monetary Community of Central Africa|West African Economic and Monetary Union"
)
#: number of consecutive data years (the bundled panel has one every 4 years) ending at ``year``
DEFAULT_WINDOW = 3
#: two-sided 95 % normal quantile
Z95 = 1.959963984540054
STRUCTURAL_BREAKS = (2014, 2022)
FIRST_STAGE = ("ln_dist", "cntg", "lang", "clny", "rta")
SECOND_STAGE = ("ln_dist", "cntg", "lang", "clny", "rta_any", "cu_any")
_REQUIRED = ("year", "exporter", "importer", "trade", "ln_dist", "cntg", "lang", "clny")

OVER = "over-trading"
UNDER = "untapped potential"
IN_LINE = "in line with gravity"


@dataclass(frozen=True)
class DirectionPotential:
    """One direction (exporter -> importer) of a pair in ``year``; money in USD, gaps in log points.

    (a) ``actual`` vs ``predicted`` [``predicted_low``, ``predicted_high``] (95 %) and ``label``.
    (b) ``pair_effect`` mu_ij, ``pair_effect_predicted`` (from observables), ``pair_gap`` =
    predicted - estimated [95 % range]: negative = over-trading; ``pair_gap_z`` = pair_gap over
    the standard deviation of all pairs' second-stage residuals; ``trade_at_predicted_pair_effect``
    = actual * exp(pair_gap), the flow if the pair had the effect its observables predict.
    """

    exporter: str
    importer: str
    year: int
    actual: float | None
    predicted: float
    predicted_low: float
    predicted_high: float
    label: str
    pair_effect: float | None
    pair_effect_predicted: float | None
    pair_gap: float | None
    pair_gap_low: float | None
    pair_gap_high: float | None
    pair_gap_z: float | None
    trade_at_predicted_pair_effect: float | None
    pair_label: str
    note: str | None = None


@dataclass(frozen=True)
class PotentialResult:
    """Trade potential of pair (a, b) in ``year``: both directions, method, sample and caveats."""

    a: str
    b: str
    year: int
    years_used: tuple[int, ...]
    countries: tuple[str, ...]
    n_obs: int
    n_obs_pair_fe: int
    n_pairs_second_stage: int
    directions: tuple[DirectionPotential, ...]
    exporter_gap_share: dict[str, float]
    coefficients: dict[str, dict[str, float]]
    second_stage: dict[str, dict[str, float]]
    uncertainty: str
    caveats: tuple[str, ...]
    estimated: bool = True
    #: which measure leads (the robust one: actual vs predicted without a pair fixed effect)
    headline_measure: str = "(a) actual vs predicted without pair fixed effect"
    #: pair gap (log points) per direction on nested samples: [{"countries", "exporter", "importer", "pair_gap", ...}]
    pair_gap_sensitivity: tuple[dict, ...] = ()

    @property
    def headline(self) -> tuple[str, ...]:
        """One line per direction from measure (a): actual, predicted [range], reading."""
        out = []
        for d in self.directions:
            actual = "not reported" if d.actual is None else f"USD {d.actual / 1e9:,.2f} bn"
            out.append(f"{d.exporter} -> {d.importer} {d.year}: actual {actual}, predicted USD "
                       f"{d.predicted / 1e9:,.2f} bn [{d.predicted_low / 1e9:,.2f}, {d.predicted_high / 1e9:,.2f}]: {d.label}")
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["headline"] = list(self.headline)
        out["pair_gap_sensitivity"] = [dict(r) for r in self.pair_gap_sensitivity]
        out["directions"] = [asdict(d) for d in self.directions]
        out["years_used"] = list(self.years_used)
        out["countries"] = list(self.countries)
        out["caveats"] = list(self.caveats)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Long table: one row per direction and measure (estimate, 95 % range, reading).

        Money in USD bn here (``to_dict`` keeps USD); the pair gap in log points.
        """

        def bn(x: float | None) -> float | None:
            return None if x is None else x / 1e9

        rows = []
        for d in self.directions:
            flow = f"{d.exporter}->{d.importer}"
            rows += [
                (flow, "actual, USD bn", bn(d.actual), None, None, d.note or ""),
                (flow, "(a) predicted, USD bn", bn(d.predicted), bn(d.predicted_low),
                 bn(d.predicted_high), d.label),
                (flow, "(b) pair gap, log points", d.pair_gap, d.pair_gap_low, d.pair_gap_high,
                 d.pair_label),
                (flow, "(b) at predicted pair effect, USD bn", bn(d.trade_at_predicted_pair_effect),
                 None, None, ""),
            ]
        return pd.DataFrame(rows, columns=["flow", "measure", "estimate", "low", "high", "reading"])

    def title(self) -> str:
        years = ", ".join(map(str, self.years_used))
        return (
            f"Gravity trade potential {self.a} <-> {self.b}, {self.year} (ESTIMATES; USD; PPML on "
            f"{len(self.countries)} countries, years {years}; pair_gap < 0 = over-trading)"
        )


def _demean(x: np.ndarray, groups: list[np.ndarray], weights: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    """Weighted alternating projections: x minus its weighted group means, for every grouping."""
    x = x.astype(float).copy()
    w = np.asarray(weights, dtype=float)
    for _ in range(1000):
        change = 0.0
        for codes in groups:
            wsum = np.bincount(codes, weights=w)
            for k in range(x.shape[1]):
                mean = np.bincount(codes, weights=w * x[:, k]) / np.where(wsum > 0, wsum, 1.0)
                x[:, k] -= mean[codes]
                change = max(change, float(np.max(np.abs(mean))))
        if change < tol:
            break
    return x


def _varying(frame: pd.DataFrame, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if n in frame.columns and frame[n].nunique(dropna=True) > 1)


def _coef_dict(model: Any) -> dict[str, dict[str, float]]:
    tidy = model.tidy()
    return {
        str(t): {"estimate": float(r["Estimate"]), "std_error": float(r["Std. Error"])}
        for t, r in tidy.iterrows()
    }


def _resolve(code: str, known: set[str]) -> str:
    text = code.strip().upper()
    if text in known:
        return text
    if "-" in text:
        raise NotFoundError(
            f"{code!r} looks like a region; the gravity model is country-level (a region's figure "
            "would be an estimate scaled from its country and is not computed here)"
        )
    close = difflib.get_close_matches(text, sorted(known), n=5)
    raise NotFoundError(
        f"no country {code!r} in the gravity panel" + (f"; close: {', '.join(close)}" if close else "")
    )


def _flows(panel: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    """International flows of the window years."""
    return panel[panel["year"].isin(years) & (panel["exporter"] != panel["importer"])]


def _base_countries(flows: pd.DataFrame, years: list[int], n_countries: int | None) -> list:
    """The ``n_countries`` largest traders present every year of the window (all when None)."""
    every = None
    for y in years:
        in_year = flows[flows["year"] == y]
        present = set(in_year["exporter"]) & set(in_year["importer"])
        every = present if every is None else every & present
    size = (
        flows.groupby("exporter")["trade"].sum().add(flows.groupby("importer")["trade"].sum(), fill_value=0)
    )
    size = size[size.index.isin(every or set())].sort_values(ascending=False)
    return list(size.index if n_countries is None else size.index[:n_countries])


def _sample_of(flows: pd.DataFrame, keep: set) -> pd.DataFrame:
    """Flows among the ``keep`` countries with every value the models use."""
    out = flows[flows["exporter"].isin(keep) & flows["importer"].isin(keep)]
    incomplete = out[list(_REQUIRED)].isna().any(axis=1)
    if incomplete.any():
        warnings.warn(
            f"trade potential: dropped {int(incomplete.sum())} of {len(out)} flows with a missing "
            "value (no covariates for the pair, or no flow value)",
            DataQualityWarning,
            stacklevel=2,
        )
    out = out[~incomplete].copy()
    out["exp_year"] = out["exporter"] + "_" + out["year"].astype(str)
    out["imp_year"] = out["importer"] + "_" + out["year"].astype(str)
    out["pair_id"] = out["exporter"] + "_" + out["importer"]
    return out


def _with_rta(sample: pd.DataFrame, treaties: pd.DataFrame | None, years: list[int]) -> pd.DataFrame:
    if "rta" not in sample.columns:
        from tradecoop.gravity.io import TREATIES, _read_bundled, rta_from_treaties

        rta = rta_from_treaties(_read_bundled(TREATIES) if treaties is None else treaties, years)
        sample = sample.merge(rta, on=["exporter", "importer", "year"], how="left")
        sample["rta"] = sample["rta"].fillna(0.0)
    sample["rta_any"] = sample.groupby("pair_id")["rta"].transform("max")
    if "cu" not in sample.columns:
        names = sample["agreement"] if "agreement" in sample.columns else pd.Series("", index=sample.index)
        sample["cu"] = names.fillna("").astype(str).str.contains(CUSTOMS_UNIONS).astype(float)
    sample["cu_any"] = sample.groupby("pair_id")["cu"].transform("max")
    return sample


# --- estimate once, reuse for every pair ---------------------------------------------------
#: columns of a panel the models read (the digest of a panel's content covers these)
_PANEL_COLUMNS = (*_REQUIRED, "rta", "cu", "agreement")
#: columns of a treaty list :func:`~tradecoop.gravity.io.rta_from_treaties` reads
_TREATY_COLUMNS = ("parties", "signed_year", "in_force_year")
#: what a pair's figures are read from: the sample rows of the compared year
_LAST_COLUMNS = ("exporter", "importer", "year", "trade", "predicted", "se_log")


@dataclass(frozen=True)
class _Data:
    """What a call needs to know about the panel before any fit."""

    known: frozenset
    available: tuple[int, ...]
    #: data-quality warnings raised while the panel was built (replayed on every call)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class _Fit:
    """What the two stages produce on one sample: every pair's figures can be read from it.

    Built only from :meth:`arrays` (:meth:`from_arrays`), on the fitted path too, so a result
    read from the cache is the one the fit gave, number for number.
    """

    countries: tuple[str, ...]
    n_exporters: int
    n_obs: int
    n_obs_pair_fe: int
    n_pairs_second_stage: int
    coefficients: dict[str, dict[str, float]]
    second_stage: dict[str, dict[str, float]]
    resid_sd: float
    #: sample rows of the compared year (:data:`_LAST_COLUMNS`)
    last: pd.DataFrame
    mu: pd.Series
    mu_hat: pd.Series
    se_gap: pd.Series
    #: data-quality warnings raised while the sample was built (replayed on every call)
    warnings: tuple[str, ...] = ()

    @staticmethod
    def arrays_of(sample: pd.DataFrame, year: int, res_a: Any, res_b: Any, stage2: Any, mu: pd.Series,
                  mu_hat: pd.Series, se_gap: pd.Series, resid_sd: float, pairs: pd.DataFrame,
                  caught: tuple[str, ...]) -> dict[str, np.ndarray]:
        last = sample.loc[sample["year"] == year, list(_LAST_COLUMNS)]
        meta = {
            "format": _cache().FORMAT,
            "countries": sorted(set(sample["exporter"]) | set(sample["importer"])),
            "n_exporters": len(set(sample["exporter"])),
            "n_obs": int(res_a.n_obs),
            "n_obs_pair_fe": int(res_b.n_obs),
            "n_pairs_second_stage": len(pairs),
            "coefficients": _coef_dict(res_a.model),
            "second_stage": _coef_dict(stage2),
            "resid_sd": float(resid_sd),
            "warnings": list(caught),
        }
        out = {"meta": np.array(json.dumps(meta, allow_nan=True))}
        for c in ("exporter", "importer"):
            out[c] = last[c].to_numpy(dtype=str)
        out["year"] = last["year"].to_numpy(dtype=np.int64)
        for c in ("trade", "predicted", "se_log"):
            out[c] = last[c].to_numpy(dtype=np.float64)
        out["mu_pair"] = mu.index.to_numpy(dtype=str)
        out["mu"] = mu.to_numpy(dtype=np.float64)
        out["pair"] = mu_hat.index.to_numpy(dtype=str)
        out["mu_hat"] = mu_hat.to_numpy(dtype=np.float64)
        out["se_gap"] = se_gap.reindex(mu_hat.index).to_numpy(dtype=np.float64)
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray] | None) -> _Fit | None:
        """The fit stored in ``arrays``; None when they are not a whole entry of this format."""
        try:
            meta = json.loads(str(arrays["meta"]))
            if meta.get("format") != _cache().FORMAT:
                return None
            last = pd.DataFrame({
                "exporter": arrays["exporter"].astype(object),
                "importer": arrays["importer"].astype(object),
                "year": arrays["year"].astype(np.int64),
                **{c: arrays[c].astype(np.float64) for c in ("trade", "predicted", "se_log")},
            })
            pair = pd.Index(arrays["pair"].astype(object))
            return cls(
                countries=tuple(meta["countries"]), n_exporters=int(meta["n_exporters"]),
                n_obs=int(meta["n_obs"]), n_obs_pair_fe=int(meta["n_obs_pair_fe"]),
                n_pairs_second_stage=int(meta["n_pairs_second_stage"]),
                coefficients=meta["coefficients"], second_stage=meta["second_stage"],
                resid_sd=float(meta["resid_sd"]), last=last,
                mu=pd.Series(arrays["mu"].astype(np.float64), index=pd.Index(arrays["mu_pair"].astype(object))),
                mu_hat=pd.Series(arrays["mu_hat"].astype(np.float64), index=pair),
                se_gap=pd.Series(arrays["se_gap"].astype(np.float64), index=pair),
                warnings=tuple(meta["warnings"]),
            )
        except (TypeError, KeyError, ValueError, AttributeError):
            return None


def _model_spec() -> list:
    """The models as this module fits them (part of a cached fit's name, with the code's digest)."""
    return [list(FIRST_STAGE), list(SECOND_STAGE), CUSTOMS_UNIONS.pattern, ["exp_year", "imp_year"],
            ["exp_year", "imp_year", "pair_id"], "pair_id"]


def _cache():
    from tradecoop.gravity import cache

    return cache


class _Recorded(warnings.catch_warnings):
    """Record the data-quality warnings of a block (to store and replay them); pass on the rest."""

    def __init__(self) -> None:
        super().__init__(record=True)
        self.messages: tuple[str, ...] = ()

    def __enter__(self):
        self._caught = super().__enter__()
        warnings.simplefilter("always", DataQualityWarning)
        return self

    def __exit__(self, *exc: Any) -> None:
        super().__exit__(*exc)
        ours = [w for w in self._caught if issubclass(w.category, DataQualityWarning)]
        self.messages = tuple(str(w.message) for w in ours)
        for w in self._caught:
            if not issubclass(w.category, DataQualityWarning):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)


def _replay(messages: tuple[str, ...]) -> None:
    for text in messages:
        warnings.warn(text, DataQualityWarning, stacklevel=3)


def _fit_models(panel: pd.DataFrame, treaties: pd.DataFrame | None, years: list[int], keep: set) -> dict[str, np.ndarray]:
    """Both stages on the sample of the ``keep`` countries, in stored form (:meth:`_Fit.from_arrays`).

    The compared year is ``years[-1]``.
    """
    with _Recorded() as caught:
        sample = _with_rta(_sample_of(_flows(panel, years), keep), treaties, years)
    first = _varying(sample, FIRST_STAGE)
    spec_a = GravitySpec(covariates=first, fixed_effects=("exp_year", "imp_year"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        res_a = fit_gravity(sample, spec_a, cluster="pair_id")
    pred = np.asarray(res_a.model.predict(newdata=sample, type="response"), dtype=float)
    sample["predicted"] = pred

    # delta method for (a): two-way weighted demeaning within the year
    codes = [pd.factorize(sample[c])[0] for c in ("exp_year", "imp_year")]
    weights = np.nan_to_num(pred)
    g_a = _demean(sample[list(first)].to_numpy(), codes, weights)
    v_a = res_a.vcov.loc[list(first), list(first)].to_numpy()
    sample["se_log"] = np.sqrt(np.einsum("ij,jk,ik->i", g_a, v_a, g_a))

    # (b) pair fixed effects, then the second stage on observables
    mu, mu_hat, se_gap, resid_sd, res_b, stage2, pairs = _stage_b(sample, years)
    return _Fit.arrays_of(sample, years[-1], res_a, res_b, stage2, mu, mu_hat, se_gap, resid_sd, pairs,
                          caught.messages)


class _Source:
    """The panel of one call: loaded at most once, named by a digest of its content.

    The bundled panel (``panel=None``) is named by the bytes of the stored files it is built
    from, so a call whose fits are cached does not read it at all; a panel handed in is named
    by its values.
    """

    def __init__(self, panel: pd.DataFrame | None, treaties: pd.DataFrame | None, use_cache: bool) -> None:
        self._given = panel
        self.treaties = treaties
        self.use_cache = use_cache
        self._panel: pd.DataFrame | None = None
        self._key: str | None = None
        self.load_warnings: tuple[str, ...] = ()
        #: the countries of the sample :meth:`fit` was last asked for
        self.keep: set = set()

    @staticmethod
    def _stored_loader() -> bool:
        from tradecoop.gravity import io as gio

        return gio.bundled_gravity_panel is gio.BUNDLED_LOADER and gio._read_bundled is gio.BUNDLED_READER

    def panel(self) -> pd.DataFrame:
        """The panel, its year an integer (the loader's warnings in :attr:`load_warnings`)."""
        if self._panel is None:
            if self._given is None:
                from tradecoop.gravity import io as gio

                with _Recorded() as caught:
                    panel = gio.bundled_gravity_panel()
                self.load_warnings = caught.messages
            else:
                panel = self._given
            lacking = [c for c in _REQUIRED if c not in panel.columns]
            if lacking:
                _replay(self.load_warnings)
                raise DataValidationError(f"gravity panel: expected columns {list(_REQUIRED)}, lacks {lacking}")
            self._panel = panel.assign(year=pd.to_numeric(panel["year"]).astype(int))
        return self._panel

    def key(self) -> str | None:
        """Digest of the panel's content, the treaty list and the code; None: not cached."""
        if not self.use_cache:
            return None
        if self._key is None:
            from tradecoop.errors import TradecoopError

            cache = _cache()
            try:
                treaties = None if self.treaties is None else cache.frame_digest(
                    self.treaties, [c for c in _TREATY_COLUMNS if c in self.treaties.columns])
                if self._given is None and self._stored_loader():
                    from tradecoop.data.store import open_store
                    from tradecoop.gravity.io import BILATERAL_TOTALS, GRAVITY_COVARIATES, TREATIES

                    store = open_store()
                    names = (BILATERAL_TOTALS, GRAVITY_COVARIATES) + (() if treaties else (TREATIES,))
                    data = ["stored", *(cache.file_digest(store.path(n)) for n in names)]
                else:
                    panel = self.panel()
                    data = ["panel", cache.frame_digest(panel, [c for c in _PANEL_COLUMNS if c in panel.columns])]
                self._key = cache.digest(cache.code_digest(), data, treaties)
            except (OSError, TradecoopError):
                self._key = ""
        return self._key or None

    def data(self) -> _Data:
        """Countries and years of the panel (read from the cache for the stored panel)."""
        cache = _cache()
        name = None
        if self._given is None and self._stored_loader() and self.key():
            name = f"data-{self.key()}.json"
            hit = cache.recall(name)
            if hit is None:
                raw = cache.read_json(name)
                try:
                    hit = _Data(frozenset(raw["known"]), tuple(int(y) for y in raw["available"]),
                                tuple(raw["warnings"])) if raw is not None else None
                except (KeyError, TypeError, ValueError):
                    hit = None
            if hit is not None:
                cache.remember(name, hit)
                return hit
        panel = self.panel()
        known = set(panel["exporter"]) | set(panel["importer"])
        data = _Data(frozenset(known), tuple(sorted(panel["year"].unique().tolist())), self.load_warnings)
        if name is not None:
            cache.remember(name, data)
            cache.write_json(name, {"known": sorted(k for k in known if isinstance(k, str)),
                                    "available": list(data.available), "warnings": list(data.warnings)})
        return data

    def fit(self, years: list[int], n_countries: int | None, pair: tuple[str, str],
            progress: Callable[[str], None] | None) -> _Fit:
        """The two stages on the sample of ``pair`` (from the cache when it holds them)."""
        cache = _cache()
        key = self.key()
        base = None
        if key:
            base_name = f"sample-{cache.digest(key, years, n_countries)}.json"
            base = cache.recall(base_name)
            if base is None:
                raw = cache.read_json(base_name)
                base = raw.get("keep") if raw is not None else None
                if base is not None:
                    cache.remember(base_name, base)
        if base is None:
            base = _base_countries(_flows(self.panel(), years), years, n_countries)
            if key:
                cache.remember(base_name, base)
                cache.write_json(base_name, {"keep": base})
        keep = self.keep = set(base) | set(pair)
        name = f"fit-{cache.digest(key, _model_spec(), years, sorted(keep, key=str))}.npz" if key else None
        if name is not None:
            hit = cache.recall(name) or _Fit.from_arrays(cache.read_arrays(name))
            if hit is not None:
                cache.remember(name, hit)
                return hit
        if progress is not None:
            where = cache.folder() if key else None
            progress(
                f"gravity: estimating the PPML models on years {', '.join(map(str, years))} (the "
                "first run for this data and specification; "
                + (f"kept in {where} for later runs)" if where is not None else "not cached)")
            )
        arrays = _fit_models(self.panel(), self.treaties, years, keep)
        fit = _Fit.from_arrays(arrays)
        if name is not None:
            cache.remember(name, fit)
            cache.write_arrays(name, arrays)
        return fit


def trade_potential(
    a: str,
    b: str,
    year: int | None = None,
    *,
    panel: pd.DataFrame | None = None,
    treaties: pd.DataFrame | None = None,
    n_countries: int | None = DEFAULT_N_COUNTRIES,
    window: int = DEFAULT_WINDOW,
    sensitivity: bool = False,
    cache: bool = True,
    progress: Callable[[str], None] | None = None,
) -> PotentialResult:
    """Actual vs gravity-predicted trade between countries ``a`` and ``b``, each way.

    The models are estimated on the whole sample, not on the pair: their output is kept (in this
    process and in ``<store>/cache/gravity``, :mod:`tradecoop.gravity.cache`) and read back for
    every later pair on the same data and specification; results are the same either way.

    Parameters
    ----------
    a, b : ISO3 country codes (e.g. ``'BLR'``, ``'RUS'``)
    year : year compared (default: the latest in the panel); the models use the ``window``
        latest data years up to it
    panel : gravity panel (year, exporter, importer, trade [USD], ln_dist, cntg, lang, clny
        [, rta]); default: bundled ``bilateral_totals`` joined with ``gravity_covariates``
        (flagged non-reports excluded)
    treaties : DESTA-style treaty list for the RTA indicator when the panel has no ``rta``
        (default: bundled ``treaties``)
    n_countries : keep the largest traders present in every window year (plus a and b); None
        (default) = every country with covariates present in every window year
    sensitivity : also refit the pair-effect model on nested samples (:data:`SENSITIVITY_SAMPLES`)
        and report the pair gap on each (``pair_gap_sensitivity``; never cached: it is per pair)
    cache : read and keep the fits' output (False: estimate now, keep nothing)
    progress : called with one line before a fit actually runs (e.g. to tell a user waiting)

    Returns
    -------
    PotentialResult (every number an estimate; see ``caveats``)
    """
    source = _Source(panel, treaties, cache)
    data = source.data()
    _replay(data.warnings)
    a, b = _resolve(a, data.known), _resolve(b, data.known)
    if a == b:
        raise DataValidationError(f"trade potential needs two different countries, found {a} twice")
    available = list(data.available)
    year = available[-1] if year is None else int(year)
    if year not in available:
        raise DataValidationError(
            f"year {year} is not in the gravity panel; available: {', '.join(map(str, available))}"
        )
    years = [y for y in available if y <= year][-window:]
    if len(years) < 2:
        raise DataValidationError(f"pair fixed effects need >= 2 years up to {year}; found {years}")

    fit = source.fit(years, n_countries, (a, b), progress)
    _replay(fit.warnings)
    directions = tuple(
        _direction(fit.last, exp, imp, year, fit.mu, fit.mu_hat, fit.se_gap, fit.resid_sd)
        for exp, imp in ((a, b), (b, a))
    )
    shares = {}
    for c in (a, b):
        rows = fit.last[(fit.last["exporter"] == c) & (fit.last["year"] == year)]
        total = float(rows["trade"].sum())
        shares[c] = float((rows["trade"] - rows["predicted"]).sum() / total) if total > 0 else float("nan")
    sensitivity_rows: list[dict] = []
    if sensitivity:
        sensitivity_rows = _sensitivity(source.panel(), a, b, years, year, treaties, (source.keep, fit))
    return PotentialResult(
        a=a,
        b=b,
        year=year,
        years_used=tuple(years),
        countries=fit.countries,
        n_obs=fit.n_obs,
        n_obs_pair_fe=fit.n_obs_pair_fe,
        n_pairs_second_stage=fit.n_pairs_second_stage,
        directions=directions,
        exporter_gap_share=shares,
        coefficients=copy.deepcopy(fit.coefficients),  # the caller's own: the fit is shared
        second_stage=copy.deepcopy(fit.second_stage),
        uncertainty=(
            "95% ranges by the delta method from the coefficient covariance (pair-clustered for "
            "the PPML slopes, heteroskedasticity-robust for the second stage); fixed effects held "
            "at their estimates up to their first-order response (two-way demeaned regressors); "
            "no bootstrap"
        ),
        caveats=_caveats(a, b, years, year, fit.n_exporters, shares, directions, available),
        pair_gap_sensitivity=tuple(sensitivity_rows),
    )


def _stage_b(sample: pd.DataFrame, years: list[int]):
    """PPML with pair fixed effects, then the pair effects regressed on observables (second stage)."""
    if "rta" not in _varying(sample, ("rta",)):
        raise EstimationError(
            "the pair-fixed-effect model needs a time-varying covariate (rta) with variation in the "
            f"sample years {years}; found none"
        )
    spec_b = GravitySpec(covariates=("rta",), fixed_effects=("exp_year", "imp_year", "pair_id"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        res_b = fit_gravity(sample, spec_b, cluster="pair_id")
    mu = _pair_effects(sample, res_b)
    pairs = sample.drop_duplicates("pair_id").set_index("pair_id")
    pairs = pairs.loc[pairs.index.isin(mu.index)].assign(mu=mu)
    second = _varying(pairs, SECOND_STAGE)
    import pyfixest as pf

    stage2 = pf.feols(f"mu ~ {' + '.join(second)} | exporter + importer", data=pairs.reset_index(), vcov="hetero")
    mu_hat = pd.Series(np.asarray(stage2.predict(newdata=pairs.reset_index()), dtype=float), index=pairs.index)
    resid_sd = float((pairs["mu"] - mu_hat).std(ddof=1))
    g_b = _demean(
        pairs[list(second)].to_numpy(),
        [pd.factorize(pairs[c])[0] for c in ("exporter", "importer")],
        np.ones(len(pairs)),
    )
    v_b = np.asarray(stage2._vcov)
    se_gap = pd.Series(np.sqrt(np.einsum("ij,jk,ik->i", g_b, v_b, g_b)), index=pairs.index)
    return mu, mu_hat, se_gap, resid_sd, res_b, stage2, pairs


def _sensitivity(panel, a, b, years, year, treaties, main: tuple[set, _Fit] | None = None) -> list[dict]:
    """The pair gap of both directions on nested samples of the largest traders (:data:`SENSITIVITY_SAMPLES`).

    A sample with the countries of ``main`` (the headline's sample and fit) reads its pair effects
    from that fit instead of fitting them again: its row is the headline's, number for number
    (a refit in another process than the one that fitted the kept model can differ in the
    eighth digit).
    """
    rows = []
    flows = _flows(panel, years)
    for n in SENSITIVITY_SAMPLES:
        keep = set(_base_countries(flows, years, n)) | {a, b}
        if main is not None and keep == main[0]:
            fit = main[1]
            mu, mu_hat, se_gap, countries = fit.mu, fit.mu_hat, fit.se_gap, len(fit.countries)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataQualityWarning)
                sample = _with_rta(_sample_of(flows, keep), treaties, years)
            mu, mu_hat, se_gap, _sd, _rb, _s2, _p = _stage_b(sample, years)
            countries = len(set(sample["exporter"]) | set(sample["importer"]))
        for exp, imp in ((a, b), (b, a)):
            pair = f"{exp}_{imp}"
            gap = float(mu_hat[pair] - mu[pair]) if pair in mu.index else None
            se = float(se_gap[pair]) if pair in mu.index else None
            rows.append({"sample": "all" if n is None else f"largest {n}", "countries": countries, "exporter": exp,
                         "importer": imp, "year": year, "pair_gap": gap,
                         "pair_gap_low": None if gap is None else gap - Z95 * se,
                         "pair_gap_high": None if gap is None else gap + Z95 * se})
    return rows


def _pair_effects(sample: pd.DataFrame, res_b: Any) -> pd.Series:
    """Estimated mu_ij by pair; pyfixest omits one reference level (value 0)."""
    fe = res_b.model.fixef()
    key = next(k for k in fe if "pair_id" in k)
    mu = pd.Series({str(k): float(v) for k, v in fe[key].items()})
    grouped = sample.groupby("pair_id")["trade"].agg(["size", "sum"])
    eligible = set(grouped.index[(grouped["size"] >= 2) & (grouped["sum"] > 0)])
    missing = eligible - set(mu.index)
    if len(missing) == 1:  # the reference level
        mu[missing.pop()] = 0.0
    return mu[mu.index.isin(eligible)]


def _direction(sample, exp, imp, year, mu, mu_hat, se_gap, resid_sd) -> DirectionPotential:
    row = sample[(sample["exporter"] == exp) & (sample["importer"] == imp) & (sample["year"] == year)]
    pair = f"{exp}_{imp}"
    if row.empty:
        raise NotFoundError(f"no {exp} -> {imp} flow in {year} in the gravity panel (not reported)")
    r = row.iloc[0]
    actual = None if pd.isna(r["trade"]) else float(r["trade"])
    pred = float(r["predicted"])
    low, high = pred * np.exp(-Z95 * r["se_log"]), pred * np.exp(Z95 * r["se_log"])
    if actual is None:
        label = "not reported"
    elif actual > high:
        label = f"{OVER} (actual above the range)"
    elif actual < low:
        label = f"{UNDER} (actual below the range)"
    else:
        label = f"{IN_LINE} (actual within the range)"
    if pair not in mu.index:
        return DirectionPotential(
            exp, imp, year, actual, pred, float(low), float(high), label,
            None, None, None, None, None, None, None, "pair effect not estimated",
            note="pair fixed effect not identified (fewer than 2 years or all-zero flows)",
        )
    gap = float(mu_hat[pair] - mu[pair])
    se = float(se_gap[pair])
    g_low, g_high = gap - Z95 * se, gap + Z95 * se
    if g_high < 0:
        pair_label = f"{OVER} (pair effect above what observables predict)"
    elif g_low > 0:
        pair_label = f"{UNDER} (pair effect below what observables predict)"
    else:
        pair_label = f"{IN_LINE} (pair effect within the predicted range)"
    return DirectionPotential(
        exporter=exp, importer=imp, year=year, actual=actual, predicted=pred,
        predicted_low=float(low), predicted_high=float(high), label=label,
        pair_effect=float(mu[pair]), pair_effect_predicted=float(mu_hat[pair]), pair_gap=gap,
        pair_gap_low=g_low, pair_gap_high=g_high, pair_gap_z=gap / resid_sd if resid_sd > 0 else None,
        trade_at_predicted_pair_effect=None if actual is None else actual * float(np.exp(gap)),
        pair_label=pair_label,
    )


def _caveats(a, b, years, year, n, shares, directions, available) -> tuple[str, ...]:
    share_text = ", ".join(f"{c}: {s:+.1e}" for c, s in shares.items())
    out = [
        "Every figure is an ESTIMATE from a country-level gravity model; a region's figure derived "
        "from it would be an estimate too.",
        "Egger critique (Egger 2002, doi:10.1111/1467-9701.00432): in-sample residuals of a "
        "well-specified model are noise, so a gap is evidence of what the model omits, not a "
        "promise of extra trade.",
        "With exporter-year and importer-year fixed effects the PPML fitted values add up to each "
        "exporter's and importer's totals, so 'potential' across one exporter's partners sums to "
        f"~0 ({year}, (actual - predicted) summed over partners / exports = {share_text}): a gap "
        "with one partner is trade reallocated from others.",
        f"Estimation sample: {n} countries (present in every year with covariates, plus "
        f"{a} and {b}), years {', '.join(map(str, years))}; flows flagged as non-reports excluded.",
        "Measure (a), actual vs predicted without a pair fixed effect, leads; the pair gap (b) moves "
        "with the sample (docs/gravity.md has a table): read it with pair_gap_sensitivity "
        "(--sensitivity).",
        "Second stage: customs union / common market indicator (cu_any) from the World Bank "
        "agreement names (EU, EAEU and its 2010 predecessor, MERCOSUR, SACU, EAC, ...), next to "
        "any agreement (rta_any); the agreement recorded for a pair-year is one of possibly several.",
        "RTA indicator: a DESTA agreement listing both countries in force (or signed) by the year; "
        "some listed agreements lapsed, so it is an approximation.",
    ]
    for brk in STRUCTURAL_BREAKS:
        if years[0] < brk <= years[-1]:
            out.append(f"{brk} is a structural break inside the estimation window {years[0]}-{years[-1]}.")
        elif brk > available[-1]:
            out.append(
                f"{brk} is a structural break after the last data year ({available[-1]}): these "
                "estimates are not extrapolated across it."
            )
    if any(d.actual is None for d in directions):
        out.append("A flow not reported in the year has no actual value; its prediction is shown.")
    return tuple(out)
