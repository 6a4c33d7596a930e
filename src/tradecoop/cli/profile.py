"""CLI commands for the `profile` feature: ``tradecoop profile A B``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tradecoop.cli.common import FormatOpt, OutOpt, OutputFormat, StoreOpt, emit, print_table
from tradecoop.errors import DataValidationError

_HELP = """Bilateral trade profile of two locations: turnover, balance, coverage, CAGR (current USD),
structure by HS section / HS2 / Lall / BEC, top products each way, trade intensity,
complementarity, export similarity, Grubel-Lloyd, HHI and import dependency.

Aggregate series are observed (bundled bilateral totals, every 4 years to 2016; missing reports are
shown as missing, never as 0). Product-level tables come from an imported bilateral file for the pair
if the store has one; otherwise they are ESTIMATED (proportional allocation of 2017 HS4 exports to
2016 destination shares) and every such number is labelled so.

Example: [bold]tradecoop profile BLR RUS --years 2000:2016[/bold]
         [bold]tradecoop profile BLR RUS --format json --out blr_rus.json[/bold]
"""


def _parse_years(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    parts = text.split(":")
    try:
        if len(parts) == 1:
            first = last = int(parts[0])
        elif len(parts) == 2:
            first, last = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError:
        raise DataValidationError(
            f"--years expects YEAR or FIRST:LAST (e.g. 2010:2016); found {text!r}") from None
    if first > last:
        raise DataValidationError(f"--years: first year {first} is after last year {last}")
    return first, last


def _long_frame(tables: dict[str, Any]):
    import pandas as pd

    frames = [frame.assign(table=name) for name, frame in tables.items() if not frame.empty]
    out = pd.concat(frames, ignore_index=True, sort=False)
    return out[["table"] + [c for c in out.columns if c != "table"]]


def _print_rich(profile) -> None:
    from rich.console import Console

    console = Console()
    h = profile.headline
    console.rule(f"[bold]Bilateral profile {profile.a} - {profile.b}[/bold]")
    if "year" in h:
        console.print(
            f"{h['year']}: {profile.a}->{profile.b} USD {h['exports_a_to_b']:,.0f}, "
            f"{profile.b}->{profile.a} USD {h['exports_b_to_a']:,.0f}, turnover USD {h['turnover']:,.0f}, "
            f"balance USD {h['balance']:,.0f} ({h['unit']}, {h['basis']})")
        console.print(f"CAGR of turnover {h['cagr_from']}-{h['year']}: "
                      f"{_pct(h.get('cagr_turnover'))} (current USD)")
    tables = profile.tables()
    names = {"exports_a_to_b": f"{profile.a}->{profile.b}", "exports_b_to_a": f"{profile.b}->{profile.a}"}
    print_table(tables["series"].rename(columns=names),
                title=f"Aggregate trade by year (observed, current USD; balance and coverage from {profile.a}'s side)")
    structure = tables["structure"]
    for level in structure["level"].unique() if not structure.empty else []:
        part = structure[structure["level"] == level]
        for direction in part["direction"].unique():
            rows = part[part["direction"] == direction].head(12)
            print_table(rows[["group", "value_usd", "share", "basis"]],
                        title=f"Structure by {level}, {direction} ({rows['basis'].iloc[0]})")
    for direction, rows in tables["top_products"].groupby("direction", sort=False):
        cols = [c for c in ("product", "name", "value_usd", "share", "basis") if c in rows.columns]
        print_table(rows[cols], title=f"Top products {direction} ({rows['basis'].iloc[0]})")
    print_table(tables["indices"], title="Indices")
    gl = tables["grubel_lloyd"]
    if not gl.empty:
        print_table(gl.rename(columns=names), title=f"Two-way trade by product: Grubel-Lloyd ({gl['basis'].iloc[0]}; "
                              "not by itself evidence of co-production)")
    if not tables["dependency"].empty:
        dep = tables["dependency"][["supplier", "importer", "product", "dependency_share",
                                    "other_suppliers_hhi", "n_competitive_exporters", "basis"]]
        print_table(dep, title="Import dependency on the partner (top products; ESTIMATED)")
    console.rule("[bold]Provenance[/bold]")
    for p in profile.provenance:
        console.print(f"- [bold]{p['table']}[/bold]: {p['basis']}; {p['source']}; {p['method']}")
    for note in profile.notes:
        console.print(f"[dim]note: {note}[/dim]")


def _pct(value) -> str:
    import math

    return "-" if value is None or not math.isfinite(value) else f"{value:.1%}"


def register(app: typer.Typer) -> None:
    """Attach ``tradecoop profile`` to the root app."""

    @app.command("profile", help=_HELP)
    def profile_cmd(
        a: Annotated[str, typer.Argument(metavar="A", help="First location (ISO alpha-3, e.g. BLR; or RU-CHE).")],
        b: Annotated[str, typer.Argument(metavar="B", help="Second location (e.g. RUS).")],
        years: Annotated[str | None, typer.Option(
            "--years", help="Years of the aggregate series, FIRST:LAST or YEAR (e.g. 2010:2016).",
            show_default=False)] = None,
        fmt: FormatOpt = OutputFormat.table,
        out: OutOpt = None,
        store: StoreOpt = None,
    ) -> None:
        from tradecoop.indicators.profile import bilateral_profile

        result = bilateral_profile(a, b, years=_parse_years(years), store=store)
        if fmt is OutputFormat.json:
            emit(result.to_dict(), fmt, out)
        elif fmt is OutputFormat.csv or out is not None:
            emit(_long_frame(result.tables()), fmt, out)
        else:
            _print_rich(result)
