"""CLI command ``tradecoop demo``: the main job on the bundled data (what ``make demo`` runs)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

#: the briefs the demo writes, seed case first: (A, B, gravity potential?)
DEMO_PAIRS = (("BLR", "RU-CHE", False), ("BLR", "RUS", True))


def register(app: typer.Typer) -> None:
    """Attach ``demo`` to the root app."""
    app.command("demo")(demo)


def demo(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path("out"),
) -> None:
    """The seed case from the bundled data: Belarus ↔ Chelyabinsk region, then Belarus ↔ Russia.

    Each brief in Russian and English, HTML and PDF (same as [bold]tradecoop brief A B --pdf
    --lang ru|en[/bold]); ends with where the files are and the year of each kind of figure.
    """
    from rich.console import Console
    from rich.table import Table

    from tradecoop.cli.brief import _spinner, quiet_logs
    from tradecoop.reports.render import brief_filename, write_html, write_pdf
    from tradecoop.services.brief import build_brief
    from tradecoop.services.request import PairRequest

    quiet_logs()
    console = Console()
    console.print("[bold]tradecoop demo[/bold]: the Belarus ↔ Chelyabinsk region briefing, then Belarus ↔ Russia, "
                  "in Russian and English, from the bundled real data and the enterprise registry.")
    summary = Table(title="Briefs written", show_lines=False)
    for column in ("pair", "ideas", "reported figures", "trade statistics", "files"):
        summary.add_column(column, overflow="fold")
    with _spinner("computing...") as update:
        for a, b, potential in DEMO_PAIRS:
            update(f"{a} – {b}: profile, opportunities, registry" + (", gravity potential" if potential else ""))
            model = build_brief(PairRequest.of(a, b, lang="ru"), with_potential=potential)
            files = []
            for lang in ("ru", "en"):
                edition = model.with_lang(lang)
                update(f"{a} – {b}: rendering {lang} HTML and PDF")
                files.append(write_html(edition, out / brief_filename(edition, "html")))
                files.append(write_pdf(edition, out / brief_filename(edition, "pdf")))
            reported = f"{len(model.reported)}, latest {model.reported[0].period} ({model.reported[0].date})" \
                if model.reported else "none"
            stats = (f"{model.data_year} (headline)" if model.data_year else "no regional statistics in the store")
            if model.product_year:
                stats += f"; product data {model.product_year}"
            summary.add_row(f"{a} – {b}", str(len(model.ideas)), reported, stats,
                            "\n".join(p.name for p in files))
    console.print(summary)
    console.print(f"Files are in [bold]{out}/[/bold]; open the [bold]_ru.html[/bold] or [bold]_en.html[/bold] "
                  "in a browser, or the PDF beside it.")
