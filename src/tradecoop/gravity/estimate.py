"""Fit a structural gravity model with pyfixest (PPML or log-linear OLS with high-dimensional FE).

PPML (Santos Silva & Tenreyro 2006, doi:10.1162/rest.88.4.641) estimates

    X_ijt = exp(pi_it + chi_jt [+ mu_ij] + b'Z_ijt) * e_ijt

by Poisson pseudo-maximum likelihood, keeping zero flows; the log-linear variant regresses
``ln X_ijt`` on the same right-hand side and can only use positive flows. Estimation is
``pyfixest.fepois`` / ``pyfixest.feols`` (imported lazily: it is slow to import); this module
validates the panel once, makes every dropped observation visible in the result, and turns
pyfixest's failures into :class:`~tradecoop.errors.EstimationError` with a clear message.

Sample accounting (each count is in :class:`GravityResult`)::

    n_input   rows handed in
    - rows outside the sample filters (years, international-only)  -> n_filtered
    - rows with a missing value in a column the model uses         -> n_dropped_missing (warned)
    - zero flows, OLS only (log of 0 undefined)                    -> n_dropped_zero (warned)
    - observations alone in a fixed-effect group (iteratively)      -> n_dropped_singletons
    - observations separated in PPML (pyfixest 'fe' check)          -> n_dropped_separation (warned)
    = n_obs

Reference practice: Yotov et al. (2016), ch. 1, doi:10.30875/abc0167e-en (cluster by pair,
explicit zeros, 4-year intervals).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from tradecoop.errors import (
    ConvergenceError,
    DataQualityWarning,
    DataValidationError,
    EstimationError,
)
from tradecoop.gravity.spec import DERIVED_COLUMNS, GravitySpec, _identifiers

Family = Literal["poisson", "ols"]
#: name of the directional pair identifier derived when the data has none
PAIR_ID = "pair_id"
_TIDY_COLUMNS = ("term", "estimate", "std_error", "p_value", "conf_low", "conf_high")


@dataclass(frozen=True, eq=False)
class GravityResult:
    """The estimates of one gravity model and how its sample was built.

    Attributes
    ----------
    spec : the model that was fitted
    family : ``'poisson'`` (PPML) or ``'ols'`` (log-linear, positive flows)
    cluster : column the standard errors are clustered by (None: heteroskedasticity-robust)
    coefficients : tidy frame (term, estimate, std_error, p_value, conf_low, conf_high);
        95 % confidence intervals
    vcov : covariance matrix of the estimates (terms x terms)
    n_obs : observations used in the estimation
    n_input, n_filtered, n_dropped_missing, n_dropped_zero, n_dropped_singletons,
    n_dropped_separation : the sample accounting (see the module docstring)
    n_zero : zero flows in the sample after filters and missing values (PPML keeps them)
    model : the underlying pyfixest model (``Fepois`` or ``Feols``)
    """

    spec: GravitySpec
    family: str
    cluster: str | None
    coefficients: pd.DataFrame = field(repr=False)
    vcov: pd.DataFrame = field(repr=False)
    n_obs: int
    n_input: int
    n_filtered: int
    n_zero: int
    n_dropped_missing: int
    n_dropped_zero: int
    n_dropped_singletons: int
    n_dropped_separation: int
    model: Any = field(repr=False, default=None)

    def tidy(self) -> pd.DataFrame:
        """Coefficients as a frame: term, estimate, std_error, p_value, conf_low, conf_high."""
        return self.coefficients.copy()

    def coef(self) -> dict[str, float]:
        """``{term: estimate}``."""
        return dict(zip(self.coefficients["term"], self.coefficients["estimate"], strict=True))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: coefficients by term plus the sample accounting."""
        coefs = {
            str(row.term): {
                "estimate": float(row.estimate),
                "std_error": float(row.std_error),
                "p_value": float(row.p_value),
                "conf_low": float(row.conf_low),
                "conf_high": float(row.conf_high),
            }
            for row in self.coefficients.itertuples(index=False)
        }
        return {
            "formula": self.spec.formula,
            "family": self.family,
            "cluster": self.cluster,
            "years": list(self.spec.years) if self.spec.years is not None else None,
            "international_only": self.spec.international_only,
            "coefficients": coefs,
            "n_obs": self.n_obs,
            "n_input": self.n_input,
            "n_filtered": self.n_filtered,
            "n_zero": self.n_zero,
            "n_dropped_missing": self.n_dropped_missing,
            "n_dropped_zero": self.n_dropped_zero,
            "n_dropped_singletons": self.n_dropped_singletons,
            "n_dropped_separation": self.n_dropped_separation,
        }


def _fe_codes(frame: pd.DataFrame, fixed_effects: tuple[str, ...]) -> np.ndarray:
    """Integer codes (N x k) of each fixed-effect term; ``a^b`` is the interaction of a and b."""
    codes = []
    for term in fixed_effects:
        cols = _identifiers(term)
        if len(cols) == 1:
            codes.append(pd.factorize(frame[cols[0]])[0])
        else:
            codes.append(frame.groupby(cols, sort=False, dropna=False).ngroup().to_numpy())
    return np.column_stack(codes).astype(np.uint32)


#: a covariate whose spread within every group of a fixed effect is below this share of its
#: largest absolute value is absorbed by that fixed effect (rounding noise in stored data)
ABSORBED_RTOL = 1e-6


def _absorbed(frame: pd.DataFrame, spec: GravitySpec) -> dict[str, str]:
    """Covariates constant within every group of one fixed-effect term (absorbed by it).

    Checked on the data before estimation, up to :data:`ABSORBED_RTOL` of the covariate's scale
    (stored covariates carry rounding noise: the Advanced Guide panel's ``ln_dist`` differs in the
    last digits between years of one pair). pyfixest's own collinearity check works on demeaned
    floating-point values and, with such noise, sometimes misses the absorption and returns a
    meaningless estimate with a huge standard error.
    """
    if not spec.fixed_effects:
        return {}
    codes = _fe_codes(frame, spec.fixed_effects)
    out: dict[str, str] = {}
    for cov in spec.covariates:
        if cov not in frame.columns:
            continue  # formula terms such as interactions are left to pyfixest
        values = pd.to_numeric(frame[cov], errors="coerce").to_numpy(dtype=np.float64)
        if not np.isfinite(values).all():
            continue
        scale = max(float(np.abs(values).max()), 1.0)
        for k, term in enumerate(spec.fixed_effects):
            grouped = pd.Series(values).groupby(codes[:, k])
            spread = (grouped.max() - grouped.min()).max()
            if spread <= ABSORBED_RTOL * scale:
                out[cov] = term
                break
    return out


def _describe_row(frame: pd.DataFrame, index: Any, spec: GravitySpec) -> str:
    keys = [c for c in (spec.exporter, spec.importer, spec.year) if c in frame.columns]
    parts = [f"{k}={frame.at[index, k]}" for k in keys]
    pos = frame.index.get_loc(index)
    return ", ".join([*parts, f"row {pos + 1} of the input"])


def prepare_panel(
    data: pd.DataFrame, spec: GravitySpec, *, family: Family = "poisson", cluster: str | None = PAIR_ID
) -> tuple[pd.DataFrame, GravitySpec, dict[str, int]]:
    """Validate and filter the panel once; return (estimation frame, spec to fit, counts).

    Raises
    ------
    DataValidationError
        Missing columns, a non-numeric or negative dependent variable, an empty sample.
    EstimationError
        Fixed effects that leave no observation (every observation a singleton).
    """
    if not isinstance(data, pd.DataFrame):
        raise DataValidationError(f"gravity data: expected a pandas DataFrame, found {type(data).__name__}")
    if family not in ("poisson", "ols"):
        raise DataValidationError(f"family: expected 'poisson' or 'ols', found {family!r}")
    available = list(data.columns)
    derive_pair = cluster == PAIR_ID and PAIR_ID not in data.columns
    if derive_pair and {spec.exporter, spec.importer} <= set(data.columns):
        available.append(PAIR_ID)
    spec.check_columns(available)
    if cluster is not None and cluster not in available:
        raise DataValidationError(
            f"cluster: expected a column named {cluster!r} to cluster standard errors by, "
            f"found only: {', '.join(sorted(data.columns))}"
        )
    counts = {"n_input": len(data)}
    frame = data
    if spec.years is not None:
        years = pd.to_numeric(frame[spec.year], errors="coerce")
        frame = frame[years.isin(spec.years)]
    if spec.international_only:
        frame = frame[frame[spec.exporter] != frame[spec.importer]]
    counts["n_filtered"] = len(data) - len(frame)
    if frame.empty:
        raise DataValidationError(
            f"gravity data: no rows left after the sample filters (years={spec.years}, "
            f"international_only={spec.international_only}) out of {len(data)} rows"
        )
    frame = frame.copy()
    if derive_pair:
        frame[PAIR_ID] = frame[spec.exporter].astype(str) + "_" + frame[spec.importer].astype(str)
    for name, (source, _) in DERIVED_COLUMNS.items():
        if name in spec.columns() and name not in frame.columns:
            src = pd.to_numeric(frame[source], errors="coerce")
            frame[name] = np.log(src.where(src > 0))

    dep = spec.dependent
    if dep not in frame.columns:
        raise DataValidationError(f"dependent variable {dep!r}: expected a plain column name")
    y = pd.to_numeric(frame[dep], errors="coerce")
    bad_type = y.isna() & frame[dep].notna()
    if bad_type.any():
        first = bad_type.idxmax()
        raise DataValidationError(
            f"{dep!r} must be numeric; {int(bad_type.sum())} value(s) are not "
            f"(first: {frame.at[first, dep]!r} at {_describe_row(frame, first, spec)})"
        )
    negative = y < 0
    if negative.any():
        first = negative.idxmax()
        raise DataValidationError(
            f"{dep!r} (trade flows) must be non-negative; {int(negative.sum())} row(s) are negative "
            f"(first: {dep}={y[first]} at {_describe_row(frame, first, spec)})"
        )
    frame[dep] = y.astype(float)

    used = [c for c in spec.columns() if c in frame.columns]
    if cluster is not None:
        used.append(cluster)
    missing = frame[used].isna().any(axis=1)
    counts["n_dropped_missing"] = int(missing.sum())
    if missing.any():
        by_col = {c: int(frame[c].isna().sum()) for c in used if frame[c].isna().any()}
        warnings.warn(
            f"gravity: dropped {int(missing.sum())} of {len(frame)} rows with missing values "
            f"in the model's columns ({', '.join(f'{c}: {n}' for c, n in by_col.items())})",
            DataQualityWarning,
            stacklevel=3,
        )
        frame = frame[~missing]
    counts["n_zero"] = int((frame[dep] == 0).sum())

    fit_spec = spec
    counts["n_dropped_zero"] = 0
    if family == "ols":
        zero = frame[dep] <= 0
        counts["n_dropped_zero"] = int(zero.sum())
        if zero.any():
            warnings.warn(
                f"gravity (OLS): dropped {int(zero.sum())} zero flows (log of 0 is undefined); "
                "PPML keeps them",
                DataQualityWarning,
                stacklevel=3,
            )
            frame = frame[~zero]
        log_name = f"ln_{dep}"
        frame[log_name] = np.log(frame[dep])
        fit_spec = GravitySpec(
            dependent=log_name,
            covariates=spec.covariates,
            fixed_effects=spec.fixed_effects,
            years=spec.years,
            international_only=spec.international_only,
            exporter=spec.exporter,
            importer=spec.importer,
            year=spec.year,
        )
    if frame.empty:
        raise DataValidationError("gravity data: no observation left to estimate on")

    counts["n_dropped_singletons"] = 0
    if spec.fixed_effects:
        from pyfixest.estimation import detect_singletons

        singleton = detect_singletons(_fe_codes(frame, spec.fixed_effects))
        n_single = int(singleton.sum())
        if n_single == len(frame):
            raise EstimationError(
                f"the fixed effects ({' + '.join(spec.fixed_effects)}) absorb everything: each of the "
                f"{len(frame)} observations is alone in its fixed-effect group, so nothing is left "
                "to estimate the covariates from; use coarser fixed effects (e.g. exporter^year + "
                "importer^year)"
            )
        counts["n_dropped_singletons"] = n_single
        frame = frame[~singleton]
    return frame, fit_spec, counts


def fit_gravity(
    data: pd.DataFrame,
    spec: GravitySpec | str,
    family: Family = "poisson",
    cluster: str | None = PAIR_ID,
    *,
    separation: tuple[str, ...] = ("fe",),
) -> GravityResult:
    """Estimate a gravity model by PPML (``pyfixest.fepois``) or log-linear OLS (``feols``).

    Parameters
    ----------
    data : panel with the columns the spec names (flows in levels; ``ln_dist`` is derived from
        ``dist`` when absent; ``pair_id`` is derived as ``exporter_importer`` when absent)
    spec : a :class:`GravitySpec` or a pyfixest formula string
    family : ``'poisson'`` (PPML, zeros kept) or ``'ols'`` (``ln y`` on positive flows)
    cluster : column to cluster standard errors by (CRV1); None for heteroskedasticity-robust
    separation : pyfixest separation checks for PPML (``'fe'``, ``'ir'``); separated
        observations are dropped by pyfixest and counted in ``n_dropped_separation``

    Returns
    -------
    GravityResult

    Raises
    ------
    DataValidationError
        Bad panel (see :func:`prepare_panel`).
    EstimationError
        A fixed effect absorbs a covariate (collinear) or everything; pyfixest failed.
    ConvergenceError
        The PPML iterations did not converge.
    """
    if isinstance(spec, str):
        spec = GravitySpec.from_formula(spec)
    frame, fit_spec, counts = prepare_panel(data, spec, family=family, cluster=cluster)
    absorbed = _absorbed(frame, spec)
    if absorbed:
        raise EstimationError(
            f"covariate(s) {', '.join(absorbed)} are absorbed by the fixed effects "
            f"({' + '.join(spec.fixed_effects)}): "
            + "; ".join(f"{c} is constant within each {t} group" for c, t in absorbed.items())
            + ", so their effect cannot be estimated; remove them or the fixed effect that absorbs them"
        )
    import pyfixest as pf

    vcov: Any = {"CRV1": cluster} if cluster is not None else "hetero"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if family == "poisson":
                model = pf.fepois(
                    fit_spec.formula, data=frame, vcov=vcov, separation_check=list(separation)
                )
            else:
                model = pf.feols(fit_spec.formula, data=frame, vcov=vcov)
        except BaseException as exc:  # pyfixest's Rust core can raise a PanicException
            if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
                raise
            message = " ".join(str(exc).split())
            if "collinear" in message:
                raise EstimationError(
                    f"the fixed effects ({' + '.join(spec.fixed_effects)}) absorb every covariate "
                    f"({', '.join(spec.covariates)}): nothing varies within the fixed-effect groups "
                    "(e.g. time-invariant pair covariates with a pair fixed effect)"
                ) from exc
            raise EstimationError(f"pyfixest could not estimate {spec.formula!r}: {message}") from exc
    for w in caught:
        text = " ".join(str(w.message).split())
        if "separation" in text or "singleton" in text:
            continue  # counted and re-warned below
        if issubclass(w.category, DeprecationWarning | FutureWarning):
            continue
        warnings.warn(f"pyfixest: {text}", DataQualityWarning, stacklevel=2)

    coef = model.coef()
    terms = [str(t) for t in coef.index]
    dropped = [c for c in spec.covariates if c not in terms]
    if dropped:
        raise EstimationError(
            f"covariate(s) {', '.join(dropped)} are absorbed by the fixed effects "
            f"({' + '.join(spec.fixed_effects)}) or collinear with other covariates, so their "
            "effect cannot be estimated; remove them or the fixed effect that absorbs them"
        )
    if family == "poisson" and getattr(model, "convergence", True) is False:
        raise ConvergenceError(f"PPML did not converge for {spec.formula!r}")

    n_sep = int(getattr(model, "n_separation_na", 0) or 0)
    if n_sep:
        warnings.warn(
            f"gravity (PPML): {n_sep} observations dropped because of separation (their fitted "
            "flow is zero at the optimum); counted in n_dropped_separation",
            DataQualityWarning,
            stacklevel=2,
        )
    tidy = model.tidy().reset_index()
    tidy.columns = list(_TIDY_COLUMNS[:1]) + list(tidy.columns[1:])
    tidy = tidy.rename(
        columns={
            "Estimate": "estimate",
            "Std. Error": "std_error",
            "Pr(>|t|)": "p_value",
            "2.5%": "conf_low",
            "97.5%": "conf_high",
        }
    )[list(_TIDY_COLUMNS)]
    tidy["term"] = tidy["term"].map(str)
    vc = pd.DataFrame(np.asarray(model._vcov), index=terms, columns=terms)
    return GravityResult(
        spec=spec,
        family=family,
        cluster=cluster,
        coefficients=tidy,
        vcov=vc,
        n_obs=int(model._N),
        model=model,
        n_dropped_separation=n_sep,
        **counts,
    )
