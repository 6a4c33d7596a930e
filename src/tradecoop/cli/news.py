"""``tradecoop news``: cooperation facts from news and press releases (extract, evaluate, ingest,
review)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from tradecoop.cli.common import OutOpt, to_json

news_app = typer.Typer(
    help="Cooperation facts (visits, agreements, joint ventures, turnover figures, targets) from "
         "news texts in Russian, English and Belarusian; offline.",
    no_args_is_help=True,
)


class Lang(StrEnum):
    auto = "auto"
    ru = "ru"
    en = "en"
    be = "be"


class Fmt(StrEnum):
    json = "json"
    table = "table"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of the text; auto identifies it (ru/en/be/uk).")]
FmtOpt = Annotated[Fmt, typer.Option("--format", "-f", help="json (the documented shape) or table.")]


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from tradecoop.errors import DataValidationError

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataValidationError(f"--published must be YYYY-MM-DD; found {value!r}") from None


PublishedOpt = Annotated[
    str | None,
    typer.Option("--published", help="Document date YYYY-MM-DD, for relative dates in texts that carry none.",
                 show_default=False),
]


def _print_extraction(result: dict[str, Any]) -> None:
    from tradecoop.cli.common import print_table

    doc = result["document"]
    typer.echo(f"language {doc['language']}, published {doc['published'] or '-'}"
               + (f", title {doc['title']}" if doc.get("title") else ""))
    if result["entities"]:
        print_table([{k: e[k] for k in ("type", "text", "id", "name", "role", "of")} for e in result["entities"]],
                    title="entities")
    if result["facts"]:
        print_table([{"type": f["type"], "polarity": f["polarity"], "date": f["date"], "value": f["value"],
                      "unit": f["unit"], "locations": " ".join(f["locations"]),
                      "organizations": " ".join(f["organizations"]), "products": " ".join(f["products"]),
                      "evidence": f["text"][:40]} for f in result["facts"]], title="facts")
    else:
        typer.echo("no facts found")


@news_app.command("extract")
def extract_cmd(
    file: Annotated[Path, typer.Argument(help="A text, HTML, RSS/Atom or JSONL file.")],
    lang: LangOpt = Lang.auto,
    fmt: FmtOpt = Fmt.json,
    published: PublishedOpt = None,
    out: OutOpt = None,
) -> None:
    """Entities and facts of one document (a feed or JSONL file gives a JSON list, one per entry).

    Example: [bold]tradecoop news extract article.txt --published 2025-08-11 --format table[/bold]
    """
    from tradecoop.news.extract import extract
    from tradecoop.news.sources import read_documents

    docs = read_documents(file, _parse_date(published))
    results = [extract(d.text, lang=lang.value, title=d.title, published=d.published) for d in docs]
    if fmt is Fmt.table:
        for r in results:
            _print_extraction(r)
        return
    text = to_json(results[0] if len(results) == 1 else results)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"wrote {out}", err=True)
    else:
        typer.echo(text)


class Split(StrEnum):
    dev = "dev"
    heldout = "heldout"
    both = "both"


@news_app.command("evaluate")
def evaluate_cmd(
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of <id>.txt + <id>.json gold files.")] = Path(
        "tests/fixtures/news/corpus"),
    split: Annotated[Split, typer.Option("--split", help="dev, heldout or both.")] = Split.both,
    lang: Annotated[str | None, typer.Option("--lang", help="Only documents in this language (ru, en, be).",
                                             show_default=False)] = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Precision, recall and F1 per entity type, per fact type, for trade figures and dates.

    Example: [bold]tradecoop news evaluate --split heldout[/bold]
    """
    from tradecoop.cli.common import print_table
    from tradecoop.news.evaluate import evaluate

    splits = ("dev", "heldout") if split is Split.both else (split.value,)
    reports = evaluate(corpus, splits=splits, lang=lang)
    if fmt is Fmt.json:
        typer.echo(to_json({k: r.to_dict() for k, r in reports.items() if k in splits}))
        return
    for name in splits:
        r = reports[name]
        rows = [{"measure": k, "precision": round(v.precision, 3), "recall": round(v.recall, 3),
                 "f1": round(v.f1, 3), "tp": v.tp, "fp": v.fp, "fn": v.fn} for k, v in sorted(r.scores.items())]
        pol = f"{r.polarity_correct}/{r.polarity_total}" if r.polarity_total else "-"
        print_table(rows, title=f"{name}: {r.documents} documents (polarity right on {pol} matched facts)")


def register(app: typer.Typer) -> None:
    """Attach ``news`` to the root app."""
    app.add_typer(news_app, name="news")
