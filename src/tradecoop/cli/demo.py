"""CLI command ``tradecoop demo``: the main job on the bundled data (what ``make demo`` runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Attach ``demo`` to the root app."""
    app.command("demo")(demo)


def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("out"),
) -> None:
    """The briefing pack for Belarus and Russia from the bundled data, in English and Russian.

    Same as [bold]tradecoop brief BLR RUS --pdf[/bold] plus the Russian HTML edition; prints
    the headline numbers and where the HTML and PDF files are.
    """
    from rich.console import Console

    from tradecoop.cli.brief import _spinner, write_brief
    from tradecoop.reports.build import build_brief

    console = Console()
    console.print("[bold]tradecoop demo[/bold]: Belarus – Russia briefing pack from the bundled real data "
                  "(UN Comtrade, CEPII, WIOD, DESTA; see DATA.md). Takes about a minute.")
    with _spinner("computing profile, opportunities and gravity potential...") as update:
        model = build_brief("BLR", "RUS", lang="en")
        html, _ = write_brief(model, out, pdf=True, update=update)
        write_brief(model.with_lang("ru"), out, pdf=False, update=update)
    console.print(f"Open [bold]{html}[/bold] in a browser, or the PDF beside it.")
