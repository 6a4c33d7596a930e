"""`tradecoop news extract / evaluate / ingest / review` end to end."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tradecoop.cli.main import app

runner = CliRunner()
NEWS = Path(__file__).resolve().parents[2] / "fixtures" / "news"


def test_extract_json_shape() -> None:
    res = runner.invoke(app, ["news", "extract", str(NEWS / "corpus" / "en01.txt"), "--published", "2022-11-15"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) == {"document", "entities", "facts"}
    assert out["document"] == {"language": "en", "title": None, "published": "2022-11-15"}
    meeting = next(f for f in out["facts"] if f["type"] == "meeting")
    assert meeting["date"] == "2022-11-15" and "RU-CHE" in meeting["locations"]
    table = runner.invoke(app, ["news", "extract", str(NEWS / "corpus" / "ru04.txt"), "--format", "table"])
    assert table.exit_code == 0 and "RU-CHE" in table.stdout


def test_extract_feed_gives_a_list_and_bad_input_one_line() -> None:
    res = runner.invoke(app, ["news", "extract", str(NEWS / "ingest" / "feed.rss")])
    assert res.exit_code == 0
    assert [d["document"]["published"] for d in json.loads(res.stdout)] == ["2024-09-19", "2024-12-05"]
    bad = runner.invoke(app, ["news", "extract", str(NEWS / "ingest" / "malformed" / "cp1251.txt")])
    assert bad.exit_code == 1
    assert bad.stderr.count("\n") == 1 and "not UTF-8" in bad.stderr
    bad_date = runner.invoke(app, ["news", "extract", str(NEWS / "corpus" / "en01.txt"), "--published", "11/08"])
    assert bad_date.exit_code == 1 and "YYYY-MM-DD" in bad_date.stderr


def test_evaluate_prints_scores() -> None:
    res = runner.invoke(app, ["news", "evaluate", "--corpus", str(NEWS / "corpus"), "--split", "heldout",
                              "--format", "json"])
    assert res.exit_code == 0, res.output
    scores = json.loads(res.stdout)["heldout"]["scores"]
    for name in ("location", "organization", "person", "trade figures", "dates", "fact:meeting"):
        assert {"precision", "recall", "f1"} <= set(scores[name])


def test_ingest_twice_then_review() -> None:
    first = runner.invoke(app, ["news", "ingest", str(NEWS / "ingest"), "--format", "json"])
    assert first.exit_code == 1  # the malformed folder's files are rejected, the rest stored
    report = json.loads(first.stdout)
    assert report["added"] == 5 and len(report["errors"]) == 5
    assert all(line.startswith("error: ") for line in first.stderr.splitlines())
    second = runner.invoke(app, ["news", "ingest", str(NEWS / "ingest" / "article.html"), "--format", "json"])
    assert second.exit_code == 0 and json.loads(second.stdout)["added"] == 0
    listed = json.loads(runner.invoke(app, ["news", "review", "list", "--type", "trade_figure",
                                            "--format", "json"]).stdout)
    fig = next(f for f in listed if f["url"] == "https://news.example.org/2025/08/11/chelyabinsk")
    acc = runner.invoke(app, ["news", "review", "accept", str(fig["id"]), "--as", "analyst", "--format", "json"])
    assert acc.exit_code == 0, acc.output
    assert json.loads(acc.stdout)[0]["record"].startswith("figure:")
    again = runner.invoke(app, ["news", "review", "accept", str(fig["id"])])
    assert again.exit_code == 1 and "already accepted" in again.stderr
    nothing = runner.invoke(app, ["news", "review", "edit", str(fig["id"])])
    assert nothing.exit_code == 1 and "nothing to edit" in nothing.stderr
