"""The seed case end to end: the Belarus ↔ Chelyabinsk region brief, and Belarus ↔ Russia beside it.

What a ministry analyst preparing a governor's visit needs from page one: named enterprises on
both sides with sources, no Russia-wide number under the region's name, a Russian edition in
Russian, every headline number with its year, and a reference year that is the data's year. The
briefs are built once per module on the bundled data and a fresh, seeded registry.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app

#: Latin-script words a Russian brief may contain: units, acronyms of methods and sources
#: (checked separately: all-capital words, codes and identifiers with digits or underscores are
#: allowed by rule), names of data sources and packages, and the Latin half of "B2B"
LATIN_ALLOWED = {
    "z", "Comtrade", "Open", "Trade", "Statistics", "economiccomplexity", "penppml", "GeoDist",
    "Dür", "Baccini", "Elsig", "md", "tradecoop", "sanction", "simulator", "Lall", "NACE",
    "no-potential", "osb", "DATA.md",
}


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    from tradecoop.services.brief import build_brief
    from tradecoop.services.request import PairRequest

    home = tmp_path_factory.mktemp("seed")
    mp = pytest.MonkeyPatch()
    mp.setenv("TRADECOOP_STORE", str(home / "store"))
    mp.setenv("TRADECOOP_DATABASE_URL", f"sqlite:///{home / 'registry.db'}")
    try:
        region = build_brief(PairRequest.of("BLR", "RU-CHE", lang="ru"), with_potential=False)
        country = build_brief(PairRequest.of("BLR", "RUS", lang="ru"), with_potential=False)
    finally:
        mp.undo()
    return region, country


def test_summary_names_three_enterprises_from_each_side_with_sources(briefs) -> None:
    region, _ = briefs
    assert len(region.ideas) == 5
    by_side: dict[str, set[str]] = {"BLR": set(), "RU-CHE": set()}
    for idea in region.ideas:
        assert {idea.supplier, idea.buyer} == {"BLR", "RU-CHE"}
        assert idea.why["ru"] and idea.why["en"] and idea.next_step["ru"] and idea.next_step["en"]
        for e in idea.enterprises:
            assert e.source.startswith("http"), (e.name_en, e.source)
            by_side[e.location].add(e.name_en)
            # makers on the supplying side, buyers on the buying side
            assert e.location == (idea.supplier if e.role == "maker" else idea.buyer)
    assert len(by_side["BLR"]) >= 3 and len(by_side["RU-CHE"]) >= 3, by_side
    # the region's steel reaches Belarus's machine builders: the flow the cooperation rests on
    assert any(i.product.startswith("72") and i.supplier == "RU-CHE" for i in region.ideas)


def test_no_country_figure_under_the_region(briefs) -> None:
    region, country = briefs
    assert region.headline == () and region.series is None and region.structure == ()
    assert region.regions and not region.regions[0].has_trade_data and region.regions[0].proxy_of == "RUS"
    country_values = {f.value for f in country.headline} | {
        o.value_at_stake for g in country.opportunities for o in g.items if o.value_at_stake}
    region_values = {i.value for i in region.ideas if i.value is not None} | {
        o.value_at_stake for g in region.opportunities for o in g.items if o.value_at_stake}
    assert not (region_values & country_values)
    assert all(i.value is None and i.value_note for i in region.ideas)


def test_country_values_behind_a_region_idea_are_labelled_as_the_country(briefs) -> None:
    """The engine uses Russia's imports for the region (a proxy): the brief names them as Russia's."""
    from tradecoop.reports.render import render_html

    html = render_html(briefs[0].with_lang("en"))
    assert "Russian Federation (country level)" in html
    assert "imports of Chelyabinsk Oblast from the world" not in html
    assert "imported-input demand of the industries of Chelyabinsk Oblast" not in html


def test_reported_figures_are_sourced_and_the_pair_comes_first(briefs) -> None:
    region, _ = briefs
    assert region.reported, "the seeded registry holds Belarus-Chelyabinsk figures"
    assert set(region.reported[0].parties) == {"BLR", "RU-CHE"}
    assert all(f.url.startswith("https://") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", f.date) for f in region.reported)


def test_headline_numbers_carry_their_year_and_the_title_is_the_data_year(briefs) -> None:
    from tradecoop.reports.render import render_html

    _, country = briefs
    assert all(f.year for f in country.headline)
    assert {f.year for f in country.headline if not f.key.startswith("figure.eci")} == {country.data_year}
    assert country.year == country.data_year == 2016
    html = render_html(country)
    assert "2016" in re.search(r'<p class="subtitle">(.*?)</p>', html).group(1)
    assert 'class="stale"' in html  # 2016 data in a brief prepared years later are flagged
    growth = [f for f in country.headline if f.key.startswith("figure.turnover_growth")]
    assert growth and all(f.note.startswith("period:") for f in growth)


def test_agreements_are_in_force_between_the_pair(briefs) -> None:
    _, country = briefs
    names = [row[0]["en"] for row in country.agreements.rows]
    assert len(names) == len(set(names))
    assert not any("Vietnam" in n or "Iran" in n or "accession" in n for n in names)
    assert all(row[3] for row in country.agreements.rows)  # every one has an entry-into-force year


def _latin_words(html: str) -> list[str]:
    """Latin-script words of the page's own text (quoted English and links excluded)."""
    html = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    html = re.sub(r'<(\w+)[^>]*\blang="en"[^>]*>.*?</\1>', "", html, flags=re.S)
    html = re.sub(r"<(code|a)\b[^>]*>.*?</\1>", "", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<html[^>]*>", "", html)))
    text = re.sub(r"https?://\S+", "", text)
    words = re.findall(r"[A-Za-z0-9_\-'.]*[A-Za-z][A-Za-z0-9_\-'.]*", text)
    return [w for w in (w.strip(".-'") for w in words)
            if len(w) > 1 and not (w.isupper() or re.search(r"[0-9_]", w) or w in LATIN_ALLOWED)]


def _summary_html(html: str) -> str:
    """The summary page and the headline of a brief (everything before the opportunities annex)."""
    return html[: html.index('<section id="opportunities"')]


@pytest.mark.parametrize(("which", "part"), [(0, "all"), (1, "summary")])
def test_russian_briefs_are_in_russian(briefs, which, part) -> None:
    """The seed-case brief in full; the Belarus-Russia brief up to its opportunities annex (whose
    method notes from the engine are still English, quoted with lang="en" or not yet)."""
    from tradecoop.reports.render import render_html

    brief = briefs[which]
    html = render_html(brief)
    html = html if part == "all" else _summary_html(html)
    enterprise_words = {w for i in brief.ideas for e in i.enterprises for w in re.findall(r"\w+", e.name_en)}
    latin = [w for w in _latin_words(html) if w not in enterprise_words]
    assert latin == [], f"{brief.pair.a}-{brief.pair.b}: Latin words in the Russian brief: {sorted(set(latin))}"


#: a small FCS regional file in the customs' own layout: TEST DATA typed for this test
FCS_ROWS = """DIRECTION,PERIOD,COUNTRY,HS,UM,VALUE,NETWEIGHT,QUANTITY,REGION,REGION_S
EXP,01/2024,BY,7208510000,,1500000,2500000,0,75000 - CHELYABINSK REGION,URAL FEDERAL DISTRICT
EXP,02/2024,BY,7208510000,,1250000,2100000,0,75000 - CHELYABINSK REGION,URAL FEDERAL DISTRICT
EXP,03/2024,BY,7304190000,,800000,900000,0,75000 - CHELYABINSK REGION,URAL FEDERAL DISTRICT
EXP,03/2024,KZ,7208510000,,600000,1000000,0,75000 - CHELYABINSK REGION,URAL FEDERAL DISTRICT
IMP,02/2024,BY,8701920000,796,2400000,35000,20,75000 - CHELYABINSK REGION,URAL FEDERAL DISTRICT
IMP,04/2024,BY,8704230000,796,3100000,60000,4,75000 - CHELYABINSK REGION,URAL FEDERAL DISTRICT
IMP,05/2024,CN,8701920000,796,900000,12000,6,75000 - CHELYABINSK REGION,URAL FEDERAL DISTRICT
"""


def test_profile_of_the_region_comes_from_its_imported_customs_file(tmp_path: Path) -> None:
    path = tmp_path / "chelyabinsk_2024.csv"
    path.write_text(FCS_ROWS, encoding="utf-8")
    runner = CliRunner()
    imported = runner.invoke(app, ["data", "import", "fcs-region", str(path), "--name", "fcs_che"])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(app, ["profile", "BLR", "RU-CHE", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    head = data["headline"]
    # by hand: exports to BY 1.5 + 1.25 + 0.8 mn; imports from BY 2.4 + 3.1 mn (KZ and CN excluded)
    assert head["year"] == 2024
    assert head["exports_b_to_a"] == pytest.approx(3_550_000)
    assert head["exports_a_to_b"] == pytest.approx(5_500_000)
    assert head["turnover"] == pytest.approx(9_050_000)
    assert head["reported_by"] == "RU-CHE"
    assert any("reported by RU-CHE" in p["method"] for p in data["provenance"])


def test_the_five_ideas_fit_the_first_pdf_page(briefs, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from tradecoop.reports.render import write_pdf

    first = PdfReader(write_pdf(briefs[0], tmp_path / "ru.pdf")).pages[0].extract_text()
    assert first.count("Следующий шаг") == len(briefs[0].ideas) == 5


def test_reported_values_keep_the_source_s_bounds(briefs) -> None:
    """'more than $500 mn', 'almost reached $500 million': the brief does not drop the bound."""
    from tradecoop.reports.render import _Labels
    from tradecoop.reports.render_summary import reported_view

    en = briefs[0].with_lang("en")
    values = {(r["period"], r["value"]) for r in reported_view(en, _Labels(en)) if r["pair"]}
    assert ("current annual level", "more than USD\u00a0500\u00a0mn") in values
    assert ("2021", "almost USD\u00a0500\u00a0mn") in values
