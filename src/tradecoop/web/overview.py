"""The pair overview's view of a :class:`~tradecoop.reports.Brief` — the one place the workspace
reads the brief model.

:func:`overview` turns a brief into plain rows for one language. The best ideas and the latest
reported figures are the brief's own "at a glance" summary (``Brief.ideas``, ``Brief.reported``);
for a brief without summary ideas, the ideas are the top of each opportunity group and the named
enterprises for them come from the registry (:mod:`tradecoop.web.partners`, scored as
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
    id: int | None  # registry id (None: named in the brief, not in the registry)
    name: str
    location: str
    source: str = ""


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
    #: (role, location, enterprises): role "maker" on the supplying side, "buyer" on the other
    sides: list[tuple[str, str, list[Partner]]] = field(default_factory=list)
    why: str = ""
    next_step: str = ""
    #: False for an idea with no ranked opportunity behind it (a link between registered firms)
    explained: bool = True


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
    reported: list[dict[str, Any]]
    turnover_svg: str
    structure: list[dict[str, Any]]
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
    """(section, product) -> location -> the registered enterprises for that idea (only for a
    brief without summary ideas)."""
    out: dict[tuple[str, str], dict[str, list[Partner]]] = {}
    for group in () if brief.ideas else brief.opportunities:
        kind = SECTION_TYPES.get(group.type, (group.type, "ab"))
        source, target = (brief.pair.a, brief.pair.b) if kind[1] == "ab" else (brief.pair.b, brief.pair.a)
        for opp in group.items[:IDEAS_PER_TYPE]:
            out[(group.type, opp.product)] = {loc: _partners(session, opp.product, loc) for loc in (source, target)}
    return out


def enterprise_names(session: Any, ids: list[int]) -> dict[int, dict[str, str]]:
    from tradecoop.registry import repository as repo

    docs = repo.enterprise_documents(session, ids) if ids else {}
    return {i: {"en": d.get("name_en") or "", "ru": d.get("name_ru") or d.get("name_en") or ""} for i, d in docs.items()}


def _reason(text: str, lang: str) -> str:
    """A catalogue key in ``lang``, a sentence as it is, an unknown bare key as nothing."""
    return bi.t(text, lang) if text and bi.has(text, lang) else (text if " " in text else "")


def _summary_ideas(brief: Brief, lang: str) -> list[Idea]:
    """The brief's own best ideas (``Brief.ideas``)."""
    pair = brief.pair
    out = []
    for idea in brief.ideas:
        direction = "ab" if idea.supplier == pair.a else "ba"
        engine_type = SECTION_TYPES.get(idea.kind, (idea.kind, direction))[0]
        sides = []
        for role, place in (("maker", idea.supplier), ("buyer", idea.buyer)):
            people = [Partner(e.registry_id, e.name(lang), e.location, e.source)
                      for e in idea.enterprises if e.role == role]
            sides.append((role, place, people))
        value = ""
        if idea.value is not None:
            value = f"{bi.format_money(idea.value, lang)} ({idea.value_year or brief.year})"
        out.append(Idea(
            section=idea.kind, type=engine_type, direction=direction, product=idea.product,
            name=idea.name_ru if lang == "ru" else idea.name_en, score=0.0, value=value,
            method=(brief_label(f"method.{idea.value_method}", lang, idea.value_method) if idea.value is not None
                    else _reason(idea.value_note, lang)),
            estimated=idea.estimated, source=idea.supplier, target=idea.buyer, sides=sides,
            why=idea.why.get(lang, ""), next_step=idea.next_step.get(lang, ""),
            explained=idea.kind != "registry_link"))
    return out


def _reported(brief: Brief, lang: str) -> list[dict[str, Any]]:
    """The reported figures (officials, news agencies) with who stated them and where."""
    rows = []
    for f in brief.reported:
        if f.unit.lower() == "usd":
            value = bi.format_money(f.value, lang)
        elif f.unit in ("percent", "%", "share"):
            value = bi.format_number(f.value * (100 if f.unit == "share" else 1), lang, 1) + "\u00a0%"
        else:
            value = f"{bi.format_number(f.value, lang, 0)} {f.unit}".strip()
        label = bi.t_or(f"metric.{f.metric}", lang, "")
        rows.append({"metric": label or f.metric, "translated": bool(label), "period": f.period, "value": value,
                     "parties": " – ".join(f.parties), "reporter": f.reporter, "publisher": f.publisher,
                     "url": f.url, "date": f.date, "note": f.note})
    return rows


def overview(brief: Brief, partners: dict[tuple[str, str], dict[str, list[Partner]]],
             names: dict[int, dict[str, str]], lang: str) -> Overview:
    """The overview of ``brief`` in ``lang`` (``partners`` and ``names``: for a brief without
    summary ideas, see :func:`named_partners`)."""
    pair = brief.pair
    fields = {"a": getattr(pair, f"name_a_{lang}"), "b": getattr(pair, f"name_b_{lang}")}
    ideas = _summary_ideas(brief, lang)
    for group in () if ideas else brief.opportunities:
        engine_type, direction = SECTION_TYPES.get(group.type, (group.type, "ab"))
        source, target = (pair.a, pair.b) if direction == "ab" else (pair.b, pair.a)
        for opp in group.items[:IDEAS_PER_TYPE]:
            found = partners.get((group.type, opp.product), {})
            sides = [(role, loc, [Partner(p.id, names.get(p.id or 0, {}).get(lang) or p.name, p.location)
                                  for p in found.get(loc, [])])
                     for role, loc in (("maker", source), ("buyer", target))]
            ideas.append(Idea(
                section=group.type, type=engine_type, direction=direction, product=opp.product,
                name=getattr(opp, f"name_{lang}"), score=opp.score,
                value=bi.format_money(opp.value_at_stake, lang) if opp.value_at_stake is not None else "",
                method=brief_label(f"method.{opp.value_method}", lang, opp.value_method),
                estimated=opp.estimated, source=source, target=target, sides=sides))
        # ideas with named enterprises on both sides first, then by score
        ideas.sort(key=lambda i: (-sum(1 for _, _, people in i.sides if people), -i.score))
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
    unavailable = {section: _reason(reason, lang) for section, reason in brief.unavailable.items()}
    return Overview(pair.a, pair.b, fields["a"], fields["b"], brief.year, brief.generated_at, ideas,
                    headline, _reported(brief, lang), _turnover_svg(brief, lang, fields), _structure(brief, lang, fields),
                    agreements, provenance, unavailable)


def _turnover_svg(brief: Brief, lang: str, names: dict[str, str]) -> str:
    """The brief's turnover chart (its SVG line chart), or "" without a series."""
    import math

    from tradecoop.reports import charts

    series = brief.series
    if series is None or not series.years:
        return ""
    magnitude = max((abs(v) for name in ("exports_ab", "exports_ba", "turnover", "balance")
                     for v in getattr(series, name) if v is not None), default=1.0)
    divisor, word = bi.money_scale(magnitude, lang)
    years = list(series.years)

    def tick(v: float) -> str:
        scaled = v / divisor
        return bi.format_number(scaled, lang, 0 if math.isclose(scaled, round(scaled), abs_tol=1e-9) else 1)

    def tr(key: str, **more: object) -> str:
        return bi.t(key, lang, **names, **more)

    span = f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])
    return charts.line_chart(
        chart_id="chart-turnover", title=tr("chart.turnover_title", first=years[0], last=years[-1]),
        desc=tr("chart.turnover_desc"), x=years,
        series=[charts.LineSeries(tr("chart.series_exports_ab"), series.exports_ab),
                charts.LineSeries(tr("chart.series_exports_ba"), series.exports_ba),
                charts.LineSeries(tr("chart.series_turnover"), series.turnover),
                charts.LineSeries(tr("chart.series_balance"), series.balance, dashed=True)],
        missing=[x or y for x, y in zip(series.missing_ab, series.missing_ba, strict=True)],
        missing_label=tr("chart.missing"), x_label=tr("chart.year"),
        y_label=tr("unit.usd_scaled", scale=word) if word else tr("unit.usd"),
        caption=tr("source_year", source=series.source, year=span), tick_format=tick)


def _structure(brief: Brief, lang: str, names: dict[str, str]) -> list[dict[str, Any]]:
    """What each side exports to the other, largest groups first (the brief's structure tables)."""
    out = []
    by_section = [t for t in brief.structure if t.level == "hs_section"]
    for table in by_section or brief.structure:
        rows = sorted(table.rows, key=lambda r: -r.share)[:8]
        out.append({"title": bi.t("structure.title", lang, direction=bi.t(f"direction.{table.direction}", lang, **names),
                                  level=bi.t_or(f"level.{table.level}", lang, table.level), year=table.year),
                    "rows": [(r.code, r.name_ru if lang == "ru" else r.name_en, bi.format_money(r.value, lang),
                              bi.format_share(r.share, lang)) for r in rows],
                    "estimated": table.estimated, "source": table.source})
    return out


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
        #: family -> the newest successful future of that family (shown while a newer one computes)
        self._latest: dict[tuple, Future] = {}
        self._lock = threading.Lock()
        self.ttl, self.size = ttl, size

    def latest(self, family: tuple) -> Future | None:
        """The newest finished, successful result of ``family`` (e.g. an earlier registry revision)."""
        with self._lock:
            return self._latest.get(family)

    def _done(self, family: tuple, future: Future) -> None:
        if not future.cancelled() and future.exception() is None:
            with self._lock:
                self._latest[family] = future

    def submit(self, key: tuple, compute: Callable[[], Any], family: tuple | None = None) -> Future:
        """The (possibly finished) future of ``key``; started if not known or expired or failed.

        ``family`` groups keys whose results may stand in for each other while a newer one is
        computed (see :meth:`latest`)."""
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
        if family is not None:
            future.add_done_callback(lambda f: self._done(family, f))
        return future


BACKGROUND = Background()
