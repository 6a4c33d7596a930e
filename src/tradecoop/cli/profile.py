"""CLI commands for the `profile` feature: ``tradecoop profile A B``."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tradecoop.cli.common import FormatOpt, OutOpt, OutputFormat, StoreOpt, compact_usd, emit
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


def _money(value) -> str:
    """USD in three significant digits: 'USD 10.6 bn' is printed as '10.6 bn' after 'USD'."""
    return compact_usd(value)


def _table(title: str, columns: list[tuple[str, str]], rows: list[list[str]]):
    """A Rich table that fits 80 columns: long text columns fold, numbers stay whole."""
    from rich.table import Table

    table = Table(expand=False, pad_edge=False)
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold", no_wrap=justify == "right")
    for row in rows:
        table.add_row(*row)
    from rich.console import Group
    from rich.text import Text

    return Group(Text(title, style="bold"), table)


def _print_rich(profile) -> None:
    """The profile for a terminal of 80 columns; every table names its year."""
    from rich.console import Console

    from tradecoop.data.nomenclature.hs import product_name
    from tradecoop.errors import TradecoopError

    console = Console()
    a, b, h = profile.a, profile.b, profile.headline
    console.rule(f"[bold]Bilateral profile {a} - {b}[/bold]")
    if "year" in h:
        console.print(f"{h['year']} ({h['unit']}, {h['basis']}): {a}->{b} USD {_money(h['exports_a_to_b'])}, "
                      f"{b}->{a} USD {_money(h['exports_b_to_a'])}, turnover USD {_money(h['turnover'])}, "
                      f"balance of {a} USD {_money(h['balance'])}")
        if h.get("cagr_from") is not None and h["cagr_from"] < h["year"]:
            console.print(f"Turnover growth per year (CAGR) {h['cagr_from']}-{h['year']}: "
                          f"{_pct(h.get('cagr_turnover'))} (current USD)")
        if h.get("reported_by"):
            console.print(f"As reported by {h['reported_by']}: {h.get('source', '')}")
    series = profile.series
    notes = []
    rows = []
    for r in series.itertuples(index=False):
        mark = ""
        if getattr(r, "note", ""):
            notes.append(f"{r.year}: {r.note}")
            mark = f" [{len(notes)}]"
        rows.append([f"{r.year}{mark}", _money(r.exports_a_to_b), _money(r.exports_b_to_a), _money(r.turnover),
                     _money(r.balance), "-" if r.coverage != r.coverage else f"{r.coverage:.2f}"])
    years = f"{series['year'].min()}-{series['year'].max()}" if not series.empty else ""
    console.print(_table(f"Trade by year, {years} (observed, current USD; balance of {a})",
                         [("year", "left"), (f"{a}->{b}", "right"), (f"{b}->{a}", "right"),
                          ("turnover", "right"), ("balance", "right"), ("cover", "right")], rows))
    for k, note in enumerate(notes, start=1):
        console.print(f"  [{k}] {note}", highlight=False)
    year = profile.product_year or ""
    structure = profile.structure
    for level in ("hs_section", "lall", "bec") if not structure.empty else []:
        part = structure[structure["level"] == level]
        for direction in part["direction"].unique():
            sub = part[part["direction"] == direction].head(10)
            rows = [[str(g)[:40], _money(v), f"{s:.1%}"] for g, v, s in zip(sub["group"], sub["value_usd"], sub["share"], strict=True)]
            console.print(_table(f"Structure {direction} by {level}, {year} ({sub['basis'].iloc[0]})",
                                 [("group", "left"), ("USD", "right"), ("share", "right")], rows))
    for direction, sub in profile.top_products.groupby("direction", sort=False):
        rows = []
        for r in sub.itertuples(index=False):
            try:
                name = product_name(str(r.product))
            except TradecoopError:
                name = ""
            rows.append([str(r.product), name[:44], _money(r.value_usd), f"{r.share:.1%}"])
        console.print(_table(f"Top products {direction}, {year} ({sub['basis'].iloc[0]})",
                             [("code", "left"), ("product", "left"), ("USD", "right"), ("share", "right")], rows))
    rows = [[str(r.indicator), str(r.direction), "-" if r.value != r.value else f"{r.value:.3g}",
             str(r.basis), str(int(r.year)) if r.year == r.year and r.year is not None else str(year)]
            for r in profile.indices.itertuples(index=False)]
    console.print(_table("Indices", [("indicator", "left"), ("pair", "left"), ("value", "right"),
                                     ("basis", "left"), ("year", "right")], rows))
    dep = profile.dependency
    if not dep.empty:
        rows = [[str(r.product), f"{r.supplier}->{r.importer}", f"{r.dependency_share:.1%}",
                 "-" if r.n_competitive_exporters != r.n_competitive_exporters else f"{r.n_competitive_exporters:.0f}"]
                for r in dep.head(20).itertuples(index=False)]
        console.print(_table(f"Import dependency on the partner, {year} ({dep['basis'].iloc[0]})",
                             [("code", "left"), ("flow", "left"), ("share", "right"), ("alternatives", "right")], rows))
    console.rule("[bold]Provenance[/bold]")
    for p in profile.provenance:
        console.print(f"- [bold]{p['table']}[/bold]: {p['basis']}; {p['source']}; {p['method']}", highlight=False)
    for note in profile.notes:
        console.print(f"[dim]note: {note}[/dim]", highlight=False)


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
        from tradecoop.services.profile import pair_profile
        from tradecoop.services.request import PairRequest

        result = pair_profile(PairRequest.of(a, b, store=store), years=_parse_years(years))
        if fmt is OutputFormat.json:
            emit(result.to_dict(), fmt, out)
        elif fmt is OutputFormat.csv or out is not None:
            emit(_long_frame(result.tables()), fmt, out)
        else:
            _print_rich(result)
