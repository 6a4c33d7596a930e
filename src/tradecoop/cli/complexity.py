"""CLI: ``tradecoop complexity`` — RCA, ECI/PCI, proximity, density, COI and COG from a table."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tradecoop.cli.common import OutputFormat, StoreOpt, emit
from tradecoop.errors import DataValidationError

if TYPE_CHECKING:
    import pandas as pd

HELP = """Economic complexity of a location x product export table, per year.

Computes RCA, M, diversity, ubiquity, ECI/PCI, density, distance, COI and COG (the recipe that
reproduces Stata's ecomplexity; see docs/complexity.md). Input is a bundled or imported dataset
(--dataset) or a CSV/Parquet file (--input) with columns year, location, product, value (rename
them with --year-col etc.). ECI/PCI are standardised per year and sample: not comparable across
years or samples.

[bold]Examples[/bold]

  tradecoop complexity --dataset world_hs4_2017 --level location --format table

  tradecoop complexity --input exports.csv --location-col origin --product-col hs92
  --value-col export_val --format csv --out complexity.csv --proximity-out proximity.parquet
"""


class ComplexityFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    parquet = "parquet"


class Method(StrEnum):
    eigenvector = "eigenvector"
    reflections = "reflections"
    fitness = "fitness"


class Level(StrEnum):
    cell = "cell"
    location = "location"
    product = "product"


class RcaMode(StrEnum):
    balassa = "balassa"
    rpop = "rpop"
    both = "both"


def _read_table(path: Path, text_cols: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a CSV or Parquet file (by suffix); CSV ``text_cols`` stay text ('0101' keeps its 0)."""
    import pandas as pd

    if not path.exists():
        raise DataValidationError(f"input file {path} does not exist")
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        return pd.read_parquet(path)
    if suffix in (".csv", ".txt", ".gz"):
        header = pd.read_csv(path, nrows=0).columns
        return pd.read_csv(path, dtype={c: str for c in text_cols if c in header})
    raise DataValidationError(f"input {path}: expected a .csv or .parquet file, found suffix {suffix!r}")


def _load_dataset(name: str, store: Path | None, years: list[int] | None) -> pd.DataFrame:
    """A dataset's analysis input (year, location, product, value) from the store (bundled or imported)."""
    from tradecoop.data.store import open_store

    return open_store(store).location_product_values(name, years=years).to_pandas()


def _parse_years(text: str | None) -> list[int] | None:
    """'2015:2017' -> [2015, 2016, 2017]; '2015,2017' -> [2015, 2017]."""
    if not text:
        return None
    try:
        if ":" in text:
            a, b = (int(x) for x in text.split(":", 1))
            return list(range(a, b + 1))
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise DataValidationError(f"--years must look like 2015:2017 or 2015,2017; got {text!r}") from None


def _write(frame: pd.DataFrame, fmt: ComplexityFormat, out: Path | None, title: str) -> None:
    if fmt is ComplexityFormat.parquet:
        if out is None:
            raise DataValidationError("--format parquet needs --out FILE")
        out.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(out, index=False)
        typer.echo(f"wrote {out}", err=True)
        return
    emit(frame, OutputFormat(fmt.value), out, title=title)


def complexity(
    dataset: Annotated[str | None, typer.Option("--dataset", "-d", help="Dataset name (see `tradecoop data list`).")] = None,
    input_file: Annotated[Path | None, typer.Option("--input", "-i", help="CSV or Parquet file.")] = None,
    year_col: Annotated[str, typer.Option("--year-col", help="Year column of --input.")] = "year",
    location_col: Annotated[str, typer.Option("--location-col", help="Location column of --input.")] = "location",
    product_col: Annotated[str, typer.Option("--product-col", help="Product column of --input.")] = "product",
    value_col: Annotated[str, typer.Option("--value-col", help="Export value column of --input.")] = "value",
    years: Annotated[str | None, typer.Option("--years", help="Years to compute: 2015:2017 or 2015,2017.")] = None,
    threshold: Annotated[float, typer.Option("--threshold", help="RCA threshold of presence (RCA >= t).")] = 1.0,
    method: Annotated[Method, typer.Option("--method", help="eigenvector, reflections or fitness.")] = Method.eigenvector,
    rca_mode: Annotated[RcaMode, typer.Option("--rca-mode", help="balassa, rpop or both (needs --population).")] = RcaMode.balassa,
    population: Annotated[Path | None, typer.Option("--population", help="CSV/Parquet with location[, year], population.")] = None,
    reliable_only: Annotated[bool, typer.Option("--reliable-only", help="Atlas sample: population > 1.2 M and exports >= USD 1 bn (needs --population).")] = False,
    keep_special: Annotated[bool, typer.Option("--keep-special", help="Keep HS 7108 (gold), chapter 99 and XXXX codes.")] = False,
    float32_rca: Annotated[bool, typer.Option("--float32-rca", help="Cast values to float32 first, as Stata does.")] = False,
    level: Annotated[Level, typer.Option("--level", help="cell: one row per (year, location, product); location: ECI; product: PCI.")] = Level.cell,
    proximity_out: Annotated[Path | None, typer.Option("--proximity-out", help="Also write the proximity table (CSV or .parquet).")] = None,
    fmt: Annotated[ComplexityFormat, typer.Option("--format", "-f", help="table, json, csv or parquet.")] = ComplexityFormat.table,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the result to this file.")] = None,
    store: StoreOpt = None,
) -> None:
    """Economic complexity (RCA, ECI/PCI, density, COI, COG) per year."""
    import pandas as pd

    from tradecoop.complexity import compute_complexity

    if (dataset is None) == (input_file is None):
        raise DataValidationError("give exactly one of --dataset NAME or --input FILE")
    wanted = _parse_years(years)
    if dataset is not None:
        frame = _load_dataset(dataset, store, wanted)
        year_col, location_col, product_col, value_col = "year", "location", "product", "value"
    else:
        frame = _read_table(input_file, (location_col, product_col))
    if wanted is not None:
        if year_col not in frame.columns:
            raise DataValidationError(f"--years given but the input has no column {year_col!r}")
        frame = frame[frame[year_col].isin(wanted)]
        if frame.empty:
            raise DataValidationError(f"no rows for years {wanted}")
    pop = None
    if population is not None:
        pop = _read_table(population, (location_col, "location"))
        if location_col not in pop.columns and "location" in pop.columns:
            pop = pop.rename(columns={"location": location_col})
    result = compute_complexity(
        frame, year_col=None if year_col == "year" and year_col not in frame.columns else year_col,
        location_col=location_col, product_col=product_col, value_col=value_col,
        threshold=threshold, method=method.value, rca_mode=rca_mode.value, population=pop,
        exclude_special=not keep_special, float32_rca=float32_rca, reliable_only=reliable_only,
    )
    if level is Level.location:
        table, title = result.eci_frame(), "Economic complexity index (ECI) by location"
    elif level is Level.product:
        table, title = result.pci_frame(), "Product complexity index (PCI)"
    else:
        table, title = result.to_frame(), "Complexity by location and product"
        table = table.rename(columns={"location": location_col, "product": product_col})
        if fmt is ComplexityFormat.table and out is None:
            table = result.eci_frame()
            title = "ECI by location (use --format csv|json|parquet --out FILE for every cell)"
    if proximity_out is not None:
        prox = pd.concat([y.proximity_frame() for y in result.by_year.values()], ignore_index=True)
        proximity_out.parent.mkdir(parents=True, exist_ok=True)
        if proximity_out.suffix.lower() in (".parquet", ".pq"):
            prox.to_parquet(proximity_out, index=False)
        else:
            prox.to_csv(proximity_out, index=False)
        typer.echo(f"wrote {proximity_out}", err=True)
    _write(table, fmt, out, title)


def register(app: typer.Typer) -> None:
    """Attach ``tradecoop complexity`` to the root app."""
    app.command("complexity", help=HELP, no_args_is_help=True)(complexity)
