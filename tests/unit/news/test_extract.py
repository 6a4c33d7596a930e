"""The extractor: gazetteer entities in every case form and spelling, persons and roles, facts,
and the exact JSON shape of `tradecoop news extract`."""

from __future__ import annotations

import pytest

from tradecoop.news.extract import extract
from tradecoop.news.langid import detect

DOC_KEYS = {"language", "title", "published"}
ENTITY_KEYS = {"type", "text", "start", "end", "id", "name", "role", "of"}
FACT_KEYS = {"type", "text", "start", "end", "date", "locations", "organizations", "persons", "products",
             "value", "unit", "period", "polarity"}


def _ids(result: dict, kind: str) -> set:
    return {e["id"] for e in result["entities"] if e["type"] == kind}


@pytest.mark.parametrize(("text", "code"), [
    ("Делегация Челябинской области прибыла.", "RU-CHE"),
    ("Визит в Челябинскую область.", "RU-CHE"),
    ("Гости из Челябинска.", "RU-CHE"),
    ("Дэлегацыя Чэлябінскай вобласці прыбыла.", "RU-CHE"),
    ("A delegation of the Chelyabinsk Region arrived.", "RU-CHE"),
    ("Belarus and the Chelyabisnk region of Russia.", "RU-CHE"),  # misspelt
    ("Вузы Южного Урала.", "RU-CHE"),
    ("Встреча в Гомеле.", "BY-HO"),
    ("Сустрэча ў Гомелі.", "BY-HO"),
    ("Переговоры в Минске.", "BY-HM"),
    ("Делегация Минской области.", "BY-MI"),
    ("Trade with Khabarovsk Territory grew.", "RU-KHA"),
    ("Форум прошел в Нижнем Новгороде.", "RU-NIZ"),
])
def test_locations_in_every_form(text: str, code: str) -> None:
    assert code in _ids(extract(text, lang="auto"), "location")


@pytest.mark.parametrize(("text", "code"), [
    ("Закупки БЕЛАЗов снизились.", "enterprise:belaz"),
    ("Три новых БелАЗа приступили к работе.", "enterprise:belaz"),
    ("Three new BelAZ trucks.", "enterprise:belaz"),
    ("Соглашение подписали ЧТЗ и МТЗ.", "enterprise:mtz"),
    ("Сборка тракторов МАЗа.", "enterprise:maz"),
    ("Минский тракторный завод планирует сборку.", "enterprise:mtz"),
    ("в партнерстве с Минским тракторным заводом", "enterprise:mtz"),
    ("Беларускі аўтамабільны завод паставіў самазвалы.", "enterprise:belaz"),
    ("Gomselmash is expanding cooperation.", "enterprise:gomselmash"),
    ("Производство тракторов «Беларус» в Челябинске.", "enterprise:mtz"),  # the brand, not the country
])
def test_organisations_in_every_spelling(text: str, code: str) -> None:
    assert code in _ids(extract(text, lang="auto"), "organization")


def test_brand_is_not_the_country_and_first_name_is_not_a_town() -> None:
    r = extract("Производство тракторов «Беларус» начнется. Делегация во главе с Борисом Дубровским.", lang="ru")
    assert "BLR" not in _ids(r, "location")
    assert "BY-MI" not in _ids(r, "location")  # Борисом is not Борисов


def test_unknown_organisation_kept_unresolved() -> None:
    r = extract("ОАО «БелАЗ» поставил компании «Кузбассразрезуголь» 59 самосвалов.", lang="ru")
    unresolved = [e for e in r["entities"] if e["type"] == "organization" and e["id"] is None]
    assert [e["text"] for e in unresolved] == ["Кузбассразрезуголь"]


def test_persons_and_roles() -> None:
    text = ("Губернатор Челябинской области Алексей Текслер встретился с председателем Гомельского "
            "облисполкома Иваном Крупко.")
    persons = {e["name"]: e for e in extract(text, lang="ru")["entities"] if e["type"] == "person"}
    assert persons["Aleksey Teksler"]["role"] == "governor"
    assert persons["Aleksey Teksler"]["of"] == "RU-CHE"
    assert persons["Ivan Krupko"]["role"] == "governor"
    en = extract("Governor of Chelyabinsk Oblast Boris Dubrovsky met the President.", lang="en")
    (p,) = [e for e in en["entities"] if e["type"] == "person"]
    assert (p["name"], p["role"], p["of"]) == ("Boris Dubrovsky", "governor", "RU-CHE")


def test_json_shape_and_offsets() -> None:
    text = ("Беларусь и Челябинская область торгуют более чем на полмиллиарда долларов в год. "
            "Товарооборот может дорасти до миллиарда долларов.")
    r = extract(text, lang="auto", title="t", published="2025-08-11")
    assert set(r) == {"document", "entities", "facts"}
    assert set(r["document"]) == DOC_KEYS
    assert r["document"] == {"language": "ru", "title": "t", "published": "2025-08-11"}
    for e in r["entities"]:
        assert set(e) == ENTITY_KEYS
        assert text[e["start"]:e["end"]] == e["text"]
    for f in r["facts"]:
        assert set(f) == FACT_KEYS
        assert text[f["start"]:f["end"]] == f["text"]
    figures = [(f["type"], f["value"], f["unit"], f["polarity"]) for f in r["facts"]
               if f["type"] in ("trade_figure", "target")]
    assert figures == [("trade_figure", 5e8, "USD", "fact"), ("target", 1e9, "USD", "intent")]


def test_fact_types_and_polarity() -> None:
    r = extract("Губернатор встретился в Минске с президентом и предложил наладить производство тракторов. "
                "Форум регионов в 2025 году пройдет в Нижнем Новгороде.", lang="ru", published="2024-06-28")
    got = {(f["type"], f["polarity"]) for f in r["facts"]}
    assert ("meeting", "fact") in got
    assert ("project", "intent") in got
    assert ("meeting", "plan") in got
    assert any(f["products"] == ["8701"] for f in r["facts"])


def test_bad_arguments() -> None:
    from tradecoop.errors import DataValidationError

    with pytest.raises(DataValidationError, match="language"):
        extract("text", lang="de")
    with pytest.raises(DataValidationError, match="YYYY-MM-DD"):
        extract("text", published="11 Aug")


@pytest.mark.parametrize(("text", "lang"), [
    ("Губернатор Челябинской области встретился с президентом.", "ru"),
    ("Губернатар Чэлябінскай вобласці сустрэўся з прэзідэнтам.", "be"),
    ("The governor met the president in Minsk.", "en"),
    ("Губернатор зустрівся з президентом у Мінську, і це їхня перша зустріч.", "uk"),
])
def test_language_identification(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_sentences_end_at_line_breaks_not_at_abbreviations() -> None:
    from tradecoop.news.text import sentences

    text = "Заголовок без точки\nAt a meeting in St. Petersburg, Putin spoke. Второе предложение."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Заголовок без точки", "At a meeting in St. Petersburg, Putin spoke.", "Второе предложение."]
