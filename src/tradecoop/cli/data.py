"""``tradecoop data``: import trade files into the store, list, show and remove datasets."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tradecoop.cli.common import FormatOpt, OutOpt, OutputFormat, StoreOpt, emit

data_app = typer.Typer(
    name="data",
    help=(
        "Trade data in the local store: import files (BACI, UN Comtrade, Russian customs "
        "regional statistics, any mapped CSV/Parquet), list datasets with their provenance.\n\n"
        "Example: [bold]tradecoop data import baci BACI_HS17_Y2022_V202401.csv[/bold]"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)


class ImportFormat(StrEnum):
    baci = "baci"
    comtrade = "comtrade"
    fcs_region = "fcs-region"
    csv = "csv"


class Unit(StrEnum):
    usd = "usd"
    thousand_usd = "thousand_usd"
    million_usd = "million_usd"


@data_app.command("import")
def import_cmd(
    fmt: Annotated[ImportFormat, typer.Argument(metavar="FORMAT", help="baci, comtrade, fcs-region or csv.")],
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...", help="Input files: CSV or zip archives of CSV files (csv also Parquet).")],
    name: Annotated[str | None, typer.Option("--name", help="Dataset name (default: from the file names).")] = None,
    mapping: Annotated[str | None, typer.Option(
        "--map", help="csv only: FIELD=COLUMN pairs, e.g. year=Year,exporter=From,importer=To,"
                      "product=HS6,value=Value (importer optional: world exports).")] = None,
    unit: Annotated[Unit, typer.Option("--unit", help="csv only: unit of the value column.")] = Unit.usd,
    hs_vintage: Annotated[str | None, typer.Option(
        "--hs-vintage", help="HS vintage of the product codes (HS92..HS22); csv: required unless mapped; "
                             "baci: overrides the file name; fcs-region: default from the years.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="csv only: who published the data.")] = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="Text encoding of the CSV files (default utf-8), e.g. cp1251 for "
                           "Windows Cyrillic exports.", show_default=False)] = None,
    store: StoreOpt = None,
    fmt_out: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
) -> None:
    """Import trade data files into the store (atomic: a failed import changes nothing).

    Re-importing the same files with the same options leaves the store unchanged. Zip archives
    (CEPII's BACI download) are read as the CSV files they contain.

    Examples:

      tradecoop data import baci BACI_HS17_Y2022_V202401.csv country_codes_V202401.csv product_codes_HS17_V202401.csv

      tradecoop data import baci BACI_HS17_V202401.zip

      tradecoop data import comtrade TradeData_2022.csv --name comtrade_blr

      tradecoop data import fcs-region chelyabinsk_2021.csv --hs-vintage HS17

      tradecoop data import csv flows.parquet --map year=Year,exporter=From,importer=To,product=HS6,value=Value --unit thousand_usd --hs-vintage HS17
    """
    from tradecoop.data.sources import import_files
    from tradecoop.data.store import open_store

    options: dict = {"hs_vintage": hs_vintage}
    if fmt is ImportFormat.csv:
        if not mapping:
            from tradecoop.errors import DataValidationError

            raise DataValidationError(
                "csv import needs --map, e.g. --map year=Year,exporter=From,importer=To,"
                "product=HS6,value=Value")
        options.update(mapping=mapping, unit=unit.value, source=source)
    elif mapping or source or unit is not Unit.usd:
        from tradecoop.errors import DataValidationError

        raise DataValidationError("--map, --unit and --source apply to the csv format only")
    import warnings

    from tradecoop.errors import DataQualityWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DataQualityWarning)
        outcome = import_files(fmt.value, paths, store=open_store(store), name=name,
                               progress=fmt_out is OutputFormat.table and out is None,
                               encoding=encoding, **options)
    for warning in caught:
        typer.echo(f"warning: {warning.message}", err=True)
    info = outcome.info
    if fmt_out is OutputFormat.table and out is None:
        verb = {"unchanged": "already imported (store unchanged)", "replaced": "replaced",
                "imported": "imported"}[outcome.status]
        typer.echo(f"{info.name}: {verb}; {info.rows:,} rows; {info.provenance_label}")
        return
    emit({"status": outcome.status, **info.to_dict()}, fmt_out, out)


def _row(info) -> dict:
    years = f"{info.years[0]}-{info.years[1]}" if info.years else "-"
    return {"name": info.name, "table": info.table, "rows": info.rows, "years": years,
            "hs_vintage": info.hs_vintage or "-", "source": info.source,
            "kind": "estimated" if info.estimated else "observed",
            "origin": "bundled" if info.bundled else "imported"}


@data_app.command("list")
def list_cmd(store: StoreOpt = None, fmt_out: FormatOpt = OutputFormat.table, out: OutOpt = None) -> None:
    """List every dataset (bundled and imported) with source, rows, years and HS vintage.

    Example: tradecoop data list --format json
    """
    from tradecoop.data.store import open_store

    st = open_store(store)
    infos = st.datasets()
    if fmt_out is OutputFormat.table and out is None:
        _print_list(infos, st.root)
        return
    emit([_row(i) for i in infos], fmt_out, out, title=f"datasets ({st.root})")


#: columns of the terminal listing (each shown in full; the source only where it fits)
_LIST_COLUMNS = ("name", "table", "rows", "years", "HS")
_MIN_SOURCE_WIDTH = 30


def _print_list(infos: list, root: Path) -> None:
    """The listing for a terminal: imported and bundled datasets as two borderless tables whose
    names, table kinds, row counts and years are never cut, at 80 columns too. The source is a
    column only where the terminal leaves it room; ``data show NAME`` has every field."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    records = [dict(_row(i), rows=f"{i.rows:,}", name=i.name + ("*" if i.estimated else ""))
               for i in infos]
    keys = ("name", "table", "rows", "years", "hs_vintage")
    widths = [max([len(h)] + [len(r[k]) for r in records]) for h, k in zip(_LIST_COLUMNS, keys,
                                                                          strict=True)]
    room = console.width - sum(widths) - 3 * len(widths)  # 3: padding, rule, padding
    show_source = room >= _MIN_SOURCE_WIDTH
    fits = room >= 0  # below ~78 columns cells fold onto a second line rather than being cut
    groups = [
        (f"Imported, in {root}:", [r for r in records if r["origin"] == "imported"]),
        ("Bundled with tradecoop (read-only):", [r for r in records if r["origin"] == "bundled"]),
    ]
    for title, group in groups:
        console.print(Text(title, style="bold"))
        if not group:
            console.print("  none yet; import with `tradecoop data import FORMAT FILE...`")
            console.print()
            continue
        table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False)
        for header, width in zip(_LIST_COLUMNS, widths, strict=True):
            table.add_column(header, justify="right" if header == "rows" else "left",
                             no_wrap=fits, min_width=width if fits else None, overflow="fold")
        if show_source:
            table.add_column("source", no_wrap=True)
        for r in group:
            cells = [r["name"], r["table"], r["rows"], r["years"], r["hs_vintage"]]
            if show_source:
                source = r["source"]
                cells.append(source if len(source) <= room else source[:room - 1] + "…")
            table.add_row(*(Text(c) for c in cells))
        console.print(table)
    if any(i.estimated for i in infos):
        console.print("* estimated figures, not observations")
    console.print(Text("Source, licence, files and notes of a dataset: tradecoop data show NAME"
                       "; everything as JSON: tradecoop data list --format json", style="dim"))


@data_app.command("show")
def show_cmd(name: Annotated[str, typer.Argument(help="Dataset name (see `tradecoop data list`).")],
             store: StoreOpt = None, fmt_out: FormatOpt = OutputFormat.table, out: OutOpt = None) -> None:
    """Show a dataset's provenance: source, files, content hash, rows, years, HS vintage,
    licence, imported_at, observed/estimated and notes.

    Example: tradecoop data show baci_hs17_v202401
    """
    from tradecoop.data.store import open_store

    st = open_store(store)
    info = st.info(name)
    record = info.to_dict()
    record["kind"] = "estimated" if info.estimated else "observed"
    meta = st.import_meta(name)
    if meta:
        record["import_format"] = meta.get("format")
        record["import_options"] = meta.get("options")
    if fmt_out is OutputFormat.table and out is None:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"dataset {name}", show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value")
        for key, value in record.items():
            if isinstance(value, list | tuple):
                value = "\n".join(map(str, value)) if key != "years" else "-".join(map(str, value))
            table.add_row(key, "-" if value in (None, "") else str(value))
        Console().print(table)
        return
    emit(record, fmt_out, out)


@data_app.command("remove")
def remove_cmd(name: Annotated[str, typer.Argument(help="Imported dataset to delete.")],
               store: StoreOpt = None) -> None:
    """Delete an imported dataset from the store (bundled datasets cannot be removed).

    Example: tradecoop data remove baci_hs17_v202401
    """
    from tradecoop.data.store import open_store

    info = open_store(store).remove(name)
    typer.echo(f"removed {info.name} ({info.rows:,} rows)")


def register(app: typer.Typer) -> None:
    """Attach ``tradecoop data ...`` to the root app."""
    app.add_typer(data_app, name="data")
