"""Read a gravity panel from CSV, Parquet, Stata ``.dta`` or R ``.rda`` / ``.RData`` / ``.rds``.

The format is chosen by the file suffix; pandas reads CSV, Parquet (pyarrow) and Stata
(``pandas.read_stata``), pyreadr reads R files. Anything else is a
:class:`~tradecoop.errors.DataValidationError` naming the supported suffixes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tradecoop.errors import DataValidationError, NotFoundError

SUPPORTED_SUFFIXES = (".csv", ".parquet", ".pq", ".dta", ".rda", ".rdata", ".rds")


def read_panel(path: str | Path, *, object_name: str | None = None) -> pd.DataFrame:
    """Read a table from ``path`` into a DataFrame.

    Parameters
    ----------
    path : file with suffix .csv, .parquet/.pq, .dta, .rda/.RData or .rds
    object_name : for R files holding several data frames, which one to read (default: the
        only one; an error lists the names when there are several)

    Raises
    ------
    NotFoundError
        The file does not exist, or ``object_name`` is not in the R file.
    DataValidationError
        Unsupported suffix, or the file cannot be parsed.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(f"input file {str(path)!r} does not exist")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DataValidationError(
            f"{path}: unsupported file type {path.suffix!r}; expected one of "
            f"{', '.join(SUPPORTED_SUFFIXES)} (CSV, Parquet, Stata, R)"
        )
    try:
        if suffix == ".csv":
            return pd.read_csv(path)
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
        if suffix == ".dta":
            return pd.read_stata(path)
        import pyreadr

        objects = pyreadr.read_r(str(path))
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataValidationError(f"{path}: could not read as {suffix[1:]}: {exc}") from exc
    except Exception as exc:  # pyreadr raises its own error classes
        raise DataValidationError(f"{path}: could not read as an R data file: {exc}") from exc
    frames = {k: v for k, v in objects.items() if isinstance(v, pd.DataFrame)}
    if object_name is not None:
        if object_name not in frames:
            raise NotFoundError(
                f"{path}: no data frame named {object_name!r}; it holds: {', '.join(frames) or 'none'}"
            )
        return frames[object_name]
    if len(frames) != 1:
        raise DataValidationError(
            f"{path}: expected exactly one data frame, found {len(frames)} "
            f"({', '.join(frames) or 'none'}); name the one to read"
        )
    return next(iter(frames.values()))


#: bundled datasets the gravity panel is built from (owner: helper "bundle")
BILATERAL_TOTALS = "bilateral_totals"
GRAVITY_COVARIATES = "gravity_covariates"
MISSING_REPORT = "missing_report"  # bool column of bilateral_totals: a zero that is a non-report
SUSPECT_ZERO = "suspect_zero"  # bool column of bilateral_totals: a zero that is likely a non-report
TRADE = "trade"


def _read_bundled(name: str) -> pd.DataFrame:
    """One dataset (bundled or imported) from the data store as a frame (the caller's copy).

    The only place gravity reads stored data (``tradecoop.data.store``; bundled datasets are
    readable without any import). ``Store.read``: the whole file with the column types of a
    DuckDB query, without starting Ibis and DuckDB, and read once per process.
    """
    from tradecoop.data.store import open_store

    return open_store().read(name)


def bundled_gravity_panel() -> pd.DataFrame:
    """``bilateral_totals`` joined with ``gravity_covariates``: the aggregate gravity panel.

    Columns: year, exporter, importer, trade (= value_usd, USD), dist, ln_dist, cntg, lang, clny
    (+ any other covariate column of ``gravity_covariates``). Flows flagged ``missing_report``
    (zeros that are non-reports, e.g. RUS->BLR 2000-2008) or ``suspect_zero`` (zeros whose
    mirror flow is large) are removed with a :class:`~tradecoop.errors.DataQualityWarning`:
    they are not observed zeros.
    """
    import warnings

    import numpy as np

    from tradecoop.errors import DataQualityWarning

    flows = _read_bundled(BILATERAL_TOTALS)
    covs = _read_bundled(GRAVITY_COVARIATES)
    keys = ["exporter", "importer"]
    for frame, name in ((flows, BILATERAL_TOTALS), (covs, GRAVITY_COVARIATES)):
        lacking = [c for c in keys if c not in frame.columns]
        if lacking:
            raise DataValidationError(f"bundled dataset {name}: expected columns {keys}, lacks {lacking}")
    for flag, why in (
        (MISSING_REPORT, "known non-reports that look like zeros"),
        (SUSPECT_ZERO, "zeros whose mirror flow is >= 100 mn USD: likely non-reports"),
    ):
        if flag not in flows.columns:
            continue
        flagged = flows[flag].fillna(False).astype(bool)
        if flagged.any():
            warnings.warn(
                f"gravity panel: excluded {int(flagged.sum())} flows flagged {flag} ({why})",
                DataQualityWarning,
                stacklevel=2,
            )
            flows = flows[~flagged]
    flows = flows.rename(columns={"value_usd": TRADE})
    covs = covs.drop(columns=[c for c in covs.columns if c in flows.columns and c not in keys])
    panel = flows.merge(covs, on=keys, how="left")
    if "dist" in panel.columns and "ln_dist" not in panel.columns:
        dist = pd.to_numeric(panel["dist"], errors="coerce")
        panel["ln_dist"] = np.log(dist.where(dist > 0))
    return panel


#: the loaders above, as defined here: the trade-potential cache names the stored panel by the
#: files these read, and only while they are the ones in use (not replaced, e.g. in a test)
BUNDLED_LOADER = bundled_gravity_panel
BUNDLED_READER = _read_bundled


def load_dataset(name: str) -> pd.DataFrame:
    """A stored dataset as a gravity input; ``bilateral_totals`` comes joined with covariates."""
    if name == BILATERAL_TOTALS:
        return bundled_gravity_panel()
    return _read_bundled(name)


TREATIES = "treaties"


def rta_from_treaties(treaties: pd.DataFrame, years) -> pd.DataFrame:
    """A per-pair, per-year trade-agreement indicator from a DESTA-style treaty list.

    ``rta_ijt = 1`` when some treaty lists both i and j among its ``parties`` (``;``-joined ISO3)
    and entered into force (or, lacking an in-force year, was signed) in or before year t.
    Both directions are returned. This is an approximation: DESTA lists signed agreements,
    some of which lapsed or were withdrawn (Dür, Baccini & Elsig 2014,
    doi:10.1007/s11558-013-9179-8).

    Returns
    -------
    DataFrame with columns exporter, importer, year, rta (1 only; absent pairs have no agreement)
    """
    from itertools import permutations

    needed = {"parties", "signed_year", "in_force_year"}
    if not needed <= set(treaties.columns):
        raise DataValidationError(
            f"treaties: expected columns {sorted(needed)}, found {sorted(treaties.columns)}"
        )
    start = treaties["in_force_year"].astype("Float64").fillna(treaties["signed_year"].astype("Float64"))
    first: dict[tuple[str, str], float] = {}
    for parties, year in zip(treaties["parties"], start, strict=True):
        if pd.isna(year) or not isinstance(parties, str):
            continue
        members = sorted({p.strip() for p in parties.split(";") if p.strip()})
        for pair in permutations(members, 2):
            if year < first.get(pair, float("inf")):
                first[pair] = float(year)
    rows = [(i, j, int(t), 1) for (i, j), y0 in first.items() for t in years if y0 <= t]
    return pd.DataFrame(rows, columns=["exporter", "importer", "year", "rta"])
