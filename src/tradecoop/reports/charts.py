"""Inline SVG charts for the briefing pack: pure Python, no JS, no network, no external fonts.

Each function takes plain numbers and already-translated strings and returns one ``<svg>``
element as text. Every chart has a title, axis labels with units, a caption with the source and
year, and ``<title>``/``<desc>`` for screen readers. All text is XML-escaped; coordinates are
printed with a fixed number of decimals so the same input gives the same bytes.

Fonts are referenced by local family name (``DejaVu Sans``), which WeasyPrint resolves through
fontconfig and which covers Cyrillic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape as _html_escape

from tradecoop.errors import DataValidationError

FONT = "DejaVu Sans, Arial, sans-serif"
#: colour-blind-safe palette (Okabe & Ito 2008), in a fixed order
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
POSITIVE = "#0072B2"
NEGATIVE = "#D55E00"
MISSING_FILL = "#BBBBBB"
WIDTH = 640
MAX_LABEL_CHARS = 40
MAX_TITLE_CHARS = 78  # 13 px bold DejaVu Sans is about 8 px per character on a 640 px chart

Formatter = Callable[[float], str]


def escape(text: str) -> str:
    """XML-escape text content and attribute values (``& < > " '``)."""
    return _html_escape(text, quote=True)


def quoteattr(text: str) -> str:
    """An attribute value in double quotes, escaped."""
    return f'"{escape(text)}"'


@dataclass(frozen=True)
class LineSeries:
    """One line of a line chart: a name, one value per x (None = gap) and a dash style."""

    name: str
    values: Sequence[float | None]
    dashed: bool = False


@dataclass(frozen=True)
class RangeRow:
    """One row of a range chart: actual value, prediction and its [low, high] range."""

    label: str
    actual: float
    predicted: float
    low: float
    high: float


# --- primitives ---------------------------------------------------------------------------
def _f(x: float) -> str:
    """A coordinate with two decimals (deterministic, no '-0.00')."""
    text = f"{x:.2f}"
    return "0.00" if text == "-0.00" else text


def _attrs(attrs: dict[str, object]) -> str:
    return "".join(
        f" {k.rstrip('_').replace('_', '-')}={quoteattr(str(v))}" for k, v in attrs.items()
    )


def _text(x: float, y: float, text: str, **attrs: object) -> str:
    return f'<text x="{_f(x)}" y="{_f(y)}"{_attrs(attrs)}>{escape(text)}</text>'


def _rect(x: float, y: float, w: float, h: float, **attrs: object) -> str:
    return (f'<rect x="{_f(x)}" y="{_f(y)}" width="{_f(max(w, 0.0))}" '
            f'height="{_f(max(h, 0.0))}"{_attrs(attrs)}/>')


def _line(x1: float, y1: float, x2: float, y2: float, **attrs: object) -> str:
    return f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}"{_attrs(attrs)}/>'


def _shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(chart_id: str, height: float, title: str, desc: str, kind: str) -> list[str]:
    return [
        f'<svg class="chart chart-{kind}" id={quoteattr(chart_id)} '
        f'width="{WIDTH}" height="{_f(height)}" viewBox="0 0 {WIDTH} {_f(height)}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family={quoteattr(FONT)} font-size="11">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
        _rect(0, 0, WIDTH, height, fill="#ffffff"),
        _text(8, 18, _shorten(title, MAX_TITLE_CHARS), font_size=13, font_weight="bold",
              class_="chart-title"),
    ]


def _close(parts: list[str], height: float, caption: str) -> str:
    parts.append(_text(8, height - 6, caption, font_size=9, fill="#555555", class_="chart-caption"))
    parts.append("</svg>")
    return "\n".join(parts)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten apart).

    The step is the smallest nice number >= (hi - lo) / (count - 1): for [0, 9.3] and 5 ticks,
    9.3 / 4 = 2.325 -> 2.5; for [-3, 7] and 4 ticks, 10 / 3 = 3.33 -> 5, starting at -5.

    >>> nice_ticks(0, 9.3)
    [0.0, 2.5, 5.0, 7.5, 10.0]
    >>> nice_ticks(-3, 7, 4)
    [-5.0, 0.0, 5.0, 10.0]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise DataValidationError(f"tick range must be finite; found [{lo}, {hi}]")
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(count - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    k = 0
    while True:
        value = round(start + k * step, 10)
        ticks.append(value + 0.0)
        if value >= hi - 1e-12 * abs(step):
            break
        k += 1
    return ticks


# --- line chart ---------------------------------------------------------------------------
def line_chart(
    *, chart_id: str, title: str, desc: str, x: Sequence[int], series: Sequence[LineSeries],
    missing: Sequence[bool], missing_label: str, x_label: str, y_label: str, caption: str,
    tick_format: Formatter,
) -> str:
    """Lines over years, broken where a value is None; years flagged ``missing`` are shaded.

    ``tick_format`` formats y-axis ticks in the unit named by ``y_label`` (e.g. USD bn).
    """
    height = 330.0
    left, right, top, bottom = 70.0, WIDTH - 16.0, 34.0, height - 84.0
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]) if values else 1.0)
    y0, y1 = ticks[0], ticks[-1]
    n = len(x)
    step = (right - left) / max(n - 1, 1)

    def px(i: int) -> float:
        return left + (i * step if n > 1 else (right - left) / 2)

    def py(v: float) -> float:
        return bottom - (v - y0) / (y1 - y0) * (bottom - top)

    parts = _open(chart_id, height, title, desc, "line")
    for i, gap in enumerate(missing):
        if gap:
            parts.append(_rect(px(i) - step / 2, top, step, bottom - top, fill=MISSING_FILL,
                               fill_opacity="0.35", class_="missing", data_year=x[i]))
    for tv in ticks:
        parts.append(_line(left, py(tv), right, py(tv), stroke="#dddddd" if tv else "#777777",
                           stroke_width="0.8"))
        parts.append(_text(left - 6, py(tv) + 4, tick_format(tv), text_anchor="end"))
    label_every = max(1, math.ceil(n / 12))
    for i, year in enumerate(x):
        if (n - 1 - i) % label_every == 0:  # anchored on the last year, evenly spaced
            parts.append(_text(px(i), bottom + 14, str(year), text_anchor="middle"))
    parts.append(_text((left + right) / 2, bottom + 30, x_label, text_anchor="middle",
                       class_="axis-label"))
    parts.append(_text(14, (top + bottom) / 2, y_label, text_anchor="middle", class_="axis-label",
                       transform=f"rotate(-90 14 {_f((top + bottom) / 2)})"))
    for k, s in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        segment: list[str] = []
        runs: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if segment:
                    runs.append(segment)
                segment = []
            else:
                segment.append(f"{_f(px(i))},{_f(py(v))}")
        if segment:
            runs.append(segment)
        for run in runs:
            if len(run) == 1:
                cx, cy = run[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
            else:
                dash = ' stroke-dasharray="5 3"' if s.dashed else ""
                parts.append(
                    f'<polyline class="series" data-series={quoteattr(s.name)} fill="none" '
                    f'stroke="{colour}" stroke-width="2"{dash} points="{" ".join(run)}"/>'
                )
    # legend: two rows under the axis label
    lx, ly = left, bottom + 48
    entries = [(s.name, PALETTE[k % len(PALETTE)], s.dashed) for k, s in enumerate(series)]
    for k, (name, colour, dashed) in enumerate(entries):
        ex = lx + (k % 3) * 190
        ey = ly + (k // 3) * 14
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        parts.append(f'<line x1="{_f(ex)}" y1="{_f(ey - 4)}" x2="{_f(ex + 18)}" y2="{_f(ey - 4)}" '
                     f'stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(_text(ex + 22, ey, _shorten(name, 28)))
    if any(missing):
        k = len(entries)
        ex, ey = lx + (k % 3) * 190, ly + (k // 3) * 14
        parts.append(_rect(ex, ey - 9, 18, 10, fill=MISSING_FILL, fill_opacity="0.35"))
        parts.append(_text(ex + 22, ey, missing_label, class_="missing-label"))
    return _close(parts, height, caption)


# --- horizontal bars ----------------------------------------------------------------------
def bar_chart(
    *, chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[float],
    x_label: str, caption: str, value_format: Formatter,
) -> str:
    """Horizontal bars, one per label, scaled to the largest value (shares, 0 at the left)."""
    if len(labels) != len(values):
        raise DataValidationError(f"bar_chart needs one value per label; found {len(labels)} labels, "
                         f"{len(values)} values")
    row_h = 18.0
    top, left, right = 34.0, 250.0, WIDTH - 70.0
    bottom = top + row_h * max(len(labels), 1)
    height = bottom + 44.0
    vmax = max([*values, 0.0]) or 1.0
    parts = _open(chart_id, height, title, desc, "bar")
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row_h
        w = (right - left) * max(v, 0.0) / vmax
        parts.append(_text(left - 6, y + 12.5, _shorten(label), text_anchor="end", font_size=10))
        parts.append(f'<g class="bar" data-label={quoteattr(label)} data-value="{v:.6f}">'
                     f'<title>{escape(label)}: {escape(value_format(v))}</title>'
                     f'{_rect(left, y + 3, w, row_h - 5, fill=POSITIVE)}</g>')
        parts.append(_text(left + w + 4, y + 12.5, value_format(v)))
    parts.append(_line(left, top, left, bottom, stroke="#777777", stroke_width="0.8"))
    parts.append(_text((left + right) / 2, bottom + 18, x_label, text_anchor="middle",
                       class_="axis-label"))
    return _close(parts, height, caption)


# --- diverging contribution bars ----------------------------------------------------------
def contribution_chart(
    *, chart_id: str, title: str, desc: str, keys: Sequence[str], labels: Sequence[str],
    values: Sequence[float], total: float, total_label: str, x_label: str, caption: str,
    value_format: Formatter,
) -> str:
    """Diverging bars: one per criterion around zero (right raises, left lowers the score).

    The rows keep the given order (the caller sorts); a last, darker bar shows ``total``, which
    the caller guarantees equals ``sum(values)``. Each criterion bar carries ``data-criterion``
    and ``data-value`` so a reader (or a test) can check the bars against the numbers.
    """
    if not len(keys) == len(labels) == len(values):
        raise DataValidationError("contribution_chart needs one key, label and value per criterion")
    row_h = 18.0
    top, left, right = 34.0, 262.0, WIDTH - 64.0
    rows = len(values) + 1
    bottom = top + row_h * rows
    height = bottom + 44.0
    lo = min([0.0, total, *values])
    hi = max([0.0, total, *values])
    span = (hi - lo) or 1.0

    def px(v: float) -> float:
        return left + (v - lo) / span * (right - left)

    parts = _open(chart_id, height, title, desc, "contribution")
    zero = px(0.0)
    items = [*zip(keys, labels, values, strict=True), ("__total__", total_label, total)]
    for i, (key, label, v) in enumerate(items):
        y = top + i * row_h
        is_total = key == "__total__"
        colour = "#333333" if is_total else (POSITIVE if v >= 0 else NEGATIVE)
        x0, x1 = sorted((zero, px(v)))
        parts.append(_text(left - 6, y + 12.5, _shorten(label), text_anchor="end", font_size=10,
                           font_weight="bold" if is_total else "normal"))
        cls = "total" if is_total else "contrib"
        parts.append(f'<g class="{cls}" data-criterion={quoteattr(key)} data-value="{v:.12g}">'
                     f'<title>{escape(label)}: {escape(value_format(v))}</title>'
                     f'{_rect(x0, y + 3, x1 - x0, row_h - 5, fill=colour)}</g>')
        tx, anchor = (x1 + 4, "start") if v >= 0 else (x0 - 4, "end")
        if v < 0 and x0 - 4 < left + 40:  # no room on the left: print inside the plot
            tx, anchor = x1 + 4, "start"
        parts.append(_text(tx, y + 12.5, value_format(v), text_anchor=anchor))
    parts.append(_line(zero, top - 2, zero, bottom, stroke="#333333", stroke_width="1"))
    parts.append(_line(left, bottom - row_h, right, bottom - row_h, stroke="#aaaaaa",
                       stroke_width="0.6", stroke_dasharray="3 2"))
    parts.append(_text((left + right) / 2, bottom + 18, x_label, text_anchor="middle",
                       class_="axis-label"))
    return _close(parts, height, caption)


# --- range chart --------------------------------------------------------------------------
def range_chart(
    *, chart_id: str, title: str, desc: str, rows: Sequence[RangeRow], x_label: str,
    caption: str, value_format: Formatter, tick_format: Formatter,
    legend: tuple[str, str, str],
) -> str:
    """Per row: a bar from ``low`` to ``high``, a diamond at ``predicted``, a circle at ``actual``.

    ``legend`` gives the labels of (actual, predicted, range).
    """
    row_h = 46.0
    top, left, right = 34.0, 40.0, WIDTH - 30.0
    bottom = top + row_h * max(len(rows), 1)
    height = bottom + 70.0
    numbers = [v for r in rows for v in (r.actual, r.predicted, r.low, r.high)]
    ticks = nice_ticks(min([0.0, *numbers]), max([0.0, *numbers]) if numbers else 1.0)
    lo, hi = ticks[0], ticks[-1]

    def px(v: float) -> float:
        return left + (v - lo) / (hi - lo) * (right - left)

    parts = _open(chart_id, height, title, desc, "range")
    for tv in ticks:
        parts.append(_line(px(tv), top, px(tv), bottom, stroke="#dddddd", stroke_width="0.8"))
        parts.append(_text(px(tv), bottom + 14, tick_format(tv), text_anchor="middle"))
    for i, r in enumerate(rows):
        cy = top + i * row_h + 30  # the row's label sits above its bar, at full width
        parts.append(_text(left, cy - 14, r.label, font_weight="bold", class_="row-label"))
        parts.append(f'<g class="range" data-low="{r.low:.6g}" data-high="{r.high:.6g}">'
                     f'<title>{escape(legend[2])}: {escape(value_format(r.low))} – '
                     f'{escape(value_format(r.high))}</title>'
                     f'{_rect(px(r.low), cy - 6, px(r.high) - px(r.low), 12, fill=POSITIVE, fill_opacity="0.3")}</g>')
        d = px(r.predicted)
        parts.append(f'<polygon class="predicted" data-value="{r.predicted:.6g}" fill="{POSITIVE}" '
                     f'points="{_f(d)},{_f(cy - 7)} {_f(d + 6)},{_f(cy)} {_f(d)},{_f(cy + 7)} '
                     f'{_f(d - 6)},{_f(cy)}"><title>{escape(legend[1])}: '
                     f'{escape(value_format(r.predicted))}</title></polygon>')
        parts.append(f'<circle class="actual" data-value="{r.actual:.6g}" cx="{_f(px(r.actual))}" '
                     f'cy="{_f(cy)}" r="5" fill="{NEGATIVE}"><title>{escape(legend[0])}: '
                     f'{escape(value_format(r.actual))}</title></circle>')
    parts.append(_text((left + right) / 2, bottom + 30, x_label, text_anchor="middle",
                       class_="axis-label"))
    ly = bottom + 48
    parts.append(f'<circle cx="{_f(left)}" cy="{_f(ly - 4)}" r="5" fill="{NEGATIVE}"/>')
    parts.append(_text(left + 10, ly, legend[0]))
    parts.append(f'<polygon fill="{POSITIVE}" points="{_f(left + 150)},{_f(ly - 11)} '
                 f'{_f(left + 156)},{_f(ly - 4)} {_f(left + 150)},{_f(ly + 3)} '
                 f'{_f(left + 144)},{_f(ly - 4)}"/>')
    parts.append(_text(left + 160, ly, legend[1]))
    parts.append(_rect(left + 290, ly - 10, 18, 12, fill=POSITIVE, fill_opacity="0.3"))
    parts.append(_text(left + 312, ly, legend[2]))
    return _close(parts, height, caption)
