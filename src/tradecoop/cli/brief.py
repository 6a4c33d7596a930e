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
    potential: Annotated[bool, typer.Option("--potential/--no-potential", help="Include gravity potential (the first run for a data version fits two PPML models, ~5 s; later runs read them back).")] = True,
    sectors: Annotated[str | None, typer.Option(
        "--sectors", help="Narrow the ideas to the visit's themes: comma-separated presets "
        "engineering, agri_machinery, vehicles, metallurgy, construction, agri_food.")] = None,
    store: StoreOpt = None,
) -> None:
    """Write the briefing pack for a pair: a self-contained HTML file (and a PDF with --pdf).

    Page one ("At a glance"): the five best ideas, each with the enterprises on each side (makers
    and buyers, with city, website and source), why, the value at stake or "no reliable value",
    and a next step; the latest reported figures with their sources; treaties in force. For a
    region without regional trade statistics: its registered enterprises, never its country's
    numbers. Then the annex: headline numbers; turnover and balance over time; structure each way;
    complementarity, similarity and intra-industry trade; dependencies; top opportunities of
    each type with an explanation chart each; gravity potential; agreements in force; data
    provenance, with every estimate named as an estimate. Nothing is fetched from the network.

    Examples:

      [bold]tradecoop brief BLR RUS --pdf[/bold]

      [bold]tradecoop brief BLR RU-CHE --lang ru --sectors vehicles,metallurgy[/bold]

      [bold]tradecoop brief BLR RUS --lang ru --out briefs/[/bold]
    """
    from tradecoop.services.brief import build_brief
    from tradecoop.services.request import PairRequest

    request = PairRequest.of(a, b, year=year, store=store, lang=lang.value, sectors=sectors)
    quiet_logs()
    with _spinner("computing profile, opportunities and gravity potential...") as update:
        model = build_brief(request, with_potential=potential, progress=update)
        write_brief(model, out, pdf=pdf, update=update)


def quiet_logs() -> None:
    """Silence the INFO chatter of WeasyPrint and fontTools (pyfixest sets the root logger to
    INFO at import); warnings and errors still show."""
    import logging

    for name in ("weasyprint", "fontTools", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)
    root = logging.getLogger()
    if not root.handlers:  # with a handler in place, a library's basicConfig(level=INFO) is a no-op
        handler = logging.StreamHandler()
        handler.setLevel(logging.WARNING)
        root.addHandler(handler)
    root.setLevel(logging.WARNING)


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

    from tradecoop.reports import i18n

    console = Console()
    lang = model.lang
    if model.ideas:
        table = Table(title=f"{model.pair.a} – {model.pair.b}: {i18n.t('section.glance', lang)}", show_header=False)
        table.add_column("#", justify="right")
        table.add_column("idea", overflow="fold")
        for n, idea in enumerate(model.ideas, start=1):
            name = idea.name_ru if lang == "ru" else idea.name_en
            firms = ", ".join(e.name(lang) for e in idea.enterprises[:2])
            table.add_row(str(n), f"{idea.supplier} → {idea.buyer}: {idea.product} {name[:40]} ({firms})")
        console.print(table)
    if rows:
        table = Table(title=i18n.t("section.headline", lang) + (f" ({model.data_year})" if model.data_year else ""),
                      show_header=False)
        table.add_column("what", overflow="fold")
        table.add_column("value", justify="right")
        for label, value, estimated in rows:
            table.add_row(label, value + (" [yellow](estimated)[/yellow]" if estimated else ""))
        console.print(table)
    if model.reported:
        latest = model.reported[0]
        console.print(f"{i18n.t('section.reported', lang)}: {len(model.reported)} "
                      f"(latest: {latest.metric} {latest.period}, {latest.publisher}, {latest.date})")
    by_reason: dict[str, list[str]] = {}
    for section, reason in model.unavailable.items():
        by_reason.setdefault(i18n.t_or(reason, lang, reason), []).append(section)
    for reason, sections in by_reason.items():
        console.print(f"[dim]{', '.join(sections)}: {reason}[/dim]", highlight=False)
    console.print(f"HTML: [bold]{html_path}[/bold]")
    if pdf_path is not None:
        console.print(f"PDF:  [bold]{pdf_path}[/bold]")
