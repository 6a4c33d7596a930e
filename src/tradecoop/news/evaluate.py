"""Precision, recall and F1 of the extractor against gold annotations (``tests/fixtures/news``).

Scoring is per document and then summed (micro-average):

* **entities** (per type): the set of identities in the document, an identity being the id
  (ISO code, ``enterprise:<key>``) when there is one, otherwise a name key: for organisations
  the registry search skeleton of the text, for persons the folded stem of the surname (so
  ``Текслер``/``Текслером``/``Тэкслер`` are one person);
* **facts** (per type): a predicted fact is correct when a gold fact of the same type has an
  evidence span that overlaps it (each gold fact matched once);
* **trade figures**: the (value, unit) pairs of trade_figure, target and investment facts, a value
  within :data:`VALUE_TOLERANCE` (relative) of the gold one;
* **dates**: the (evidence sentence, date) pairs of facts that carry a date;
* **polarity**: accuracy over the facts matched by type and span.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tradecoop.errors import NotFoundError

#: relative difference up to which a predicted figure equals the gold one
VALUE_TOLERANCE = 0.01
ENTITY_TYPES = ("location", "organization", "person")
FACT_TYPES = ("meeting", "visit", "agreement", "joint_venture", "project", "supply", "purchase",
              "trade_figure", "target", "investment", "other")
FIGURE_TYPES = ("trade_figure", "target", "investment")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn


@dataclass
class Report:
    split: str
    documents: int
    scores: dict[str, Score] = field(default_factory=dict)
    polarity_correct: int = 0
    polarity_total: int = 0

    def score(self, name: str) -> Score:
        return self.scores.setdefault(name, Score())

    def to_dict(self) -> dict[str, Any]:
        return {"split": self.split, "documents": self.documents,
                "scores": {k: {"precision": round(v.precision, 3), "recall": round(v.recall, 3),
                               "f1": round(v.f1, 3), "tp": v.tp, "fp": v.fp, "fn": v.fn}
                           for k, v in self.scores.items()},
                "polarity_accuracy": round(self.polarity_correct / self.polarity_total, 3)
                if self.polarity_total else None}


def _entity_key(e: dict[str, Any]) -> str:
    if e.get("id"):
        return e["id"]
    if e["type"] == "person":
        from tradecoop.news.text import fold_stem, is_cyrillic

        last = e["text"].split()[-1]
        return "~" + (fold_stem(last) if is_cyrillic(last) else last.lower())
    from tradecoop.registry.search import skeleton

    return skeleton(e["text"])


def _set_score(score: Score, gold: set, pred: set) -> None:
    score.add(len(gold & pred), len(pred - gold), len(gold - pred))


def _overlap(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(a), abs(b), 1e-12)


def _match_pairs(gold: list[dict], pred: list[dict], same: Callable[[dict, dict], bool]) -> int:
    used: set[int] = set()
    tp = 0
    for p in pred:
        for i, g in enumerate(gold):
            if i not in used and same(g, p):
                used.add(i)
                tp += 1
                break
    return tp


def score_document(report: Report, gold: dict[str, Any], pred: dict[str, Any]) -> None:
    for t in ENTITY_TYPES:
        _set_score(report.score(t),
                   {_entity_key(e) for e in gold["entities"] if e["type"] == t},
                   {_entity_key(e) for e in pred["entities"] if e["type"] == t})
    gf, pf = gold["facts"], pred["facts"]
    for t in FACT_TYPES:
        g = [f for f in gf if f["type"] == t]
        p = [f for f in pf if f["type"] == t]
        if not g and not p:
            continue
        tp = _match_pairs(g, p, _overlap)
        report.score(f"fact:{t}").add(tp, len(p) - tp, len(g) - tp)
        report.score("facts (all types)").add(tp, len(p) - tp, len(g) - tp)
        used: set[int] = set()
        for f in p:
            for i, x in enumerate(g):
                if i not in used and _overlap(x, f):
                    used.add(i)
                    report.polarity_total += 1
                    report.polarity_correct += x["polarity"] == f["polarity"]
                    break
    g = [f for f in gf if f["type"] in FIGURE_TYPES and f["value"] is not None]
    p = [f for f in pf if f["type"] in FIGURE_TYPES and f["value"] is not None]
    tp = _match_pairs(g, p, lambda a, b: a["unit"] == b["unit"] and _close(a["value"], b["value"])
                      and _overlap(a, b))
    report.score("trade figures").add(tp, len(p) - tp, len(g) - tp)
    g = {(f["start"], f["date"]) for f in gf if f["date"]}
    p = {(f["start"], f["date"]) for f in pf if f["date"]}
    _set_score(report.score("dates"), g, p)


def load_corpus(folder: Path) -> list[tuple[dict[str, Any], str]]:
    """(gold annotation, text) pairs of a corpus folder (``<id>.json`` + ``<id>.txt``)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotFoundError(f"corpus folder {folder} does not exist; expected <id>.txt and <id>.json files")
    out = []
    for gold_path in sorted(folder.glob("*.json")):
        text_path = gold_path.with_suffix(".txt")
        if not text_path.exists():
            raise NotFoundError(f"{gold_path.name} has no text file {text_path.name} beside it")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        out.append((gold, text_path.read_text(encoding="utf-8").rstrip("\n")))
    if not out:
        raise NotFoundError(f"no gold annotations (*.json) in {folder}")
    return out


def evaluate(folder: Path, splits: tuple[str, ...] = ("dev", "heldout"),
             lang: str | None = None) -> dict[str, Report]:
    """One report per split (and one for all documents under ``"all"``)."""
    from tradecoop.news.extract import extract

    reports: dict[str, Report] = {s: Report(s, 0) for s in (*splits, "all")}
    by_split: dict[str, list] = defaultdict(list)
    for gold, text in load_corpus(folder):
        if lang and gold["document"]["language"] != lang:
            continue
        by_split[gold.get("split", "dev")].append((gold, text))
    for split in splits:
        for gold, text in by_split.get(split, []):
            pred = extract(text, lang="auto",
                           title=gold["document"].get("title"), published=gold["document"]["published"])
            for r in (reports[split], reports["all"]):
                r.documents += 1
                score_document(r, gold, pred)
    return reports
