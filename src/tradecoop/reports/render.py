"""Render a :class:`~tradecoop.reports.model.Brief` to a self-contained HTML file and a PDF.

The HTML has its CSS and SVG charts inline and refers to no URL, so it opens offline and prints
the same everywhere; the PDF is the same HTML laid out by WeasyPrint (A4), with a URL fetcher
that refuses everything except ``data:`` URLs so rendering never reaches the network. Labels come
from :mod:`tradecoop.reports.i18n`; names of places and products from the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tradecoop.errors import ConfigurationError, DataValidationError
from tradecoop.reports import charts, i18n
from tradecoop.reports.model import (
    REGION_NO_DATA,
    SECTIONS,
    SUMMARY_SECTIONS,
    Brief,
    Figure,
    Opportunity,
    OpportunityGroup,
    Potential,
    StructureTable,
    Table,
    TurnoverSeries,
)
from tradecoop.reports.raw_values import raw_text, side_names
from tradecoop.reports.render_summary import (
    idea_view,
    note_view,
    provenance_view,
    region_view,
    reported_view,
    source_text,
    text_lang,
)
from tradecoop.reports.sectors import sector_names

TEMPLATE = "brief.html.j2"
_TEMPLATES_DIR = Path(__file__).with_name("templates")


# --- helpers ------------------------------------------------------------------------------
class _Labels:
    """Translator bound to one brief: ``tr(key, **fields)`` with the pair's names filled in."""

    def __init__(self, brief: Brief) -> None:
        self.lang = brief.lang
        self.names = {"a": brief.pair.name("a", brief.lang), "b": brief.pair.name("b", brief.lang)}
        self.names_by_code = {brief.pair.a: self.names["a"], brief.pair.b: self.names["b"]}

    def place(self, code: str) -> str:
        """A location's name in the brief's language (the code when it is not one of the pair)."""
        return self.names_by_code.get(code, code)

    def __call__(self, key: str, **fields: object) -> str:
        return i18n.t(key, self.lang, **{**self.names, **fields})

    def maybe(self, key: str, fallback: str, **fields: object) -> str:
        return i18n.t_or(key, self.lang, fallback, **{**self.names, **fields})


def _tick_formatter(divisor: float, lang: str) -> Callable[[float], str]:
    def fmt(v: float) -> str:
        s = v / divisor
        decimals = 0 if math.isclose(s, round(s), abs_tol=1e-9) else (
            1 if math.isclose(s * 10, round(s * 10), abs_tol=1e-9) else 2)
        return i18n.format_number(s, lang, decimals)

    return fmt


def _signed(v: float, lang: str) -> str:
    text = i18n.format_number(v, lang, 3)
    return ("+" + text) if v > 0 else text


def _year_span(years: tuple[int, ...] | list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if years[0] != years[-1] else str(years[0])


# --- view builders (model -> plain dicts the template prints) -----------------------------
def _figure_view(fig: Figure, tr: _Labels) -> dict[str, Any]:
    value = i18n.format_value(fig.value, fig.unit, tr.lang)
    label, note = tr(fig.key), fig.note
    if note.startswith("period:"):  # a rate over a period: the period is part of its name
        first, _, last = note.removeprefix("period:").partition("-")
        label, note = f"{label}, {tr('period.span', first=first, last=last)}", ""
    return {"label": label, "value": value, "estimated": fig.estimated,
            "source": source_text(fig.source, tr.lang), "year": fig.year, "note": tr.maybe(note, note),
            "source_lang": text_lang(source_text(fig.source, tr.lang), tr.lang)}


def _series_chart(series: TurnoverSeries, tr: _Labels) -> str:
    magnitude = max((abs(v) for name in ("exports_ab", "exports_ba", "turnover", "balance")
                     for v in getattr(series, name) if v is not None), default=1.0)
    divisor, word = i18n.money_scale(magnitude, tr.lang)
    years = list(series.years)
    return charts.line_chart(
        chart_id="chart-turnover",
        title=tr("chart.turnover_title", first=years[0], last=years[-1]),
        desc=tr("chart.turnover_desc"),
        x=years,
        series=[
            charts.LineSeries(tr("chart.series_exports_ab"), series.exports_ab),
            charts.LineSeries(tr("chart.series_exports_ba"), series.exports_ba),
            charts.LineSeries(tr("chart.series_turnover"), series.turnover),
            charts.LineSeries(tr("chart.series_balance"), series.balance, dashed=True),
        ],
        missing=[a or b for a, b in zip(series.missing_ab, series.missing_ba, strict=True)],
        missing_label=tr("chart.missing"),
        x_label=tr("chart.year"),
        y_label=tr("unit.usd_scaled", scale=word) if word else tr("unit.usd"),
        caption=tr("source_year", source=source_text(series.source, tr.lang), year=_year_span(years)),
        tick_format=_tick_formatter(divisor, tr.lang),
        breaks=STRUCTURAL_BREAKS,
    )


#: years of structural breaks in Belarus-Russia trade marked on the turnover chart
STRUCTURAL_BREAKS = (2014, 2022)


def _series_note(series: TurnoverSeries, tr: _Labels) -> str:
    """Says how often the series has a point, and which breaks are marked."""
    years = list(series.years)
    gaps = {b - a for a, b in zip(years, years[1:], strict=False)}
    notes = []
    if len(gaps) == 1 and next(iter(gaps)) > 1:
        notes.append(tr("chart.every_years", step=next(iter(gaps))))
    shown = [y for y in STRUCTURAL_BREAKS if years[0] < y <= years[-1]]
    if shown:
        notes.append(tr("note.breaks", years=", ".join(map(str, shown))))
    return " ".join(notes)


def _structure_view(table: StructureTable, index: int, tr: _Labels) -> dict[str, Any]:
    lang = tr.lang
    names = [getattr(r, f"name_{lang}") for r in table.rows]
    title = tr("structure.title", direction=tr(f"direction.{table.direction}"),
               level=tr(f"level.{table.level}"), year=table.year)
    chart = charts.bar_chart(
        chart_id=f"chart-structure-{index}", title=title, desc=tr("chart.structure_desc"),
        labels=names, values=[r.share for r in table.rows], x_label=tr("chart.share_axis"),
        caption=tr("source_year", source=source_text(table.source, lang), year=table.year),
        value_format=lambda v: i18n.format_share(v, lang),
    ) if table.rows else ""
    rows = [[r.code, name, i18n.format_money(r.value, lang), i18n.format_share(r.share, lang)]
            for r, name in zip(table.rows, names, strict=True)]
    return {"title": tr(f"direction.{table.direction}"), "chart": chart, "rows": rows, "estimated": table.estimated,
            "source": source_text(table.source, lang), "year": table.year, "note": ""}


def _localised(cell: object, lang: str) -> object:
    """A ``{"en": ..., "ru": ...}`` cell in ``lang`` (English when that language is missing)."""
    if isinstance(cell, dict):
        if lang in cell:
            return cell[lang]
        if "en" in cell:
            return cell["en"]
        raise DataValidationError(f"a table cell by language needs 'en' or {lang!r}; found {cell}")
    return cell


def _table_view(table: Table, tr: _Labels) -> dict[str, Any]:
    units = table.units or ("text",) * len(table.columns)
    rows = [[i18n.format_value(_localised(cell, tr.lang), unit, tr.lang)
             for cell, unit in zip(row, units, strict=True)] for row in table.rows]
    return {"columns": [tr(c) for c in table.columns], "rows": rows,
            "numeric": [u not in ("text",) for u in units], "estimated": table.estimated,
            "source": source_text(table.source, tr.lang), "year": table.year, "note": tr.maybe(table.note, table.note)}


def _opportunity_view(opp: Opportunity, chart_id: str, tr: _Labels, caption: str) -> dict[str, Any]:
    lang = tr.lang
    name = getattr(opp, f"name_{lang}")
    # largest effect first; ties broken by criterion name so the order is deterministic
    ordered = sorted(opp.contributions.items(), key=lambda kv: (-abs(kv[1]), kv[0]))
    score = i18n.format_number(opp.score, lang, 3)
    chart = charts.contribution_chart(
        chart_id=chart_id,
        title=tr("chart.contrib_title", product=f"{opp.product}", score=score),
        desc=tr("chart.contrib_desc"),
        keys=[k for k, _ in ordered],
        labels=[tr.maybe(f"criterion.{k}", k) for k, _ in ordered],
        values=[v for _, v in ordered],
        total=opp.score, total_label=tr("chart.score_total"),
        x_label=tr("chart.contrib_axis"), caption=caption,
        value_format=lambda v: _signed(v, lang),
    )
    method = tr.maybe(f"method.{opp.value_method}", opp.value_method)
    explain = []
    for k, v in ordered:
        raw = list(opp.raw.get(k) or ())
        value, unit, rca, proxy = raw + [None, "", None, ""][len(raw):]  # older models have fewer
        src, dst = side_names(tr.place(opp.supplier), tr.place(opp.buyer), opp.supplier, opp.buyer, proxy, lang)
        explain.append({"label": tr.maybe(f"criterion.{k}", k), "contribution": _signed(v, lang),
                        "raw": raw_text(k, value, unit, lang, src, dst, rca=rca)})
    return {"rank": tr("opp.rank", rank=opp.rank), "product": opp.product, "name": name, "explain": explain,
            "score": tr("opp.score", score=score), "estimated": opp.estimated, "chart": chart,
            "value": (tr("opp.value_at_stake", value=i18n.format_money(opp.value_at_stake, lang),
                         method=method) if opp.value_at_stake is not None else ""),
            "partners": tr("opp.partners", partners="; ".join(opp.partners)) if opp.partners else ""}


def _group_view(group: OpportunityGroup, tr: _Labels, caption: str) -> dict[str, Any]:
    items = [_opportunity_view(o, f"chart-opp-{group.type}-{i}", tr, caption)
             for i, o in enumerate(group.items, start=1)]
    return {"type": group.type, "title": tr(f"opptype.{group.type}"),
            "desc": tr(f"oppdesc.{group.type}"), "entries": items,
            "unavailable": tr.maybe(group.unavailable, group.unavailable)}


def _potential_view(potentials: tuple[Potential, ...], tr: _Labels) -> dict[str, Any]:
    lang = tr.lang
    magnitude = max(abs(v) for p in potentials for v in (p.actual, p.high, p.low))
    divisor, word = i18n.money_scale(magnitude, lang)
    years = sorted({y for p in potentials for y in p.years})
    span = _year_span(years)
    directions = [tr(f"direction.{p.direction}") for p in potentials]
    chart = charts.range_chart(
        chart_id="chart-potential",
        title=tr("potential.title", years=span),
        desc=tr("chart.potential_desc"),
        rows=[charts.RangeRow(d, p.actual, p.predicted, p.low, p.high)
              for d, p in zip(directions, potentials, strict=True)],
        x_label=tr("unit.usd_scaled", scale=word) if word else tr("unit.usd"),
        caption=tr("source_year", source="; ".join(sorted({p.method for p in potentials})),
                   year=span),
        value_format=lambda v: i18n.format_money(v, lang),
        tick_format=_tick_formatter(divisor, lang),
        legend=(tr("chart.actual"), tr("chart.predicted"), tr("chart.range")),
    )
    rows = []
    for d, p in zip(directions, potentials, strict=True):
        verdict = "over" if p.actual > p.high else "under" if p.actual < p.low else "within"
        rows.append({
            "direction": d, "actual": i18n.format_money(p.actual, lang),
            "predicted": i18n.format_money(p.predicted, lang),
            "range": f"{i18n.format_money(p.low, lang)} – {i18n.format_money(p.high, lang)}",
            "verdict": tr(f"potential.{verdict}"), "estimated": p.estimated,
        })
    # caveats and methods once for the section, in the model's order, without repeats
    caveats = list(dict.fromkeys(tr.maybe(f"caveat.{c}", c) for p in potentials for c in p.caveats))
    methods = "; ".join(dict.fromkeys(p.method for p in potentials))
    lead = [tr("potential.lead", years=span, direction=d, actual=r["actual"], predicted=r["predicted"],
               low=i18n.format_money(p.low, lang), high=i18n.format_money(p.high, lang), verdict=r["verdict"])
            for d, r, p in zip(directions, rows, potentials, strict=True)]
    return {"chart": chart, "rows": rows, "caveats": caveats, "methods": methods, "lead": lead}


def _stale(brief: Brief, tr: _Labels) -> str:
    """A visible warning when the newest statistics are more than two years older than the brief."""
    if not brief.data_year:
        return ""
    age = int(brief.generated_at[:4]) - brief.data_year
    return tr("doc.stale", year=brief.data_year, age=age) if age > STALE_AFTER_YEARS else ""


#: data older than this many years (against the brief's date) get a visible warning
STALE_AFTER_YEARS = 2


def _reconcile(table: StructureTable, brief: Brief, tr: _Labels) -> str:
    """One line saying why an estimated structure's total differs from the headline's."""
    key = "figure.exports_ab" if table.direction == "ab" else "figure.exports_ba"
    head = next((f for f in brief.headline if f.key == key), None)
    if not table.estimated or table.total is None or head is None or head.value is None:
        return ""
    return tr("note.structure_reconcile", year=table.year, total=i18n.format_money(table.total, tr.lang),
              headline=i18n.format_money(float(head.value), tr.lang), headline_year=head.year)


#: ``ProvenanceItem.dataset`` naming the data the opportunity engine used (captions of its charts)
OPPORTUNITIES_DATASET = "opportunities"


def _sources(brief: Brief) -> list[str]:
    found: set[str] = {p.source for p in brief.provenance}
    found |= {f.source for f in (*brief.headline, *brief.indices)}
    found |= {s.source for s in brief.structure}
    for obj in (brief.series, brief.dependencies, brief.agreements):
        if obj is not None and obj.source:
            found.add(obj.source)
    return sorted(s for s in found if s)


def build_context(brief: Brief) -> dict[str, Any]:
    """Everything the template prints, already translated and formatted (plain data)."""
    tr = _Labels(brief)
    hidden = [s for s, r in brief.unavailable.items() if r == REGION_NO_DATA]
    ctx: dict[str, Any] = {
        "lang": brief.lang, "t": tr, "sections": [s for s in SECTIONS if s not in hidden],
        "summary_sections": SUMMARY_SECTIONS, "hidden": hidden,
        "title": tr("doc.title"),
        "subtitle": (tr("doc.subtitle_year", year=brief.data_year) if brief.data_year
                     else tr("doc.subtitle_noyear")),
        "stale": _stale(brief, tr),
        "sectors": tr("doc.sectors", names=sector_names(brief.sectors, brief.lang)) if brief.sectors else "",
        "ideas": [idea_view(i, brief, tr) for i in brief.ideas],
        "reported": reported_view(brief, tr),
        "regions": [region_view(r, brief, tr) for r in brief.regions],
        "generated": tr("doc.generated",
                        date=i18n.format_date(brief.generated_at, brief.lang, with_time=True)),
        "estimated_any": brief.estimated,
        "headline": [_figure_view(f, tr) for f in brief.headline],
        "indices": [_figure_view(f, tr) for f in brief.indices],
        "series": None, "structure": [], "dependencies": None, "opportunities": [],
        "potential": None, "agreements": None,
        "provenance": [provenance_view(p, brief.lang) for p in brief.provenance],
        "notes": [note_view(n, tr) for n in brief.notes],
        "unavailable": {s: tr("not_available", reason=tr.maybe(r, r)) for s, r in brief.unavailable.items()},
        "sources": [{"text": source_text(x, brief.lang), "lang": text_lang(source_text(x, brief.lang), brief.lang)}
                    for x in _sources(brief)],
    }
    if brief.series is not None:
        ctx["series"] = {"chart": _series_chart(brief.series, tr), "note": _series_note(brief.series, tr),
                         "estimated": brief.series.estimated, "source": brief.series.source}
    ctx["structure"] = [_structure_view(s, i, tr) for i, s in enumerate(brief.structure, start=1)]
    for view, table in zip(ctx["structure"], brief.structure, strict=True):
        view["note"] = _reconcile(table, brief, tr)
    if brief.dependencies is not None:
        ctx["dependencies"] = _table_view(brief.dependencies, tr)
    if brief.agreements is not None:
        ctx["agreements"] = _table_view(brief.agreements, tr)
    # the engine's own provenance item when the builder gave one, else every source of the brief
    own = sorted({p.source for p in brief.provenance if p.dataset == OPPORTUNITIES_DATASET})
    opp_sources = "; ".join(own or sorted({p.source for p in brief.provenance})) or "tradecoop"
    caption = tr("source_year", source=source_text(opp_sources, brief.lang), year=brief.year)
    ctx["opportunities"] = [_group_view(g, tr, caption) for g in brief.opportunities]
    if brief.potential:
        ctx["potential"] = _potential_view(brief.potential, tr)
    return ctx


def _environment() -> Any:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES_DIR)),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["svg"] = Markup  # charts escape their own text (see tradecoop.reports.charts)
    return env


# --- public API ---------------------------------------------------------------------------
def render_html(brief: Brief) -> str:
    """The brief as one self-contained HTML document (inline CSS and SVG, no URLs)."""
    return _environment().get_template(TEMPLATE).render(**build_context(brief))


def summarise(brief: Brief) -> list[tuple[str, str, bool]]:
    """The headline figures as (label, formatted value, estimated), in the brief's language.

    For a short console summary next to the output paths (the CLI prints these with Rich).
    """
    tr = _Labels(brief)
    return [(v["label"], v["value"], v["estimated"])
            for v in (_figure_view(f, tr) for f in brief.headline)]


def brief_filename(brief: Brief, suffix: str) -> str:
    """Default file name of a brief: ``brief_BLR_RUS_2016_ru.html`` (``suffix`` without dot)."""
    parts = (brief.pair.a, brief.pair.b, str(brief.year), brief.lang)
    return "brief_" + "_".join(p.replace("/", "-") for p in parts) + f".{suffix}"


def write_html(brief: Brief, path: str | Path) -> Path:
    """Write :func:`render_html` to ``path`` (UTF-8) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(brief), encoding="utf-8")
    return path


def local_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses every other URL.

    A refused URL stops the rendering (``fail_on_errors``); :func:`write_pdf` reports it as a
    :class:`~tradecoop.errors.DataValidationError` naming the URL.
    """
    from weasyprint.urls import URLFetcher

    class _LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise DataValidationError(
                    f"a brief must be self-contained: expected only data: URLs, found {url!r}"
                )
            return super().fetch(url, headers)

    return _LocalOnly(allowed_protocols=("data",), fail_on_errors=True)


def write_pdf(brief: Brief, path: str | Path) -> Path:
    """Lay the HTML brief out as an A4 PDF with WeasyPrint and return the path.

    Fonts are local (DejaVu Sans covers Cyrillic); no URL is fetched.
    """
    try:
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError
    except ModuleNotFoundError as exc:  # the renderer is the optional extra [pdf]
        raise ConfigurationError(f"PDF output needs WeasyPrint ({exc.name} is not installed): "
                                 "install tradecoop[pdf]") from None

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render_html(brief)
    try:
        HTML(string=html, url_fetcher=local_only_fetcher()).write_pdf(str(path))
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        if isinstance(cause, DataValidationError):
            raise cause from None
        raise DataValidationError(f"PDF rendering tried to fetch a resource: {exc}") from None
    return path


__all__ = ["brief_filename", "build_context", "summarise", "local_only_fetcher", "render_html", "write_html", "write_pdf"]
