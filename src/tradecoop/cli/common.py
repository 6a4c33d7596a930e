"""Options and output helpers shared by every command (one place for formats and --out)."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from tradecoop.serialise import to_jsonable


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="TRADECOOP_STORE",
        help="Data store directory (default: the per-user data directory; env TRADECOOP_STORE).",
        show_default=False,
    ),
]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format: table, json or csv.")
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write the result to this file instead of stdout.", show_default=False),
]


def to_json(data: Any) -> str:
    """Serialise a frame (records), a dataclass-like dict or a list to JSON text."""
    if hasattr(data, "to_dict") and hasattr(data, "columns"):
        data = data.to_dict(orient="records")
    return json.dumps(to_jsonable(data), ensure_ascii=False, indent=2)


def emit(data: Any, fmt: OutputFormat, out: Path | None = None, *, title: str | None = None) -> None:
    """Write ``data`` (a pandas DataFrame, a dict or a list of dicts) as table, JSON or CSV.

    JSON and CSV go to stdout unchanged (so scripts can pipe them) unless ``out`` is given.
    """
    import pandas as pd

    if fmt is OutputFormat.json:
        text = to_json(data)
    elif fmt is OutputFormat.csv:
        frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data if isinstance(data, list) else [data])
        text = frame.to_csv(index=False)
    else:
        if out is not None:
            frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data if isinstance(data, list) else [data])
            text = frame.to_string(index=False)
        else:
            print_table(data, title=title)
            return
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
    else:
        typer.echo(text, nl=not text.endswith("\n"))


def print_table(data: Any, *, title: str | None = None, max_rows: int = 200) -> None:
    """Print a frame or records as a Rich table (numbers right-aligned, NaN shown as '-')."""
    import pandas as pd
    from rich.console import Console
    from rich.table import Table

    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data if isinstance(data, list) else [data])
    table = Table(title=title, show_lines=False)
    for col in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col])
        table.add_column(str(col), justify="right" if numeric else "left")
    for row in frame.head(max_rows).itertuples(index=False):
        table.add_row(*(_fmt_cell(v) for v in row))
    console = Console()
    console.print(table)
    if len(frame) > max_rows:
        console.print(f"[dim]{len(frame) - max_rows} more rows; use --format csv --out FILE for all[/dim]")


def _fmt_cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "-"
        if abs(value) >= 1e4:
            return f"{value:,.0f}"
        return f"{value:.4g}"
    return str(value)


def compact_usd(value: float | None, missing: str = "-") -> str:
    """An amount in three significant digits for an 80-column table: '10.6 bn', '-1.47 bn', '687 mn'.

    >>> compact_usd(10_567_673_856), compact_usd(-1.4699e9), compact_usd(None, "no value")
    ('10.6 bn', '-1.47 bn', 'no value')
    """
    import math

    if value is None or not math.isfinite(value):
        return missing
    for div, word in ((1e9, "bn"), (1e6, "mn"), (1e3, "k")):
        if abs(value) >= div:
            scaled = value / div
            return f"{scaled:,.{2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0}f} {word}"
    return f"{value:,.0f}"
