"""The HTML brief: every section in order with a heading, languages, badges, no URLs."""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from _reports_dom import Node, parse

from tradecoop.reports import i18n
from tradecoop.reports.model import SECTIONS, Brief
from tradecoop.reports.render import render_html, write_html

CYRILLIC = re.compile("[А-Яа-яЁё]")


def _sections(doc: Node) -> list[Node]:
    return [n for n in doc.find_all("section") if n.attrs.get("id") in SECTIONS]


def _estimated_objects(brief: Brief) -> int:
    """How many objects of the model say estimated=True (each must carry exactly one badge)."""
    objs = [*brief.headline, *brief.indices, *brief.structure, *brief.potential,
            *brief.provenance, brief.series, brief.dependencies, brief.agreements]
    objs += [o for g in brief.opportunities for o in g.items]
    return sum(1 for o in objs if o is not None and o.estimated)


def test_every_section_in_order_with_its_heading(brief: Brief) -> None:
    doc = parse(render_html(brief))
    found = _sections(doc)
    # a pair of two countries has no region section
    assert [s.attrs["id"] for s in found] == [s for s in SECTIONS if s != "region"]
    for section in found:
        h2 = section.find("h2")
        assert h2 is not None, section.attrs["id"]
        assert h2.text().strip() == i18n.t(f"section.{section.attrs['id']}", "en")


def test_opportunity_subsections_one_per_type_with_a_chart_per_item(brief: Brief) -> None:
    doc = parse(render_html(brief))
    opp = doc.by_id("opportunities")
    assert opp is not None
    groups = opp.find_all("section", cls="opportunity-group")
    assert [g.attrs["id"] for g in groups] == [f"opportunities-{g.type}" for g in brief.opportunities]
    for group, model in zip(groups, brief.opportunities, strict=True):
        articles = group.find_all("article", cls="opportunity")
        assert len(articles) == len(model.items)
        for article, item in zip(articles, model.items, strict=True):
            assert item.product in article.find("h4").text()
            charts = article.find_all("svg")
            assert len(charts) == 1
            bars = charts[0].find_all("g", cls="contrib")
            assert sorted(b.attrs["data-criterion"] for b in bars) == sorted(item.contributions)


def test_empty_group_and_missing_section_print_their_reason(brief: Brief) -> None:
    reason = "no treaty list was found for this pair (test)"
    html = render_html(replace(brief, agreements=None, unavailable={"agreements": reason}))
    doc = parse(html)
    section = doc.by_id("agreements")
    note = section.find("p", cls="not-available")
    assert note is not None and reason in note.text()
    assert section.find("table") is None
    coprod = doc.by_id("opportunities-co_production")
    assert "unit values" in coprod.find("p", cls="not-available").text()


def test_russian_brief_has_russian_headings_and_no_english_titles(brief_ru: Brief) -> None:
    html = render_html(brief_ru)
    doc = parse(html)
    assert doc.find("html").attrs["lang"] == "ru"
    headings = [h.text().strip() for h in doc.find_all("h2")]
    assert len(headings) == len(SECTIONS)
    for heading in headings:
        assert CYRILLIC.search(heading), heading
    english_titles = [i18n.t(f"section.{s}", "en") for s in SECTIONS]
    english_titles += [i18n.t(f"opptype.{g.type}", "en", a="Belarus", b="Russia")
                       for g in brief_ru.opportunities]
    for title in english_titles:
        assert title not in html
    # place names in Russian come from the model's Pair
    assert "Беларусь" in doc.find("h1").text() and "Россия" in doc.find("h1").text()
    # table cells given in both languages print in the brief's language
    deps = doc.by_id("dependencies").text()
    assert "2709 Нефть сырая" in deps and "Petroleum" not in deps
    # Russian number format: non-breaking space before %, comma decimals, "млрд долл. США"
    assert "49,0\u00a0%" in html
    assert "26,1\u00a0млрд\u00a0долл.\u00a0США" in html


def test_badges_exactly_where_the_model_says_estimated(brief: Brief) -> None:
    doc = parse(render_html(brief))
    badges = doc.find_all("span", cls="badge-estimated")
    assert len(badges) == _estimated_objects(brief) > 0
    # figure rows: a badge on the estimated one only
    rows = doc.by_id("headline").find_all("tr", cls="figure")
    flags = [bool(r.find_all("span", cls="badge-estimated")) for r in rows]
    assert flags == [f.estimated for f in brief.headline]
    # opportunities: a badge in the heading of each estimated item only
    items = [o for g in brief.opportunities for o in g.items]
    articles = doc.by_id("opportunities").find_all("article", cls="opportunity")
    assert [bool(a.find("h4").find_all("span", cls="badge-estimated")) for a in articles] == [
        o.estimated for o in items]


def test_no_badge_when_nothing_is_estimated(brief: Brief) -> None:
    observed = replace(
        brief,
        headline=tuple(replace(f, estimated=False) for f in brief.headline),
        indices=tuple(replace(f, estimated=False) for f in brief.indices),
        structure=tuple(replace(s, estimated=False) for s in brief.structure),
        dependencies=replace(brief.dependencies, estimated=False),
        opportunities=(), potential=(), provenance=(replace(brief.provenance[0]),),
        unavailable={"opportunities": "test", "potential": "test"},
    )
    doc = parse(render_html(observed))
    assert doc.find_all("span", cls="badge-estimated") == []
    assert doc.find_all("span", cls="badge-legend") == []


def test_html_is_self_contained(brief: Brief) -> None:
    """No resource is loaded from anywhere; sources are cited as links (``a href``), never fetched."""
    html = render_html(brief)
    doc = parse(html)
    links = 0
    for node in doc.iter():
        for attr in ("src", "href", "xlink:href", "action", "poster", "data"):
            if node.tag == "a" and attr == "href":
                assert re.fullmatch(r"https?://\S+", node.attrs[attr]), node.attrs[attr]
                links += 1
                continue
            assert attr not in node.attrs, (node.tag, attr, node.attrs.get(attr))
    assert links > 0  # the fixture's enterprises and reported figure are cited
    assert doc.find_all("script") == [] and doc.find_all("link") == []
    assert doc.find_all("img") == [] and doc.find_all("iframe") == []
    css = "".join(n.text() for n in doc.find_all("style"))
    assert "@import" not in css and "@font-face" not in css and "url(" not in css
    assert not re.search(r"(src|srcset|xlink:href)=", html)


def test_text_from_the_model_is_escaped(brief: Brief) -> None:
    hostile = "<script>alert('x')</script> & Co"
    item = brief.opportunities[0].items[0]
    group = replace(brief.opportunities[0], items=(replace(item, name_en=hostile),))
    html = render_html(replace(brief, opportunities=(group, *brief.opportunities[1:])))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert parse(html).find_all("script") == []


def test_every_chart_is_valid_xml_with_title_desc_and_source(brief: Brief) -> None:
    html = render_html(brief)
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    # turnover + 2 structure + 6 opportunity items + potential
    assert len(svgs) == 1 + len(brief.structure) + sum(len(g.items) for g in brief.opportunities) + 1
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.find("title").text and root.find("desc").text
        caption = [e.text for e in root.iter("text") if e.get("class") == "chart-caption"]
        assert len(caption) == 1 and caption[0].startswith("Source: ")


def test_render_never_touches_the_network(brief: Brief, monkeypatch: pytest.MonkeyPatch,
                                          tmp_path) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    path = write_html(brief, tmp_path / "out" / "brief.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_same_model_gives_the_same_bytes(brief: Brief) -> None:
    assert render_html(brief) == render_html(brief)


def test_default_file_name_names_pair_year_and_language(brief_ru: Brief) -> None:
    from tradecoop.reports.render import brief_filename

    assert brief_filename(brief_ru, "pdf") == "brief_BLR_RUS_2016_ru.pdf"


def test_a_figure_without_value_prints_na_and_its_reason(brief: Brief) -> None:
    from tradecoop.reports.model import Figure

    gap = Figure("figure.turnover", None, "usd", True, "test", 2016,
                 "no bilateral total for a region (test)")
    doc = parse(render_html(replace(brief, headline=(gap,))))
    row = doc.by_id("headline").find("tr", cls="figure")
    assert row.find("td", cls="value").text() == "n/a"
    assert "no bilateral total for a region (test)" in row.text()


def test_summary_gives_headline_figures_in_the_brief_language(brief_ru: Brief) -> None:
    from tradecoop.reports.render import summarise

    lines = summarise(brief_ru)
    assert len(lines) == len(brief_ru.headline)
    assert lines[0] == ("Товарооборот Беларусь – Россия", "26,1\u00a0млрд\u00a0долл.\u00a0США", False)
    assert [est for _, _, est in lines] == [f.estimated for f in brief_ru.headline]
