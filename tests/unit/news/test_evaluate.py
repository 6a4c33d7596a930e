"""Scoring against gold annotations, and the corpus scores as a regression guard."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from tradecoop.news.evaluate import Report, evaluate, load_corpus, score_document

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "news" / "corpus"
#: floors for the held-out part (the issue's targets; the scores reached are in docs/news.md)
HELDOUT_FLOORS = {"location": 0.9, "organization": 0.9, "trade figures": 0.8, "dates": 0.8,
                  "facts (all types)": 0.7}


def _gold(doc_id: str) -> dict:
    return json.loads((CORPUS / f"{doc_id}.json").read_text(encoding="utf-8"))


def test_corpus_size_languages_split_and_sources() -> None:
    docs = [g for g, _ in load_corpus(CORPUS)]
    langs = [g["document"]["language"] for g in docs]
    assert len(docs) >= 40
    assert langs.count("ru") >= 20 and langs.count("en") >= 10 and langs.count("be") >= 5
    assert {g["split"] for g in docs} == {"dev", "heldout"}
    assert all(g["sources"] and all(u.startswith("http") for u in g["sources"]) for g in docs)
    split = json.loads((CORPUS.parent / "split.json").read_text())
    assert sorted(split["dev"] + split["heldout"]) == sorted(g["id"] for g in docs)


def test_gold_offsets_point_at_their_text() -> None:
    for gold, text in load_corpus(CORPUS):
        for e in gold["entities"]:
            assert text[e["start"]:e["end"]] == e["text"], (gold["id"], e)
        for f in gold["facts"]:
            assert text[f["start"]:f["end"]] == f["text"], (gold["id"], f["type"])


def test_perfect_prediction_scores_one_and_errors_lower_it() -> None:
    gold = _gold("ru04")
    report = Report("t", 1)
    score_document(report, gold, copy.deepcopy(gold))
    assert all(s.f1 == 1.0 for s in report.scores.values())
    worse = copy.deepcopy(gold)
    worse["entities"] = [e for e in worse["entities"] if e["type"] != "location"]
    for f in worse["facts"]:
        if f["value"] is not None:
            f["value"] *= 1.5  # beyond the tolerance
    worse["facts"].append({**worse["facts"][0], "type": "visit"})
    report = Report("t", 1)
    score_document(report, gold, worse)
    assert report.scores["location"].recall == 0.0
    assert report.scores["trade figures"].f1 == 0.0
    assert report.scores["fact:visit"].precision == 0.0
    assert report.scores["organization"].f1 == 1.0


def test_person_key_ignores_case_endings() -> None:
    gold = _gold("ru04")
    pred = copy.deepcopy(gold)
    for e in pred["entities"]:
        if e["type"] == "person" and e["text"].startswith("Алексеем"):
            e["text"] = "Алексей Текслер"
    report = Report("t", 1)
    score_document(report, gold, pred)
    assert report.scores["person"].f1 == 1.0


def test_heldout_scores_stay_above_the_targets() -> None:
    report = evaluate(CORPUS, splits=("heldout",))["heldout"]
    assert report.documents >= 15
    for name, floor in HELDOUT_FLOORS.items():
        assert report.scores[name].f1 >= floor, (name, report.scores[name])


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    from tradecoop.errors import NotFoundError

    with pytest.raises(NotFoundError, match="does not exist"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(NotFoundError, match="no gold"):
        load_corpus(tmp_path)
