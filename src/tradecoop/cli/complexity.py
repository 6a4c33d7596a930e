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


#: Parquet columns written with dictionary encoding: the labels and the per-location /
#: per-product columns (at most Np distinct values in Nc x Np rows). The cell values (value,
#: rca, density, distance, cog) are nearly all distinct: a dictionary there costs a hash table
#: per page and is then abandoned (HS6 year: 0.27 s and 42 MB with every column, 0.19 s and
#: 40 MB with these; benchmarks/complexity_process_bench.py).
DICTIONARY_COLUMNS = ("year", "location", "product", "M", "eci", "pci", "diversity", "ubiquity", "coi")


def _read_table(path: Path, text_cols: tuple[str, ...] = ()) -> pd.DataFrame:
    """Read a CSV or Parquet file (by suffix) with pandas; CSV ``text_cols`` stay text."""
    import pandas as pd

    _check_input(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(path)
    header = pd.read_csv(path, nrows=0).columns
    return pd.read_csv(path, dtype={c: str for c in text_cols if c in header})


def _check_input(path: Path) -> None:
    if not path.exists():
        raise DataValidationError(f"input file {path} does not exist")
    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".pq", ".csv", ".txt", ".gz"):
        raise DataValidationError(f"input {path}: expected a .csv or .parquet file, found suffix {suffix!r}")


def _read_arrow(path: Path, text_cols: tuple[str, ...]):
    """Read a CSV or Parquet file (by suffix) as an Arrow table, without pandas.

    Text labels stay dictionaries (Parquet) or become them (CSV ``text_cols`` are read as
    text, so '0101' keeps its 0): never one Python string per row.
    """
    import pyarrow as pa

    _check_input(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        schema = pq.read_schema(path)
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        # ParquetFile, not read_table: read_table goes through pyarrow.dataset, which imports pandas
        return pq.ParquetFile(path, read_dictionary=text).read()
    from pyarrow import csv

    convert = csv.ConvertOptions(  # (types of absent columns are ignored)
        column_types={c: pa.dictionary(pa.int32(), pa.string()) for c in text_cols},
        strings_can_be_null=True,  # an empty label is missing, as pandas reads it
    )
    return csv.read_csv(path, convert_options=convert)


def _load_dataset(name: str, store: Path | None, years: list[int] | None):
    """A dataset's analysis input (year, location, product, value) from the store (bundled or
    imported) as an Arrow table, labels dictionary-encoded."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from tradecoop.data.store import open_store

    table = open_store(store).location_product_values(name, years=years).to_pyarrow()
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            table = table.set_column(i, field.name, pc.dictionary_encode(table.column(i)))
    return table


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


def _partial(out: Path) -> Path:
    """Where a streamed output is written before it is complete (renamed over ``out`` at the end)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return out.with_name(f".{out.name}.partial")


class _ParquetCells:
    """Long tables written year by year (Arrow, no pandas), one write in flight at a time.

    The write of year t (Arrow encodes and compresses without the GIL) runs on a second thread
    while year t+1 is computed: memory holds at most two years' tables.
    """

    def __init__(self, out: Path, names: dict[str, str]) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.out, self.tmp, self.names = out, _partial(out), names
        self.writer = None
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending = None

    def _write(self, table) -> None:
        import pyarrow.parquet as pq

        if self.writer is None:
            used = [self.names.get(c, c) for c in DICTIONARY_COLUMNS]
            self.writer = pq.ParquetWriter(self.tmp, table.schema, use_dictionary=used,
                                           compression="snappy")
        self.writer.write_table(table)

    def add(self, year) -> None:
        table = year.to_arrow()
        table = table.rename_columns([self.names.get(c, c) for c in table.column_names])
        if self.pending is not None:
            self.pending.result()
        self.pending = self.pool.submit(self._write, table)

    def close(self, ok: bool) -> None:
        try:
            if self.pending is not None:
                self.pending.result()
        finally:
            self.pool.shutdown()
            if self.writer is not None:
                self.writer.close()
            if ok:
                self.tmp.replace(self.out)
                typer.echo(f"wrote {self.out}", err=True)
            else:
                self.tmp.unlink(missing_ok=True)


class _CsvCells:
    """Long tables appended year by year as CSV (to --out, or to stdout)."""

    def __init__(self, out: Path | None, names: dict[str, str]) -> None:
        self.out, self.names, self.first = out, names, True
        self.tmp = _partial(out) if out is not None else None
        self.handle = self.tmp.open("w", encoding="utf-8", newline="") if self.tmp else None

    def add(self, year) -> None:
        frame = year.to_frame()
        frame.columns = [self.names.get(c, c) for c in frame.columns]  # in place: no copy
        text = frame.to_csv(index=False, header=self.first)
        self.first = False
        if self.handle is not None:
            self.handle.write(text)
        else:
            typer.echo(text, nl=False)

    def close(self, ok: bool) -> None:
        if self.handle is None:
            return
        self.handle.close()
        if ok:
            self.tmp.replace(self.out)
            typer.echo(f"wrote {self.out}", err=True)
        else:
            self.tmp.unlink(missing_ok=True)


class _Proximity:
    """The proximity tables of every year, streamed to CSV or Parquet."""

    def __init__(self, out: Path) -> None:
        self.out, self.tmp = out, _partial(out)
        self.parquet = out.suffix.lower() in (".parquet", ".pq")
        self.writer = None
        self.handle = None if self.parquet else self.tmp.open("w", encoding="utf-8", newline="")

    def add(self, year) -> None:
        frame = year.proximity_frame()
        if self.parquet:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.tmp, table.schema)
            self.writer.write_table(table)
        else:
            self.handle.write(frame.to_csv(index=False, header=self.handle.tell() == 0))

    def close(self, ok: bool) -> None:
        for thing in (self.writer, self.handle):
            if thing is not None:
                thing.close()
        if ok and self.tmp.exists():
            self.tmp.replace(self.out)
            typer.echo(f"wrote {self.out}", err=True)
        else:
            self.tmp.unlink(missing_ok=True)


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
    from tradecoop.complexity import ComplexityOptions, iter_complexity

    if (dataset is None) == (input_file is None):
        raise DataValidationError("give exactly one of --dataset NAME or --input FILE")
    wanted = _parse_years(years)
    if dataset is not None:
        frame = _load_dataset(dataset, store, wanted)
        year_col, location_col, product_col, value_col = "year", "location", "product", "value"
    else:
        frame = _read_arrow(input_file, (location_col, product_col))
    if wanted is not None:
        import numpy as np
        import pyarrow.compute as pc

        from tradecoop.complexity.arrow import from_numpy

        if year_col not in frame.column_names:
            raise DataValidationError(f"--years given but the input has no column {year_col!r}")
        wanted_years = from_numpy(np.asarray(wanted, dtype=np.int64))
        frame = frame.filter(pc.is_in(frame.column(year_col), value_set=wanted_years))
        if frame.num_rows == 0:
            raise DataValidationError(f"no rows for years {wanted}")
    pop = None
    if population is not None:
        pop = _read_table(population, (location_col, "location"))
        if location_col not in pop.columns and "location" in pop.columns:
            pop = pop.rename(columns={"location": location_col})
    options = ComplexityOptions(
        year_col=None if year_col == "year" and year_col not in frame.column_names else year_col,
        location_col=location_col, product_col=product_col, value_col=value_col,
        threshold=threshold, method=method.value, rca_mode=rca_mode.value,
        exclude_special=not keep_special, float32_rca=float32_rca, reliable_only=reliable_only,
    )
    results = iter_complexity(frame, options, population=pop)
    frame = None  # validated and turned into arrays: the input table is no longer needed
    if fmt is ComplexityFormat.parquet and out is None:
        raise DataValidationError("--format parquet needs --out FILE")
    # the user's own column names in the cell table (no renaming when they are the defaults)
    names = {"location": location_col, "product": product_col}
    cells = None
    if level is Level.cell and fmt is ComplexityFormat.parquet:
        cells = _ParquetCells(out, names)
    elif level is Level.cell and fmt is ComplexityFormat.csv:
        cells = _CsvCells(out, names)
    if level is Level.location or (level is Level.cell and fmt is ComplexityFormat.table and out is None):
        per_year, title = "eci_frame", "Economic complexity index (ECI) by location"
        if level is Level.cell:
            title = "ECI by location (use --format csv|json|parquet --out FILE for every cell)"
    elif level is Level.product:
        per_year, title = "pci_frame", "Product complexity index (PCI)"
    else:
        per_year, title = "to_frame", "Complexity by location and product"
    sinks = [s for s in (cells, _Proximity(proximity_out) if proximity_out else None) if s]
    kept, ok = [], False
    try:
        for year in results:  # one year in memory at a time (plus the one being written)
            for sink in sinks:
                sink.add(year)
            if cells is None:  # the rankings, or every cell as a table / JSON
                kept.append(getattr(year, per_year)())
        ok = True
    finally:
        for sink in sinks:
            sink.close(ok)
    if cells is not None:
        return
    import pandas as pd

    table = pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0]
    if per_year == "to_frame" and (location_col, product_col) != ("location", "product"):
        table.columns = [names.get(c, c) for c in table.columns]  # in place: no copy
    if fmt is ComplexityFormat.parquet:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_parquet(out, index=False)
        typer.echo(f"wrote {out}", err=True)
        return
    emit(table, OutputFormat(fmt.value), out, title=title)


def register(app: typer.Typer) -> None:
    """Attach ``tradecoop complexity`` to the root app."""
    app.command("complexity", help=HELP, no_args_is_help=True)(complexity)
