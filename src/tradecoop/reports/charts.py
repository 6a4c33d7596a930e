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


#: advance widths of DejaVu Sans in em, by kind of character (measured from the font's metrics,
#: rounded up so an estimate never falls short: a label that fits by this measure fits on paper)
_NARROW = set("ilj.,:;'|!() ")
_WIDE = set("mwMWшщжюмыШЩЖЮМЫ—%@")


def text_width(text: str, size: float = 10.0) -> float:
    """Estimated width in px of ``text`` in DejaVu Sans at ``size`` px (Latin and Cyrillic)."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.33
        elif ch in _WIDE:
            em += 0.92
        elif ch.isupper():
            em += 0.74
        elif ch.isdigit():
            em += 0.64
        elif "\u0400" <= ch <= "\u04ff":
            em += 0.63
        else:
            em += 0.6
    return em * size


def fit_lines(text: str, max_px: float, size: float = 10.0, max_lines: int = 2) -> list[str]:
    """``text`` broken at spaces into at most ``max_lines`` lines of at most ``max_px``; the
    last line ends with an ellipsis when the text does not fit. Never cuts inside a word unless
    one word alone is too wide."""
    words, lines, current = text.split(), [], ""
    for i, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if text_width(trial, size) <= max_px:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            rest = " ".join(words[i:])
            return [*lines, _ellipsise(rest, max_px, size)]
    lines.append(current)
    return [_ellipsise(line, max_px, size) for line in lines]


def _ellipsise(line: str, max_px: float, size: float) -> str:
    if text_width(line, size) <= max_px:
        return line
    while line and text_width(line + "…", size) > max_px:
        line = line[:-1]
    return line.rstrip(" ,;") + "…"


def _label_rows(labels: Sequence[str], max_px: float, size: float = 10.0) -> list[list[str]]:
    return [fit_lines(label, max_px, size) for label in labels]


def _multiline(x: float, y: float, lines: Sequence[str], size: float = 10.0, **attrs: object) -> str:
    """Text of one or two lines centred on ``y`` (a ``<tspan>`` per line)."""
    if len(lines) == 1:
        return _text(x, y, lines[0], font_size=f"{size:g}", **attrs)
    first = y - (len(lines) - 1) * size * 0.55
    spans = "".join(f'<tspan x="{_f(x)}" y="{_f(first + k * size * 1.1)}">{escape(line)}</tspan>'
                    for k, line in enumerate(lines))
    return f'<text x="{_f(x)}" y="{_f(first)}" font-size="{size:g}"{_attrs(attrs)}>{spans}</text>'


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


def _close(parts: list[str], height: float, caption: str, grow: float = 0.0) -> str:
    """Add the source caption (wrapped, never cut: the chart grows a line per extra line, and by
    ``grow`` px more where the chart needs room above the caption)."""
    lines = fit_lines(caption, WIDTH - 16, 9, max_lines=4)
    extra = 11.0 * (len(lines) - 1) + grow
    if extra:
        grown = height + extra
        for k in (0, 3):  # the <svg> element and its white background
            parts[k] = (parts[k].replace(f'height="{_f(height)}"', f'height="{_f(grown)}"')
                        .replace(f'viewBox="0 0 {WIDTH} {_f(height)}"', f'viewBox="0 0 {WIDTH} {_f(grown)}"'))
    for k, line in enumerate(lines):
        parts.append(_text(8, height + grow - 6 + 11.0 * k, line, font_size=9, fill="#555555", class_="chart-caption"))
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
    tick_format: Formatter, breaks: Sequence[int] = (), breaks_label: str = "",
) -> str:
    """Lines over years, broken where a value is None; years flagged ``missing`` are shaded.

    Years are placed by their value (a series with a point every four years shows the gaps), every
    existing point has a marker, and a line joins only consecutive points that both exist.
    ``breaks`` are years of structural breaks drawn as dashed verticals when inside the range.
    ``tick_format`` formats y-axis ticks in the unit named by ``y_label`` (e.g. USD bn).
    """
    height = 330.0
    left, right, top, bottom = 70.0, WIDTH - 16.0, 34.0, height - 84.0
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]) if values else 1.0)
    y0, y1 = ticks[0], ticks[-1]
    n = len(x)
    first, last = (x[0], x[-1]) if n else (0, 1)
    gaps = [b - a for a, b in zip(x, x[1:], strict=False)]
    unit = (right - left) / max(last - first, 1)
    half = unit * (min(gaps) if gaps else 1) / 2

    def px(i: int) -> float:
        return left + (x[i] - first) * unit if last > first else (left + right) / 2

    def py(v: float) -> float:
        return bottom - (v - y0) / (y1 - y0) * (bottom - top)

    parts = _open(chart_id, height, title, desc, "line")
    for i, gap in enumerate(missing):
        if gap:
            x0, x1 = max(left, px(i) - half), min(right, px(i) + half)
            parts.append(_rect(x0, top, x1 - x0, bottom - top, fill=MISSING_FILL,
                               fill_opacity="0.35", class_="missing", data_year=x[i]))
    for tv in ticks:
        parts.append(_line(left, py(tv), right, py(tv), stroke="#dddddd" if tv else "#777777",
                           stroke_width="0.8"))
        parts.append(_text(left - 6, py(tv) + 4, tick_format(tv), text_anchor="end"))
    min_px = text_width("2000") + 8  # year labels never overlap
    shown_at = None
    for i in range(n - 1, -1, -1):  # anchored on the last year
        if shown_at is None or shown_at - px(i) >= min_px:
            parts.append(_text(px(i), bottom + 14, str(x[i]), text_anchor="middle"))
            shown_at = px(i)
    for year in breaks:
        if first < year <= last:
            bx = left + (year - first) * unit
            parts.append(_line(bx, top, bx, bottom, stroke="#555555", stroke_width="1",
                               stroke_dasharray="2 3", class_="break", data_year=year))
            parts.append(_text(bx + 3, top + 10, str(year), font_size=9, fill="#555555"))
    parts.append(_text((left + right) / 2, bottom + 30, x_label, text_anchor="middle",
                       class_="axis-label"))
    parts.append(_text(14, (top + bottom) / 2, y_label, text_anchor="middle", class_="axis-label",
                       transform=f"rotate(-90 14 {_f((top + bottom) / 2)})"))
    for k, s in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        dash = ' stroke-dasharray="5 3"' if s.dashed else ""
        run: list[str] = []
        for i, v in enumerate([*s.values, None]):
            if v is not None:
                run.append(f"{_f(px(i))},{_f(py(v))}")
                parts.append(f'<circle class="point" cx="{_f(px(i))}" cy="{_f(py(v))}" r="2.5" fill="{colour}"/>')
                continue
            if len(run) > 1:
                parts.append(f'<polyline class="series" data-series={quoteattr(s.name)} fill="none" '
                             f'stroke="{colour}" stroke-width="2"{dash} points="{" ".join(run)}"/>')
            run = []
    # legend under the axis label: entries placed by their measured width, wrapping to new rows
    entries: list[tuple[str, str, bool | None]] = [
        (s.name, PALETTE[k % len(PALETTE)], s.dashed) for k, s in enumerate(series)]
    if any(missing):
        entries.append((missing_label, MISSING_FILL, None))
    ex, ey = left, bottom + 48
    for name, colour, dashed in entries:
        width = 22 + text_width(name, 11) + 16
        if ex + width > right and ex > left:
            ex, ey = left, ey + 15
        if dashed is None:
            parts.append(_rect(ex, ey - 9, 18, 10, fill=colour, fill_opacity="0.35"))
            parts.append(_text(ex + 22, ey, name, class_="missing-label"))
        else:
            dash = ' stroke-dasharray="5 3"' if dashed else ""
            parts.append(f'<line x1="{_f(ex)}" y1="{_f(ey - 4)}" x2="{_f(ex + 18)}" y2="{_f(ey - 4)}" '
                         f'stroke="{colour}" stroke-width="2"{dash}/>')
            parts.append(_text(ex + 22, ey, name))
        ex += width
    return _close(parts, height, caption, grow=max(0.0, ey - (bottom + 63)))


# --- horizontal bars ----------------------------------------------------------------------
def bar_chart(
    *, chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[float],
    x_label: str, caption: str, value_format: Formatter,
) -> str:
    """Horizontal bars, one per label, scaled to the largest value (shares, 0 at the left)."""
    if len(labels) != len(values):
        raise DataValidationError(f"bar_chart needs one value per label; found {len(labels)} labels, "
                         f"{len(values)} values")
    top, left, right = 34.0, 250.0, WIDTH - 70.0
    fitted = _label_rows(labels, left - 12)
    row_h = 26.0 if any(len(lines) > 1 for lines in fitted) else 18.0
    bottom = top + row_h * max(len(labels), 1)
    height = bottom + 44.0
    vmax = max([*values, 0.0]) or 1.0
    parts = _open(chart_id, height, title, desc, "bar")
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row_h
        w = (right - left) * max(v, 0.0) / vmax
        parts.append(_multiline(left - 6, y + row_h / 2 + 3.5, fitted[i], text_anchor="end"))
        parts.append(f'<g class="bar" data-label={quoteattr(label)} data-value="{v:.6f}">'
                     f'<title>{escape(label)}: {escape(value_format(v))}</title>'
                     f'{_rect(left, y + (row_h - 13) / 2, w, 13, fill=POSITIVE)}</g>')
        parts.append(_text(left + w + 4, y + row_h / 2 + 3.5, value_format(v)))
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
    top, left, right = 34.0, 262.0, WIDTH - 64.0
    fitted = _label_rows([*labels, total_label], left - 12)
    row_h = 26.0 if any(len(lines) > 1 for lines in fitted) else 18.0
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
        parts.append(_multiline(left - 6, y + row_h / 2 + 3.5, fitted[i], text_anchor="end",
                                font_weight="bold" if is_total else "normal"))
        cls = "total" if is_total else "contrib"
        parts.append(f'<g class="{cls}" data-criterion={quoteattr(key)} data-value="{v:.12g}">'
                     f'<title>{escape(label)}: {escape(value_format(v))}</title>'
                     f'{_rect(x0, y + (row_h - 13) / 2, x1 - x0, 13, fill=colour)}</g>')
        tx, anchor = (x1 + 4, "start") if v >= 0 else (x0 - 4, "end")
        if v < 0 and x0 - 4 < left + 40:  # no room on the left: print inside the plot
            tx, anchor = x1 + 4, "start"
        parts.append(_text(tx, y + row_h / 2 + 3.5, value_format(v), text_anchor=anchor))
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
