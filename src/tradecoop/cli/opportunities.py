"""CLI command ``tradecoop opportunities A B``: ranked, explained cooperation opportunities."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tradecoop.cli.common import FormatOpt, OutOpt, OutputFormat, StoreOpt, emit


def register(app: typer.Typer) -> None:
    """Attach ``opportunities`` to the root app."""
    app.command("opportunities")(opportunities)


def opportunities(
    a: Annotated[str, typer.Argument(help="First location: ISO3 (BLR) or ISO 3166-2 (RU-CHE).")],
    b: Annotated[str, typer.Argument(help="Second location.")],
    year: Annotated[int | None, typer.Option("--year", help="Year of the world matrix (default: latest).")] = None,
    types: Annotated[
        list[str] | None,
        typer.Option("--types", help="Opportunity types (repeat): supply, localisation, value_chain, joint_entry, co_production."),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Best N per type and direction.")] = 10,
    weights: Annotated[
        str | None,
        typer.Option("--weights", help="Preset (balanced, low_hanging, long_jump, parsimonious, light_touch) or a JSON/TOML file."),
    ] = None,
    with_partners: Annotated[
        bool, typer.Option("--with-partners", help="Attach candidate partner enterprises from the registry.")
    ] = False,
    dataset: Annotated[str, typer.Option("--dataset", help="World exports dataset (location x product).")] = "world_hs4_2017",
    fmt: FormatOpt = OutputFormat.table,
    out: OutOpt = None,
    store: StoreOpt = None,
) -> None:
    """Rank cooperation opportunities for a pair, with the evidence behind every score.

    Five types (METHODS.md section 4): supply each way, localisation joint venture in B,
    value-chain links, joint entry into complex products, co-production (only on observed
    two-way flows). Every opportunity shows its per-criterion contributions (they add up to the
    score) with the raw values behind them, its value at stake in USD with the method ("no value"
    where no reliable figure exists, with the reason), and whether it rests on estimated data.
    A region without its own trade data is ranked with its country's data as a labelled proxy
    and never given its country's values.

    Examples:

      [bold]tradecoop opportunities BLR RUS --top 5[/bold]

      [bold]tradecoop opportunities BLR RUS --types localisation --weights long_jump --format json[/bold]
    """
    from tradecoop.opportunities.service import opportunities_for_pair

    ranking = opportunities_for_pair(a, b, year=year, types=types, top=top, weights=weights,
                                     dataset=dataset, store=store, with_partners=with_partners)
    if fmt is OutputFormat.json:
        emit(ranking.to_dict(), fmt, out)
    elif fmt is OutputFormat.csv:
        emit(ranking.to_frame(), fmt, out)
    else:
        _print(ranking, out)


def _print(ranking, out: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(record=out is not None, width=160 if out else None)
    for key in sorted({(o.type, o.direction) for o in ranking.opportunities}, key=_type_order):
        items = ranking.top(key[0], key[1], n=len(ranking.opportunities))
        first = items[0]
        table = Table(title=f"{first.type} {first.source} -> {first.target}" + (" (ESTIMATED)" if any(o.estimated for o in items) else ""))
        for col in ("rank", "HS", "product", "score", "USD at stake", "contributions (criterion: points)"):
            table.add_column(col, justify="right" if col in ("rank", "score", "USD at stake") else "left")
        for o in items:
            contrib = ", ".join(f"{k} {v:+.2f}" for k, v in o.contributions.items() if abs(v) >= 0.005)
            value = "no value" if o.value_usd is None else f"{o.value_usd:,.0f}"
            table.add_row(str(o.rank), o.product, o.name_en[:50], f"{o.score:.3f}", value, contrib)
        console.print(table)
        for note in dict.fromkeys(o.value_note for o in items if o.value_note):
            console.print(f"[dim]{note}[/dim]")
    console.print(f"[dim]Order: {ranking.tie_break}. Scale: {ranking.score_scale}. "
                  "Value methods, raw values and estimates: see --format json.[/dim]")
    for line in (*ranking.sources, *ranking.notes):
        console.print(f"[dim]{line}[/dim]")
    if out is not None:
        out.write_text(console.export_text(), encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)


def _type_order(key: tuple[str, str]) -> tuple[int, str]:
    from tradecoop.opportunities.types import OPPORTUNITY_TYPES

    return list(OPPORTUNITY_TYPES).index(key[0]), key[1]
