"""Property tests: any valid model renders to well-formed HTML with the right badges and numbers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

from _reports_dom import parse
from _reports_fixtures import make_brief
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecoop.reports import i18n
from tradecoop.reports.model import Figure, Opportunity, OpportunityGroup
from tradecoop.reports.render import render_html

BASE = make_brief("en")
CRITERIA = ("rca", "density", "pci", "cog", "distance", "an_unknown_criterion")

amounts = st.floats(-1e12, 1e12, allow_nan=False, allow_infinity=False)
contribution_maps = st.dictionaries(st.sampled_from(CRITERIA),
                                    st.floats(-3, 3, allow_nan=False), min_size=1, max_size=6)


@st.composite
def opportunities(draw: st.DrawFn) -> Opportunity:
    contributions = draw(contribution_maps)
    return Opportunity("joint_entry", draw(st.from_regex(r"[0-9]{4}", fullmatch=True)),
                       "Product <en>", "Товар «ru»", sum(contributions.values()), 1,
                       contributions, draw(st.none() | amounts), "world_demand",
                       draw(st.booleans()))


@settings(max_examples=15, deadline=None)
@given(st.lists(opportunities(), min_size=1, max_size=3), st.booleans(), amounts,
       st.sampled_from(["en", "ru"]))
def test_any_valid_model_renders_well_formed(items: list[Opportunity], est: bool, value: float,
                                             lang: str) -> None:
    items = [replace(o, rank=i) for i, o in enumerate(items, start=1)]
    brief = replace(
        BASE, lang=lang,
        headline=(Figure("figure.turnover", value, "usd", est, "test"),),
        indices=(), opportunities=(OpportunityGroup("joint_entry", tuple(items)),),
        potential=(), agreements=None, dependencies=None, structure=(), series=None,
        provenance=(replace(BASE.provenance[0], estimated=False),),
        unavailable={s: "test" for s in ("complementarity", "potential", "agreements",
                                         "dependencies", "structure", "turnover")},
    )
    html = render_html(brief)
    doc = parse(html)  # well-nested
    badges = doc.find_all("span", cls="badge-estimated")
    assert len(badges) == est + sum(o.estimated for o in items)
    assert i18n.format_money(value, lang) in html
    charts = [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]
    assert len(charts) == len(items)
    for root, item in zip(charts, items, strict=True):
        # one bar per criterion, carrying its contribution (printed with 12 significant digits)
        bars = {g.get("data-criterion"): float(g.get("data-value")) for g in root.iter("g")
                if g.get("class") == "contrib"}
        assert bars == {k: float(f"{v:.12g}") for k, v in item.contributions.items()}
