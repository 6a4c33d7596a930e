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


@news_app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .html, .rss/.atom/.xml, .jsonl.")],
    lang: LangOpt = Lang.auto,
    published: PublishedOpt = None,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Store documents and their extracted facts in the review queue (registry database).

    Duplicates (same URL, same or near-identical text) are stored once; a malformed file is
    reported in one line and nothing of it is stored (exit code 1 after the other files).
    Example: [bold]tradecoop news ingest feeds/ articles.jsonl[/bold]
    """
    from tradecoop.news.ingest import ingest
    from tradecoop.registry.session import open_session

    with open_session() as s:
        report = ingest(s, paths, published=_parse_date(published), lang=lang.value)
    for line in report.errors:
        typer.echo(f"error: {line}", err=True)
    if fmt is Fmt.json:
        typer.echo(to_json(report.to_dict()))
    else:
        typer.echo(f"{report.files} files, {report.documents} documents: {report.added} added, "
                   f"{report.duplicates} duplicates skipped, {report.facts} facts queued for review, "
                   f"{len(report.errors)} files rejected")
    if report.errors:
        raise typer.Exit(1)


review_app = typer.Typer(help="Review extracted facts: list, edit, accept (into the registry), reject.",
                         no_args_is_help=True)
news_app.add_typer(review_app, name="review")
ActorOpt = Annotated[str, typer.Option("--as", help="Reviewer name recorded in the audit log.")]


def _show_facts(rows: list[dict[str, Any]], fmt: Fmt) -> None:
    from tradecoop.cli.common import print_table

    if fmt is Fmt.json:
        typer.echo(to_json(rows))
    elif not rows:
        typer.echo("no facts")
    else:
        print_table([{"id": r["id"], "status": r["status"], "type": r["type"], "polarity": r["polarity"],
                      "date": r["date"], "value": r["value"], "unit": r["unit"],
                      "locations": " ".join(r["locations"]), "record": r["record"],
                      "evidence": r["evidence"][:50]} for r in rows])


@review_app.command("list")
def review_list_cmd(
    status: Annotated[str, typer.Option("--status", help="pending, edited, accepted, rejected or all.")] = "pending",
    fact_type: Annotated[str | None, typer.Option("--type", help="Only this fact type.", show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 100,
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Facts in the queue (pending by default), oldest first."""
    from tradecoop.news.review import list_facts
    from tradecoop.registry.session import open_session

    with open_session() as s:
        rows = list_facts(s, status=None if status == "all" else status, fact_type=fact_type, limit=limit)
    _show_facts(rows, fmt)


@review_app.command("accept")
def review_accept_cmd(ids: Annotated[list[int], typer.Argument(help="Fact ids.")], actor: ActorOpt = "cli",
                      fmt: FmtOpt = Fmt.table) -> None:
    """Accept facts; a trade figure, target or investment becomes a registry reported figure."""
    from tradecoop.news.review import accept
    from tradecoop.registry.session import open_session

    with open_session() as s:
        rows = [accept(s, i, actor=actor) for i in ids]
    _show_facts(rows, fmt)


@review_app.command("reject")
def review_reject_cmd(ids: Annotated[list[int], typer.Argument(help="Fact ids.")], actor: ActorOpt = "cli",
                      note: Annotated[str | None, typer.Option("--note", show_default=False)] = None,
                      fmt: FmtOpt = Fmt.table) -> None:
    """Reject facts (kept in the queue as rejected, with the reviewer and the note)."""
    from tradecoop.news.review import reject
    from tradecoop.registry.session import open_session

    with open_session() as s:
        rows = [reject(s, i, actor=actor, note=note) for i in ids]
    _show_facts(rows, fmt)


@review_app.command("edit")
def review_edit_cmd(
    fact_id: Annotated[int, typer.Argument(help="Fact id.")],
    fact_type: Annotated[str | None, typer.Option("--type", show_default=False)] = None,
    value: Annotated[float | None, typer.Option("--value", show_default=False)] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="USD, RUB, BYN, EUR, %, units.", show_default=False)] = None,
    period: Annotated[str | None, typer.Option("--period", show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", show_default=False)] = None,
    polarity: Annotated[str | None, typer.Option("--polarity", help="fact, plan or intent.", show_default=False)] = None,
    locations: Annotated[str | None, typer.Option("--locations", help="Comma-separated codes or names.",
                                                  show_default=False)] = None,
    actor: ActorOpt = "cli",
    fmt: FmtOpt = Fmt.table,
) -> None:
    """Correct a fact before accepting it."""
    from tradecoop.news.review import edit
    from tradecoop.registry.session import open_session

    changes = {k: v for k, v in {"type": fact_type, "value": value, "unit": unit, "period": period, "date": date,
                                 "polarity": polarity}.items() if v is not None}
    if locations is not None:
        changes["locations"] = [x.strip() for x in locations.split(",") if x.strip()]
    if not changes:
        from tradecoop.errors import DataValidationError

        raise DataValidationError("nothing to edit: give at least one of --type --value --unit --period --date "
                                  "--polarity --locations")
    with open_session() as s:
        row = edit(s, fact_id, changes, actor=actor)
    _show_facts([row], fmt)


def register(app: typer.Typer) -> None:
    """Attach ``news`` to the root app."""
    app.add_typer(news_app, name="news")
