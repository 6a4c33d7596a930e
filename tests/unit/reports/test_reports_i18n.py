"""Label catalogues and number formatting in English and Russian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tradecoop.errors import DataValidationError, NotFoundError
from tradecoop.reports import i18n, render
from tradecoop.reports.model import DIRECTIONS, OPPORTUNITY_TYPES, SECTIONS, STRUCTURE_LEVELS

NBSP, MINUS = "\u00a0", "\u2212"
CYRILLIC = re.compile("[А-Яа-яЁё]")
TEMPLATE = Path(render.__file__).with_name("templates") / render.TEMPLATE
# labels with no word to translate (pure symbols, placeholders or shared abbreviations)
LANGUAGE_NEUTRAL = {"unit.percent", "direction.ab", "direction.ba", "opp.rank"}  # "№ {rank}"


def _keys_used_by_the_template() -> set[str]:
    text = re.sub(r"{#.*?#}", "", TEMPLATE.read_text(encoding="utf-8"), flags=re.S)  # comments
    literal = set(re.findall(r"""\bt\(\s*'([a-z_]+(?:\.[a-z_]+)*)'\s*[,)]""", text))
    # computed keys: t('section.' ~ s) for every section
    assert "t('section.' ~ s)" in text
    return literal | {f"section.{s}" for s in SECTIONS}


def _keys_used_by_the_renderer() -> set[str]:
    text = Path(render.__file__).read_text(encoding="utf-8")
    literal = set(re.findall(r"""\btr\(\s*"([a-z_]+(?:\.[a-z_]+)*)"\s*[,)]""", text))
    computed = {f"direction.{d}" for d in DIRECTIONS} | {f"level.{v}" for v in STRUCTURE_LEVELS}
    computed |= {f"opptype.{o}" for o in OPPORTUNITY_TYPES}
    computed |= {f"oppdesc.{o}" for o in OPPORTUNITY_TYPES}
    computed |= {f"potential.{v}" for v in ("over", "under", "within")}
    return literal | computed


def test_template_keys_exist_in_both_catalogues() -> None:
    used = _keys_used_by_the_template()
    assert len(used) > 40  # the regex found the calls (a broken regex would find none)
    for lang in ("en", "ru"):
        missing = sorted(k for k in used if k not in i18n.CATALOGUES[lang])
        assert missing == [], (lang, missing)


def test_renderer_keys_exist_in_both_catalogues() -> None:
    used = _keys_used_by_the_renderer()
    assert len(used) > 20
    for lang in ("en", "ru"):
        missing = sorted(k for k in used if k not in i18n.CATALOGUES[lang])
        assert missing == [], (lang, missing)


def test_catalogues_have_the_same_keys_and_russian_is_translated() -> None:
    en, ru = i18n.CATALOGUES["en"], i18n.CATALOGUES["ru"]
    assert set(en) == set(ru)
    for key, text in ru.items():
        assert text.strip(), key
        if key not in LANGUAGE_NEUTRAL:
            assert CYRILLIC.search(text), f"{key!r} has no Russian text: {text!r}"
        # the same placeholders in both languages
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", en[key])), key


def test_unknown_key_and_language_fail_clearly() -> None:
    with pytest.raises(NotFoundError, match="section.headline"):
        i18n.t("section.headlin", "en")
    with pytest.raises(DataValidationError, match="en, ru"):
        i18n.t("section.headline", "de")
    assert i18n.t_or("criterion.not_a_criterion", "ru", "raw_name") == "raw_name"


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234567.891, "en", 2, "1,234,567.89"),
        (1234567.891, "ru", 2, f"1{NBSP}234{NBSP}567,89"),
        (-1234.5, "ru", 1, f"{MINUS}1{NBSP}234,5"),
        (-0.0004, "en", 2, "0.00"),  # no "-0.00"
        (999.5, "en", 0, "1,000"),
    ],
)
def test_format_number(value: float, lang: str, decimals: int, expected: str) -> None:
    assert i18n.format_number(value, lang, decimals) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        # 26.1e9 / 1e9 = 26.1 -> two significant decimals below 100: "26.1"
        (2.61e10, "en", "USD 26.1 bn"),
        (2.61e10, "ru", "26,1 млрд долл. США"),
        # -4.3e9 -> -4.30 (three significant digits below 10)
        (-4.3e9, "ru", f"{MINUS}4,30 млрд долл. США"),
        (4.0e8, "en", "USD 400 mn"),
        (5.12e3, "ru", "5,12 тыс. долл. США"),
        (512.0, "en", "USD 512"),
    ],
)
def test_format_money(value: float, lang: str, expected: str) -> None:
    assert i18n.format_money(value, lang) == expected.replace(" ", NBSP)


def test_format_share_percent_and_date() -> None:
    assert i18n.format_share(0.4936, "en") == "49.4%"  # 49.36 % to one decimal
    assert i18n.format_share(0.49, "ru") == f"49,0{NBSP}%"
    assert i18n.format_value(True, "text", "ru") == "True"  # text cells print as given
    assert i18n.format_value(14, "count", "ru") == "14"
    assert i18n.format_date("2026-11-29T09:40:00+00:00", "ru", with_time=True) == (
        "29 ноября 2026 г., 09:40 UTC")
    assert i18n.format_date("2026-03-01", "en") == "1 March 2026"
    with pytest.raises(DataValidationError, match="ISO 8601"):
        i18n.format_date("29/11/2026", "en")


def test_open_vocabularies_are_documented() -> None:
    """docs/briefing.md lists every criterion, value method and caveat the catalogue knows."""
    docs = (Path(__file__).resolve().parents[3] / "docs" / "briefing.md").read_text(encoding="utf-8")
    for prefix in ("criterion.", "method.", "caveat."):
        names = [k.removeprefix(prefix) for k in i18n.CATALOGUES["en"] if k.startswith(prefix)]
        assert names
        undocumented = [n for n in names if f"`{n}`" not in docs]
        assert undocumented == [], (prefix, undocumented)
    for key in (k for k in i18n.CATALOGUES["en"] if k.startswith("figure.")):
        stem = key.removesuffix("_ab").removesuffix("_ba").removesuffix("_a").removesuffix("_b")
        assert stem in docs, key
