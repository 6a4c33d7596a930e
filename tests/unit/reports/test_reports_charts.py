"""Inline SVG charts: valid XML, accessible, escaped, deterministic, faithful to the numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecoop.reports import charts


def _fmt(v: float) -> str:
    return f"{v:.3f}"


def _contribution_svg(values: list[float]) -> str:
    keys = [f"c{i}" for i in range(len(values))]
    return charts.contribution_chart(
        chart_id="t", title="Why 8701 scores", desc="desc", keys=keys, labels=keys,
        values=values, total=sum(values), total_label="Score", x_label="Contribution",
        caption="Source: test, 2016", value_format=_fmt)


def _bar_geometry(root: ET.Element, cls: str) -> list[tuple[str, float, float, float]]:
    out = []
    for g in root.iter("g"):
        if g.get("class") == cls:
            rect = g.find("rect")
            out.append((g.get("data-criterion"), float(g.get("data-value")),
                        float(rect.get("x")), float(rect.get("width"))))
    return out


def test_contribution_bars_correspond_to_the_contributions() -> None:
    # contributions +0.5, +0.25, -0.25 -> score 0.5; axis from lo=-0.25 to hi=0.5 (span 0.75)
    # over the plot from x=262 to x=576 (314 px): zero at 262 + 0.25/0.75*314 = 366.67;
    # +0.5 is 0.5/0.75*314 = 209.33 px wide to the right of zero, -0.25 is 104.67 px to its left.
    root = ET.fromstring(_contribution_svg([0.5, 0.25, -0.25]))
    bars = _bar_geometry(root, "contrib")
    assert [(k, v) for k, v, _, _ in bars] == [("c0", 0.5), ("c1", 0.25), ("c2", -0.25)]
    zero = 262 + 0.25 / 0.75 * 314
    assert bars[0][2] == pytest.approx(zero, abs=0.01)
    assert bars[0][3] == pytest.approx(209.33, abs=0.01)
    assert bars[2][2] == pytest.approx(zero - 104.67, abs=0.01)  # negative bar ends at zero
    assert bars[2][3] == pytest.approx(104.67, abs=0.01)
    (total,) = _bar_geometry(root, "total")
    assert total[1] == 0.5 and total[3] == pytest.approx(209.33, abs=0.01)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5, allow_nan=False).filter(lambda v: abs(v) > 1e-6),
                min_size=1, max_size=8))
def test_bar_widths_are_proportional_to_contributions(values: list[float]) -> None:
    root = ET.fromstring(_contribution_svg(values))
    bars = _bar_geometry(root, "contrib")
    assert [v for _, v, _, _ in bars] == pytest.approx(values, rel=1e-9)
    # the axis spans min(0, values, total) .. max(0, values, total) over 314 px (262..576), so a
    # bar is |v| * 314 / span px wide; widths are printed to 0.01 px (rounding error <= 0.005)
    total = sum(values)
    span = max(0.0, total, *values) - min(0.0, total, *values)
    for _, v, _, w in bars:
        assert w == pytest.approx(abs(v) * 314 / span, abs=0.0051)


def test_line_chart_breaks_at_gaps_and_marks_missing_years() -> None:
    svg = charts.line_chart(
        chart_id="line", title="Trade", desc="d", x=[2000, 2001, 2002, 2003],
        series=[charts.LineSeries("A to B", [1.0, None, 3.0, 4.0])],
        missing=[False, True, False, False], missing_label="no report", x_label="Year",
        y_label="USD", caption="Source: test, 2000-2003", tick_format=_fmt)
    root = ET.fromstring(svg)
    lines = [e for e in root.iter("polyline") if e.get("class") == "series"]
    # 2000 alone (a dot), then 2002-2003 as one polyline: the gap is not bridged; every
    # existing point has a marker
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2
    assert len([c for c in root.iter("circle") if c.get("class") == "point"]) == 3
    bands = [e for e in root.iter("rect") if e.get("class") == "missing"]
    assert [b.get("data-year") for b in bands] == ["2001"]
    assert any(e.text == "no report" for e in root.iter("text"))


def test_years_are_placed_by_value_and_breaks_are_marked() -> None:
    svg = charts.line_chart(
        chart_id="line", title="Trade", desc="d", x=[2004, 2008, 2012, 2016],
        series=[charts.LineSeries("A to B", [1.0, 2.0, 3.0, 4.0])],
        missing=[False] * 4, missing_label="no report", x_label="Year",
        y_label="USD", caption="Source: test", tick_format=_fmt, breaks=(2014, 2022))
    root = ET.fromstring(svg)
    xs = [float(c.get("cx")) for c in root.iter("circle")]
    assert xs[1] - xs[0] == pytest.approx(xs[3] - xs[2])
    breaks = [e.get("data-year") for e in root.iter("line") if e.get("class") == "break"]
    assert breaks == ["2014"]  # 2022 is outside the series


@pytest.mark.parametrize("label", [
    "Продукция химической и связанных с ней отраслей промышленности",
    "Низкотехнологичные изделия: текстиль, одежда, обувь",
    "Medium technology manufactures: engineering and other long names of classes",
])
def test_bar_labels_fit_their_margin_and_are_never_cut_at_the_start(label) -> None:
    svg = charts.bar_chart(chart_id="bar", title="t", desc="d", labels=[label], values=[0.5],
                           x_label="x", caption="c", value_format=_fmt)
    root = ET.fromstring(svg)
    texts = [e for e in root.iter("text") if e.get("text-anchor") == "end"]
    lines = [t.text for t in texts[0].iter("tspan")] or [texts[0].text]
    assert all(charts.text_width(line) <= 250 - 12 for line in lines)
    assert lines[0] == label[: len(lines[0])]  # the start of the label is kept


def test_chart_text_is_escaped_and_accessible() -> None:
    svg = charts.bar_chart(
        chart_id="bar", title='Shares <&> "quoted"', desc="a & b", labels=["<b>x</b>", "y"],
        values=[0.25, 0.75], x_label="Share, %", caption="Source: A & B, 2016",
        value_format=_fmt)
    root = ET.fromstring(svg)  # would fail on an unescaped & or <
    assert root.get("role") == "img"
    assert root.find("title").text == 'Shares <&> "quoted"'
    assert root.find("desc").text == "a & b"
    assert root.get("aria-labelledby") == "bar-title bar-desc"
    caption = [e.text for e in root.iter("text") if e.get("class") == "chart-caption"]
    assert caption == ["Source: A & B, 2016"]
    assert "<b>" not in svg


def test_range_chart_places_actual_and_prediction() -> None:
    # ticks for [0, 6] with 5 ticks: 6 / 4 = 1.5 -> step 2 -> 0, 2, 4, 6; plot 40..610 (570 px)
    # actual 6 -> 610; predicted 3 -> 40 + 3/6*570 = 325; range 2..4 -> 230 .. 420 (190 px)
    svg = charts.range_chart(
        chart_id="r", title="Potential", desc="d",
        rows=[charts.RangeRow("A to B", actual=6.0, predicted=3.0, low=2.0, high=4.0)],
        x_label="USD bn", caption="Source: test", value_format=_fmt, tick_format=_fmt,
        legend=("Actual", "Predicted", "Range"))
    root = ET.fromstring(svg)
    actual = next(e for e in root.iter("circle") if e.get("class") == "actual")
    assert float(actual.get("cx")) == pytest.approx(610.0)
    diamond = next(e for e in root.iter("polygon") if e.get("class") == "predicted")
    assert float(diamond.get("points").split()[0].split(",")[0]) == pytest.approx(325.0)
    rng = next(e for e in root.iter("g") if e.get("class") == "range").find("rect")
    assert float(rng.get("x")) == pytest.approx(230.0)
    assert float(rng.get("width")) == pytest.approx(190.0)
    assert any(e.text == "A to B" for e in root.iter("text"))  # the row label, not shortened


def test_nice_ticks_cover_the_range() -> None:
    assert charts.nice_ticks(0, 9.3) == [0.0, 2.5, 5.0, 7.5, 10.0]
    assert charts.nice_ticks(-4.3e9, 3.1e10)[0] <= -4.3e9
    # degenerate [5, 5] is widened to [5, 10]: 5 / 4 = 1.25 -> step 2, starting at floor(5/2)*2
    assert charts.nice_ticks(5, 5) == [4.0, 6.0, 8.0, 10.0]
    with pytest.raises(ValueError, match="finite"):
        charts.nice_ticks(0, float("nan"))


def test_charts_are_deterministic() -> None:
    assert _contribution_svg([0.1, -0.2, 0.3]) == _contribution_svg([0.1, -0.2, 0.3])
