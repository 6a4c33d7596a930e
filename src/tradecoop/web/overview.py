"""The pair overview's view of a :class:`~tradecoop.reports.Brief` — the one place the workspace
reads the brief model (switch to the brief's own "at a glance" summary here when it exists).

:func:`overview` turns a brief into plain rows for one language; the named enterprises for the
best ideas come from the registry (:mod:`tradecoop.web.partners`, scored as
:func:`tradecoop.registry.matching.partners_for_product` scores them), makers on the supplying
side and makers or users on the other. :class:`Background` computes slow results (briefs, rankings) in a worker thread, one at a time, so a page can answer at once
and poll while they are computed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tradecoop.reports import Brief
from tradecoop.reports import i18n as bi
from tradecoop.web.i18n import brief_label

#: ideas per opportunity type on the overview, and partner enterprises per side
IDEAS_PER_TYPE = 2
PARTNERS_PER_SIDE = 3
#: brief opportunity section -> (engine type, direction)
SECTION_TYPES = {
    "supply_ab": ("supply", "ab"), "supply_ba": ("supply", "ba"), "localisation_jv": ("localisation", "ab"),
    "value_chain": ("value_chain", "ab"), "joint_entry": ("joint_entry", "ab"), "co_production": ("co_production", "ab"),
}


@dataclass(frozen=True)
class Partner:
    id: int
    name: str
    location: str


@dataclass(frozen=True)
class Idea:
    section: str
    type: str
    direction: str
    product: str
    name: str
    score: float
    value: str
    method: str
    estimated: bool
    source: str
    target: str
    partners: dict[str, list[Partner]] = field(default_factory=dict)


@dataclass(frozen=True)
class Overview:
    a: str
    b: str
    name_a: str
    name_b: str
    year: int
    generated_at: str
    ideas: list[Idea]
    headline: list[dict[str, Any]]
    agreements: dict[str, Any] | None
    provenance: list[dict[str, Any]]
    unavailable: dict[str, str]


def _partners(session: Any, product: str, location: str) -> list[Partner]:
    from tradecoop.registry import repository as repo
    from tradecoop.web.partners import partners

    ids = [i for i, _ in partners(session, product, location, top=PARTNERS_PER_SIDE)]
    docs = repo.enterprise_documents(session, ids) if ids else {}
    return [Partner(i, docs[i].get("name_en") or "", location) for i in ids if i in docs]


def named_partners(session: Any, brief: Brief) -> dict[tuple[str, str], dict[str, list[Partner]]]:
    """(section, product) -> location -> the registered enterprises for that idea."""
    out: dict[tuple[str, str], dict[str, list[Partner]]] = {}
    for group in brief.opportunities:
        kind = SECTION_TYPES.get(group.type, (group.type, "ab"))
        source, target = (brief.pair.a, brief.pair.b) if kind[1] == "ab" else (brief.pair.b, brief.pair.a)
        for opp in group.items[:IDEAS_PER_TYPE]:
            out[(group.type, opp.product)] = {loc: _partners(session, opp.product, loc) for loc in (source, target)}
    return out


def enterprise_names(session: Any, ids: list[int]) -> dict[int, dict[str, str]]:
    from tradecoop.registry import repository as repo

    docs = repo.enterprise_documents(session, ids) if ids else {}
    return {i: {"en": d.get("name_en") or "", "ru": d.get("name_ru") or d.get("name_en") or ""} for i, d in docs.items()}


def overview(brief: Brief, partners: dict[tuple[str, str], dict[str, list[Partner]]],
             names: dict[int, dict[str, str]], lang: str) -> Overview:
    """The overview of ``brief`` in ``lang``."""
    pair = brief.pair
    fields = {"a": getattr(pair, f"name_a_{lang}"), "b": getattr(pair, f"name_b_{lang}")}
    ideas = []
    for group in brief.opportunities:
        engine_type, direction = SECTION_TYPES.get(group.type, (group.type, "ab"))
        source, target = (pair.a, pair.b) if direction == "ab" else (pair.b, pair.a)
        for opp in group.items[:IDEAS_PER_TYPE]:
            found = partners.get((group.type, opp.product), {})
            localised = {loc: [Partner(p.id, names.get(p.id, {}).get(lang) or p.name, p.location) for p in people]
                         for loc, people in found.items()}
            ideas.append(Idea(
                section=group.type, type=engine_type, direction=direction, product=opp.product,
                name=getattr(opp, f"name_{lang}"), score=opp.score,
                value=bi.format_money(opp.value_at_stake, lang) if opp.value_at_stake is not None else "",
                method=brief_label(f"method.{opp.value_method}", lang, opp.value_method),
                estimated=opp.estimated, source=source, target=target, partners=localised))
    # ideas with named enterprises on both sides first, then by score
    ideas.sort(key=lambda i: (-sum(1 for people in i.partners.values() if people), -i.score))
    headline = [{"label": brief_label(f.key, lang, f.key, **fields), "value": bi.format_value(f.value, f.unit, lang),
                 "year": f.year, "source": f.source, "estimated": f.estimated} for f in brief.headline]
    agreements = None
    if brief.agreements is not None:
        table = brief.agreements
        units = table.units or ("text",) * len(table.columns)
        agreements = {"columns": [brief_label(c, lang, c) for c in table.columns],
                      "rows": [[bi.format_value(_localised(cell, lang), unit, lang) for cell, unit in zip(row, units, strict=True)]
                               for row in table.rows],
                      "source": table.source}
    provenance = [{"dataset": p.dataset, "source": p.source, "years": p.years, "licence": p.licence,
                   "estimated": p.estimated} for p in brief.provenance]
    # a reason is a catalogue key or a sentence; a key missing from the catalogue is not shown
    unavailable = {section: bi.t(reason, lang) if bi.has(reason, lang) else (reason if " " in reason else "")
                   for section, reason in brief.unavailable.items()}
    return Overview(pair.a, pair.b, fields["a"], fields["b"], brief.year, brief.generated_at, ideas,
                    headline, agreements, provenance, unavailable)


def _localised(cell: Any, lang: str) -> Any:
    """A table cell given per language (``{"en": ..., "ru": ...}``) in ``lang`` (else English)."""
    if isinstance(cell, dict):
        return cell.get(lang, cell.get("en", ""))
    return cell


class Background:
    """Slow results computed one at a time in a worker thread, kept for ``ttl`` seconds."""

    def __init__(self, ttl: float = 3600.0, size: int = 32) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tradecoop-web")
        self._jobs: dict[tuple, tuple[float, Future]] = {}
        self._lock = threading.Lock()
        self.ttl, self.size = ttl, size

    def submit(self, key: tuple, compute: Callable[[], Any]) -> Future:
        """The (possibly finished) future of ``key``; started if not known or expired or failed."""
        now = time.monotonic()
        with self._lock:
            known = self._jobs.get(key)
            if known is not None and now - known[0] < self.ttl and not (
                    known[1].done() and known[1].exception() is not None and now - known[0] > 30):
                return known[1]
            if len(self._jobs) >= self.size:
                oldest = min(self._jobs, key=lambda k: self._jobs[k][0])
                self._jobs.pop(oldest)
            future = self._pool.submit(compute)
            self._jobs[key] = (now, future)
            return future


BACKGROUND = Background()
