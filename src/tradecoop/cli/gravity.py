"""CLI commands for the `gravity` feature: ``gravity fit`` and ``gravity potential``."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from tradecoop.cli.common import FormatOpt, OutOpt, OutputFormat, emit
from tradecoop.errors import DataValidationError

DEFAULT_FORMULA = "trade ~ ln_dist + cntg + lang + clny | exporter^year + importer^year"

gravity_app = typer.Typer(
    name="gravity",
    help=(
        "Structural gravity: PPML with exporter-year and importer-year fixed effects "
        "(pyfixest), and the untapped trade potential of a pair."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)


@contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """Print each data-quality warning as one 'warning: ...' line on stderr (no source lines)."""
    from tradecoop.errors import DataQualityWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQualityWarning)
        yield
    for w in caught:
        if issubclass(w.category, DataQualityWarning):
            typer.echo(f"warning: {w.message}", err=True)


def _parse_years(text: str | None) -> list[int] | None:
    """``'1986,1990'`` or ``'1986-2006/4'`` (first-last/step) -> list of years."""
    if text is None or not text.strip():
        return None
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        try:
            if "-" in part:
                span, _, step = part.partition("/")
                first, last = (int(x) for x in span.split("-"))
                years.extend(range(first, last + 1, int(step) if step else 1))
            else:
                years.append(int(part))
        except ValueError as exc:
            raise DataValidationError(
                f"--years: expected years like '1986,1990' or '1986-2006/4', found {part!r}"
            ) from exc
    return years


@gravity_app.command("fit")
def fit(
    formula: Annotated[
        str,
        typer.Option("--formula", help="pyfixest formula: 'y ~ covariates | fixed effects'."),
    ] = DEFAULT_FORMULA,
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset",
            help="Dataset in the store, bundled or imported (bilateral_totals is joined with gravity_covariates).",
        ),
    ] = None,
    input_file: Annotated[
        Path | None,
        typer.Option("--input", help="Panel file: .csv, .parquet, .dta (Stata) or .rda/.rds (R)."),
    ] = None,
    family: Annotated[
        str, typer.Option("--family", help="poisson (PPML, keeps zeros) or ols (log flows, positive only).")
    ] = "poisson",
    cluster: Annotated[
        str, typer.Option("--cluster", help="Column to cluster standard errors by; 'none' for robust SEs.")
    ] = "pair_id",
    years: Annotated[
        str | None, typer.Option("--years", help="Years to keep: '1986,1990,1994' or '1986-2006/4'.")
    ] = None,
    international_only: Annotated[
        bool, typer.Option("--international-only", help="Drop intra-national flows (exporter == importer).")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Estimate a gravity model by PPML (or log-linear OLS) with high-dimensional fixed effects.

    Zeros are kept (PPML); separated observations and singletons are dropped by pyfixest and
    counted in the output; standard errors are clustered by pair.

    Example (Yotov et al. 2016, ch. 1):

        tradecoop gravity fit --input agtpa_applications.rda --years 1986-2006/4
        --international-only --formula "trade ~ ln_dist + cntg + lang + clny | exporter^year + importer^year"
    """
    from tradecoop.gravity.estimate import fit_gravity
    from tradecoop.gravity.io import load_dataset, read_panel
    from tradecoop.gravity.spec import GravitySpec

    if (dataset is None) == (input_file is None):
        raise DataValidationError("gravity fit: give exactly one of --dataset NAME or --input FILE")
    if family not in ("poisson", "ols"):
        raise DataValidationError(f"--family: expected 'poisson' or 'ols', found {family!r}")
    spec = GravitySpec.from_formula(
        formula, years=_parse_years(years), international_only=international_only
    )
    with _warnings_to_stderr():
        data = load_dataset(dataset) if dataset is not None else read_panel(input_file)
        result = fit_gravity(data, spec, family=family, cluster=None if cluster == "none" else cluster)
    if fmt is OutputFormat.json:
        emit(result.to_dict(), fmt, out)
        return
    title = (
        f"{'PPML' if family == 'poisson' else 'OLS (log flows)'}: {spec.formula} — N = {result.n_obs:,} "
        f"(zeros {result.n_zero:,}; dropped: separation {result.n_dropped_separation}, "
        f"singletons {result.n_dropped_singletons}, missing {result.n_dropped_missing}, "
        f"zero flows {result.n_dropped_zero}); SE clustered by {result.cluster or '-'}"
    )
    emit(result.tidy(), fmt, out, title=title)


@gravity_app.command("potential")
def potential(
    a: Annotated[str, typer.Argument(help="First country (ISO3), e.g. BLR.")],
    b: Annotated[str, typer.Argument(help="Second country (ISO3), e.g. RUS.")],
    year: Annotated[
        int | None, typer.Option("--year", help="Year of the comparison (default: the latest in the data).")
    ] = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Also report the pair gap (b) on nested samples of the largest traders.")
    ] = False,
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Actual vs gravity-predicted trade between A and B, each way, with an uncertainty range.

    (a) leads: in-sample PPML prediction with exporter-year and importer-year fixed effects, on
    every country with covariates; (b) the pair fixed effect against what distance, contiguity,
    language, colonial ties, agreements and customs unions predict (negative = over-trading),
    which moves with the sample (--sensitivity). Estimates, not forecasts: read the caveats.

    The models are fitted once per data version (a few seconds, said on stderr) and kept in the
    store's cache folder; later pairs read them back.

    Example:

        tradecoop gravity potential BLR RUS --format json
    """
    from tradecoop.gravity.potential import trade_potential

    def progress(line: str) -> None:  # on stderr: stdout stays the result (JSON or table)
        typer.echo(line, err=True)

    with _warnings_to_stderr():
        result = trade_potential(a, b, year=year, sensitivity=sensitivity, progress=progress)
    if fmt is OutputFormat.json:
        emit(result.to_dict(), fmt, out)
        return
    emit(result.to_frame(), fmt, out, title=result.title())
    if out is None and fmt is OutputFormat.table:
        for line in result.headline:
            typer.echo(f"  {line}")
        for r in result.pair_gap_sensitivity:
            gap = "n/a" if r["pair_gap"] is None else f"{r['pair_gap']:+.2f} [{r['pair_gap_low']:+.2f}, {r['pair_gap_high']:+.2f}]"
            typer.echo(f"  pair gap {r['exporter']}->{r['importer']}, {r['sample']} ({r['countries']} countries): {gap}")
        for line in result.caveats:
            typer.echo(f"  * {line}")


def register(app: typer.Typer) -> None:
    """Attach ``tradecoop gravity ...`` to the root app."""
    app.add_typer(gravity_app, name="gravity")
