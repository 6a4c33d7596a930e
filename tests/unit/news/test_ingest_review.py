"""Reading files, ingesting into the review queue (duplicates, malformed files, idempotence) and
reviewing facts into registry reported figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tradecoop.news.sources import MalformedDocumentError, read_documents

INGEST = Path(__file__).resolve().parents[2] / "fixtures" / "news" / "ingest"


@pytest.fixture
def session(tmp_path: Path):
    from tradecoop.registry.db import make_engine, migrate, session_factory
    from tradecoop.registry.seed import load_seed

    url = f"sqlite:///{tmp_path / 'registry.db'}"
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        load_seed(s)
        yield s
    engine.dispose()


def _counts(session) -> tuple[int, int]:
    from sqlalchemy import func, select

    from tradecoop.registry.news_models import NewsDocumentRow, NewsFactRow

    return (session.scalar(select(func.count()).select_from(NewsDocumentRow)),
            session.scalar(select(func.count()).select_from(NewsFactRow)))


def test_readers() -> None:
    (html,) = read_documents(INGEST / "article.html")
    assert html.title.startswith("Лукашенко")
    assert html.url == "https://news.example.org/2025/08/11/chelyabinsk"
    assert html.published.isoformat() == "2025-08-11"
    assert "Главная" not in html.text and "Все права" not in html.text  # boilerplate dropped
    assert "полмиллиарда долларов" in html.text
    rss = read_documents(INGEST / "feed.rss")
    assert [d.url for d in rss] == ["https://feed.example.org/ru18", "https://feed.example.org/en06"]
    assert rss[0].publisher == "Example Feed" and rss[0].published.isoformat() == "2024-09-19"
    assert "<p>" not in rss[0].text
    (atom,) = read_documents(INGEST / "feed.atom")
    assert atom.url == "https://atom.example.org/be04"
    assert len(read_documents(INGEST / "articles.jsonl")) == 3


@pytest.mark.parametrize(("name", "why"), [
    ("binary.txt", "binary data"), ("cp1251.txt", "not UTF-8"), ("broken.html", "no main text"),
    ("empty.rss", "no entries"), ("bad.jsonl", "line 1"),
])
def test_malformed_files_are_one_line_errors(name: str, why: str) -> None:
    with pytest.raises(MalformedDocumentError, match=why) as info:
        read_documents(INGEST / "malformed" / name)
    assert "\n" not in str(info.value) and name in str(info.value)


def test_ingest_twice_and_duplicates(session) -> None:
    from tradecoop.news.ingest import ingest

    first = ingest(session, [INGEST])
    # html 1 + jsonl 3 (two duplicates: a mirror with other spacing, a URL of the feed) + atom 1 + rss 2;
    # the malformed folder: 5 files rejected, nothing stored
    assert first.documents == 7
    assert first.added == 5 and first.duplicates == 2
    assert len(first.errors) == 5 and all("\n" not in e for e in first.errors)
    stored = _counts(session)
    assert stored[0] == 5 and stored[1] == first.facts > 0
    again = ingest(session, [INGEST])
    assert again.added == 0 and again.facts == 0 and again.duplicates == 7
    assert _counts(session) == stored


def test_only_malformed_stores_nothing(session) -> None:
    from tradecoop.news.ingest import ingest

    report = ingest(session, [INGEST / "malformed"])
    assert report.added == 0 and len(report.errors) == 5
    assert _counts(session) == (0, 0)


def test_review_accept_creates_a_reported_figure(session) -> None:
    from sqlalchemy import select

    from tradecoop.errors import ConflictError, DataValidationError
    from tradecoop.news.ingest import ingest
    from tradecoop.news.review import accept, edit, list_facts, reject
    from tradecoop.registry.models import AuditLog, ReportedFigure

    ingest(session, [INGEST / "article.html"])
    pending = list_facts(session)
    figure = next(f for f in pending if f["type"] == "trade_figure")
    assert (figure["value"], figure["unit"], figure["locations"]) == (5e8, "USD", ["BLR", "RU-CHE"])
    done = accept(session, figure["id"], actor="analyst")
    assert done["status"] == "accepted" and done["record"].startswith("figure:")
    rec = session.get(ReportedFigure, int(done["record"].split(":")[1]))
    assert (rec.metric, rec.value, rec.unit) == ("turnover", 5e8, "USD")
    assert rec.source_url == "https://news.example.org/2025/08/11/chelyabinsk"
    assert rec.source_date.isoformat() == "2025-08-11"
    assert sorted(p.location for p in rec.parties if p.location) == ["BLR", "RU-CHE"]
    assert rec.period == "current"  # "в год": the current annual level
    assert rec.reporter == "President of BLR (Aleksandr Lukashenko)"
    with pytest.raises(ConflictError, match="already accepted"):
        accept(session, figure["id"])
    other = next(f for f in pending if f["type"] != "trade_figure")
    rejected = reject(session, other["id"], actor="analyst", note="not cooperation")
    assert rejected["status"] == "rejected"
    with pytest.raises(ConflictError, match="rejected"):
        accept(session, other["id"])
    with pytest.raises(DataValidationError, match="polarity"):
        edit(session, other["id"], {"polarity": "maybe"})
    actions = [a.action for a in session.scalars(select(AuditLog).where(AuditLog.entity == "news_fact"))]
    assert actions == ["accept", "reject"]
    assert list_facts(session, status="accepted")[0]["id"] == figure["id"]


def test_accepting_a_figure_without_parties_asks_for_an_edit(session) -> None:
    from tradecoop.errors import DataValidationError
    from tradecoop.news.ingest import ingest
    from tradecoop.news.review import accept, edit, list_facts

    ingest(session, [INGEST / "feed.atom"])  # "гандаль дзвюх краін": no place named in that sentence
    fact = next(f for f in list_facts(session) if f["type"] == "trade_figure")
    assert fact["locations"] == []
    with pytest.raises(DataValidationError, match="`locations`"):
        accept(session, fact["id"])
    edited = edit(session, fact["id"], {"locations": ["Belarus", "Россия"]})
    assert edited["status"] == "edited" and edited["locations"] == ["BLR", "RUS"]
    assert accept(session, fact["id"])["record"].startswith("figure:")


def test_accepting_events_agreements_and_projects(session, tmp_path: Path) -> None:
    import json as _json

    from tradecoop.news.ingest import ingest
    from tradecoop.news.review import accept, list_facts
    from tradecoop.registry.models import Agreement, Event, Project

    corpus = INGEST.parent / "corpus"
    rows = [
        {"url": "https://a.example.org/ru02", "published": "2025-08-10",
         "text": (corpus / "ru02.txt").read_text(encoding="utf-8")},
        {"url": "https://b.example.org/be06", "published": "2025-08-08",
         "text": (corpus / "be06.txt").read_text(encoding="utf-8")},
        {"url": "https://c.example.org/ru08", "published": "2023-07-11",
         "text": (corpus / "ru08.txt").read_text(encoding="utf-8")},
        {"url": "https://d.example.org/ru21", "published": "2021-01-20",
         "text": (corpus / "ru21.txt").read_text(encoding="utf-8")},
    ]
    path = tmp_path / "three.jsonl"
    path.write_text("".join(_json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    ingest(session, [path])
    facts = list_facts(session)
    # the visit that began on 8 August, reported in Russian and in Belarusian: one event, two sources
    visits = [f for f in facts if f["type"] == "visit" and f["date"] == "2025-08-08"]
    assert len(visits) == 2
    records = {accept(session, f["id"])["record"] for f in visits}
    assert len(records) == 1
    event = session.get(Event, int(records.pop().split(":")[1]))
    assert event.kind == "visit" and event.date.isoformat() == "2025-08-08"
    assert "a.example.org" in event.outcomes and "b.example.org" in event.outcomes
    agreement = next(f for f in facts if f["type"] == "agreement" and f["url"].endswith("ru08"))
    rec = accept(session, agreement["id"])["record"]
    agr = session.get(Agreement, int(rec.split(":")[1]))
    assert agr.kind == "commercial" and agr.status == "signed"  # ЧТЗ and МТЗ are registry enterprises
    assert len([p for p in agr.parties if p.enterprise_id]) == 2
    jv = next(f for f in facts if f["type"] == "joint_venture" and f["polarity"] == "plan")
    prj = session.get(Project, int(accept(session, jv["id"])["record"].split(":")[1]))
    assert (prj.kind, prj.stage) == ("joint venture", "planned")
    assert [p.hs_code for p in prj.products] == ["8701"]
    assert [p.location for p in prj.parties if p.location] == ["RU-BA"]
