"""CLI command ``tradecoop opportunities A B``: ranked, explained cooperation opportunities."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tradecoop.cli.common import FormatOpt, OutOpt, OutputFormat, StoreOpt, compact_usd, emit


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

    Five types (docs/methods.md section 4): supply each way, localisation joint venture in B,
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
    from tradecoop.services.opportunities import RankingOptions, pair_opportunities
    from tradecoop.services.request import PairRequest

    options = RankingOptions(types=tuple(types or ()), top=top, weights=weights, dataset=dataset,
                             with_partners=with_partners)
    ranking = pair_opportunities(PairRequest.of(a, b, year=year, store=store), options)
    if fmt is OutputFormat.json:
        emit(ranking.to_dict(), fmt, out)
    elif fmt is OutputFormat.csv:
        emit(ranking.to_frame(), fmt, out)
    else:
        _print(ranking, out)


def _money(value) -> str:
    return compact_usd(value, "no value")


def _why(o) -> str:
    """The two criteria that raised the score most, each with its raw value in plain words
    ("share of world exports held by BLR: 2.6%") where known, else the criterion's name."""
    from tradecoop.reports.raw_values import raw_text

    parts = {p["criterion"]: p for p in getattr(o, "explanation", ())}
    best = sorted(((k, v) for k, v in o.contributions.items() if v > 0), key=lambda kv: -kv[1])[:2]
    out = []
    for k, v in best:
        p = parts.get(k, {})
        raw, unit = p.get("raw_value"), p.get("raw_unit")
        shown = raw_text(k, raw, str(unit or ""), "en", str(o.source), str(o.target)) or k
        if p.get("proxy_of") and raw is not None:
            shown += f" [{p['proxy_of']}, country level]"
        out.append(f"{shown} ({v:+.2f})")
    return "; ".join(out)


def _print(ranking, out: Path | None) -> None:
    """One table per type and direction that fits 80 columns: each idea on one line, then its
    strongest reasons and (with --with-partners) the makers and buyers on lines of their own."""
    from rich.console import Console
    from rich.table import Table

    console = Console(record=out is not None, width=160 if out else None)
    for key in sorted({(o.type, o.direction) for o in ranking.opportunities}, key=_type_order):
        items = ranking.top(key[0], key[1], n=len(ranking.opportunities))
        first = items[0]
        title = f"{first.type} {first.source} -> {first.target}" + (" (ESTIMATED)" if any(o.estimated for o in items) else "")
        table = Table(title=title, title_justify="left", show_lines=True, pad_edge=False)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("HS", no_wrap=True)
        table.add_column("product, why, partners", overflow="fold", ratio=1)
        table.add_column("score", justify="right", no_wrap=True)
        table.add_column("USD", justify="right", no_wrap=True)
        for o in items:
            lines = [o.name_en[:60], f"[dim]why: {_why(o)}[/dim]"]
            makers = getattr(o, "partners_source", ()) or ()
            buyers = getattr(o, "partners_target", ()) or ()
            if makers:
                lines.append(f"makers ({o.source}): {'; '.join(makers)}")
            if buyers:
                lines.append(f"buyers ({o.target}): {'; '.join(buyers)}")
            table.add_row(str(o.rank), o.product, "\n".join(lines), f"{o.score:.2f}", _money(o.value_usd))
        console.print(table)
        for note in dict.fromkeys(o.value_note for o in items if o.value_note):
            console.print(f"[dim]{note}[/dim]")
    console.print(f"[dim]Order: {ranking.tie_break}. Scale: {ranking.score_scale}. "
                  "Value methods and every raw value: --format json.[/dim]")
    for line in (*ranking.sources, *ranking.notes):
        console.print(f"[dim]{line}[/dim]")
    if out is not None:
        out.write_text(console.export_text(), encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)


def _type_order(key: tuple[str, str]) -> tuple[int, str]:
    from tradecoop.opportunities.types import OPPORTUNITY_TYPES

    return list(OPPORTUNITY_TYPES).index(key[0]), key[1]
