"""CLI command ``tradecoop brief A B``: the briefing pack (HTML, optionally PDF)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tradecoop.cli.common import StoreOpt


class Lang(StrEnum):
    en = "en"
    ru = "ru"


def register(app: typer.Typer) -> None:
    """Attach ``brief`` to the root app."""
    app.command("brief")(brief)


def brief(
    a: Annotated[str, typer.Argument(help="First location: ISO3 (BLR) or ISO 3166-2 (RU-CHE).")],
    b: Annotated[str, typer.Argument(help="Second location.")],
    year: Annotated[int | None, typer.Option("--year", help="Year of the product-level data (default: latest).")] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of every label and heading: en or ru.")] = Lang.en,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("out"),
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write a PDF (WeasyPrint).")] = False,
    potential: Annotated[bool, typer.Option("--potential/--no-potential", help="Include gravity potential (fits a PPML model, ~10 s).")] = True,
    store: StoreOpt = None,
) -> None:
    """Write the briefing pack for a pair: a self-contained HTML file (and a PDF with --pdf).

    Sections: headline numbers; turnover and balance over time; structure each way;
    complementarity, similarity and intra-industry trade; dependencies; top opportunities of
    each type with an explanation chart each; gravity potential; agreements in force; data
    provenance, with every estimate named as an estimate. Nothing is fetched from the network.

    Examples:

      [bold]tradecoop brief BLR RUS --pdf[/bold]

      [bold]tradecoop brief BLR RUS --lang ru --out briefs/[/bold]
    """
    from tradecoop.reports.build import build_brief

    with _spinner("computing profile, opportunities and gravity potential...") as update:
        model = build_brief(a, b, year=year, lang=lang.value, store=store, with_potential=potential)
        write_brief(model, out, pdf=pdf, update=update)


def write_brief(model, out: Path, *, pdf: bool, update=None) -> tuple[Path, Path | None]:
    """Render ``model`` to HTML (and PDF) in ``out`` and print the summary with the paths."""
    from tradecoop.reports.render import brief_filename, summarise, write_html, write_pdf

    if update:
        update("rendering HTML...")
    html_path = write_html(model, out / brief_filename(model, "html"))
    pdf_path = None
    if pdf:
        if update:
            update("rendering PDF (WeasyPrint)...")
        pdf_path = write_pdf(model, out / brief_filename(model, "pdf"))
    _print_summary(model, summarise(model), html_path, pdf_path)
    return html_path, pdf_path


class _spinner:
    """A transient Rich spinner on stderr; ``update(text)`` changes its text."""

    def __init__(self, text: str) -> None:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn

        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                  console=Console(stderr=True), transient=True)
        self._text = text

    def __enter__(self):
        self._progress.__enter__()
        task = self._progress.add_task(self._text, total=None)
        return lambda text: self._progress.update(task, description=text)

    def __exit__(self, *exc):
        return self._progress.__exit__(*exc)


def _print_summary(model, rows, html_path: Path, pdf_path: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"{model.pair.a} – {model.pair.b}: briefing pack ({model.lang})", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for label, value, estimated in rows:
        table.add_row(label, value + (" [yellow](estimated)[/yellow]" if estimated else ""))
    console.print(table)
    by_reason: dict[str, list[str]] = {}
    for section, reason in model.unavailable.items():
        by_reason.setdefault(reason, []).append(section)
    for reason, sections in by_reason.items():
        console.print(f"[dim]not available ({', '.join(sections)}): {reason}[/dim]")
    console.print(f"HTML: [bold]{html_path}[/bold]")
    if pdf_path is not None:
        console.print(f"PDF:  [bold]{pdf_path}[/bold]")
