"""HS descriptions and product search (bundled hs_nomenclature.parquet only).

External facts used (not produced by our code):
- WCO HS structure: section XVII = chapters 86-89, XVI = 84-85, I = 01-05, XV = 72-83.
- Heading 8701 is "Tractors" / TN VED EAEU 8701 "Тракторы"; 0406 is cheese, 3104 potassic
  fertilizers ("калийные").
- SOURCES.md: the HS 2022 file has 97 chapters, 1,229 headings, 5,613 subheadings.
- HS 2022 split HS 2012 subheading 870190 into 870191-870195 (tractors by engine power).
"""

from __future__ import annotations

import pytest

from tradecoop.data.nomenclature.hs import (
    hs_section,
    nomenclature,
    product_info,
    product_name,
    search_products,
    stem,
)
from tradecoop.errors import DataValidationError, NotFoundError


@pytest.mark.parametrize("query", ["tractor", "Tractors", "трактор", "тракторы", "ТРАКТОРОВ"])
def test_search_finds_tractors_first(query: str) -> None:
    result = search_products(query, limit=10)
    assert result["code"].iloc[0] == "8701"
    assert set(result["match"]) == {"word"}


def test_search_russian_two_words() -> None:
    result = search_products("калийные удобрения", limit=5)
    assert result["code"].iloc[0] == "3104"


def test_search_by_code_prefix_lists_subheadings() -> None:
    result = search_products("87.01", limit=50)
    assert result["code"].iloc[0] == "8701"
    assert result["code"].str.startswith("8701").all()
    assert {"870191", "870195"} <= set(result["code"])  # HS 2022 tractor subheadings
    assert (result["match"] == "code").all()


def test_search_misspelling_is_fuzzy_and_marked() -> None:
    result = search_products("tracter", limit=5)
    assert "8701" in set(result["code"])
    assert (result["match"] == "fuzzy").all()


def test_search_respects_limit_and_columns() -> None:
    result = search_products("steel", limit=3)
    assert len(result) == 3
    assert list(result.columns) == ["code", "level", "name_en", "name_ru", "ru_fallback", "match"]


def test_search_nothing_found_is_empty() -> None:
    assert search_products("qqqqxxxx", limit=5).empty


@pytest.mark.parametrize("bad", ["", "   "])
def test_search_rejects_empty_text(bad: str) -> None:
    with pytest.raises(DataValidationError):
        search_products(bad)


def test_stem_by_hand() -> None:
    # 'тракторы' - ending 'ы' = 'трактор'; 'tractors' - 's' = 'tractor'; short words stay
    assert stem("тракторы") == "трактор"
    assert stem("тракторов") == "трактор"
    assert stem("tractors") == "tractor"
    assert stem("сыр") == "сыр"


def test_product_name_english_and_russian() -> None:
    assert product_name("8701").startswith("Tractors")
    assert product_name("8701", lang="ru").startswith("Тракторы")
    assert product_name("0406", lang="ru").startswith("Сыры")
    assert product_name("87", lang="ru").startswith("Средства наземного транспорта")


def test_russian_fallback_is_flagged() -> None:
    info = product_info("870193")  # HS6: TN VED files give no Russian subheading names
    assert info["ru_fallback"] is True
    assert info["name_ru"] == info["name_en"]
    assert product_info("8701")["ru_fallback"] is False


def test_older_vintage_codes_have_descriptions() -> None:
    info = product_info("870190")  # HS 2012 code that HS 2022 split
    assert info["vintage"] != "HS22"
    assert "Tractors" in str(info["name_en"])


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("8701", "XVII"),
        ("870190", "XVII"),
        ("89", "XVII"),
        ("86", "XVII"),
        ("8471", "XVI"),
        ("0406", "I"),
        ("7207", "XV"),
        ("3104", "VI"),
    ],
)
def test_hs_section(code: str, section: str) -> None:
    assert hs_section(code) == section


def test_hs22_counts_match_source_description() -> None:
    table = nomenclature()
    hs22 = table[table["vintage"] == "HS22"]
    assert (hs22["level"] == 2).sum() == 97
    assert (hs22["level"] == 4).sum() == 1229
    assert (hs22["level"] == 6).sum() == 5613
    assert (table["level"] == 0).sum() == 21
    # every section and every HS chapter except 99 (Comtrade 'not specified') has Russian
    named = table[table["level"].isin([0, 2]) & (table["code"] != "99")]
    assert not named["ru_fallback"].any()
    assert not table["code"].duplicated().any()


@pytest.mark.parametrize("bad", ["870", "87012", "abc", "87-01"])
def test_invalid_code_is_a_validation_error(bad: str) -> None:
    with pytest.raises(DataValidationError):
        product_name(bad)


def test_unknown_code_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        product_name("123456")
    with pytest.raises(DataValidationError):
        product_name("8701", lang="de")  # type: ignore[arg-type]
