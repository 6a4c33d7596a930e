"""Numbers and dates in Russian, Belarusian and English news text."""

from __future__ import annotations

import datetime as dt

import pytest

from tradecoop.news.dates import best_date, find_dates
from tradecoop.news.numbers import counts, money, percents


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Товарооборот составил 1,5 млрд долларов.", 1.5e9, "USD"),
    ("торгуют более чем на полмиллиарда долларов в год", 5e8, "USD"),
    ("вырос до полумиллиарда долларов", 5e8, "USD"),
    ("может дорасти до миллиарда долларов", 1e9, "USD"),
    ("рекордных 59–60 млрд долларов", 5.9e10, "USD"),
    ("a record high of $59-60 billion", 5.9e10, "USD"),
    ("amounted to $350m last year", 3.5e8, "USD"),
    ("came to $47.8 million.", 4.78e7, "USD"),
    ("с 308 до 646 миллиардов российских рублей", 6.46e11, "RUB"),
    ("выделила более шести миллиардов российских рублей", 6e9, "RUB"),
    ("превысила 20,5 млрд белорусских рублей", 2.05e10, "BYN"),
    ("больш за шэсць мільярдаў расійскіх рублёў", 6e9, "RUB"),
    ("можа дарасці да мільярда долараў", 1e9, "USD"),
    ("1 500 млн долларов", 1.5e9, "USD"),
])
def test_money(text: str, value: float, unit: str) -> None:
    found = money(text)
    assert found, text
    assert found[0].value == pytest.approx(value)
    assert found[0].unit == unit


@pytest.mark.parametrize("text", ["в 2017 году", "BELARUS-82 и 500 л.с.", "трактор «Беларус-2103»",
                                  "about 2,400 Russian companies", "три рубля"])
def test_not_money(text: str) -> None:
    assert money(text) == []


def test_percent_and_counts() -> None:
    assert [p.value for p in percents("вырос на 42 % и на 6%; by more than 85%")] == [42, 6, 85]
    assert [c.value for c in counts("направят 300 тракторов")] == [300]
    assert [c.value for c in counts("Три новых 220-тонных БелАЗа")] == [3]
    assert [c.value for c in counts("Three new 220-tonne BelAZ dump trucks")] == [3]
    assert counts("220-тонных самосвалов") == []  # a number glued by a hyphen is never a count


PUB = dt.date(2025, 8, 11)  # a Monday


@pytest.mark.parametrize(("text", "expected"), [
    ("Президент 11 августа принял делегацию", "2025-08-11"),
    ("Прэзідэнт 11 жніўня прыняў", "2025-08-11"),
    ("met on 15 November", "2024-11-15"),  # after the document date: the year before
    ("at an April 27 meeting", "2025-04-27"),
    ("The delegation arrived three days ago.", "2025-08-08"),
    ("Делегация прибыла три дня назад", "2025-08-08"),
    ("вчера губернатор", "2025-08-10"),
    ("on Tuesday the governor", "2025-08-05"),
    ("во вторник, 15 ноября, встречается", "2024-11-15"),  # the explicit date wins
    ("в мае стороны решили", "2025-05"),
    ("У маі бакі вырашылі", "2025-05"),
    ("В конце января глава", "2025-01"),
    ("в этом году уже увеличился", "2025"),
    ("turnover amounted to $350m last year", "2024"),
    ("In 2021 the bilateral trade", "2021"),
    ("завершится к 2033 году", "2033"),
    ("in January-November 2024 came to", "2024"),
    ("5 декабря 2024 года", "2024-12-05"),
    ("опубликовано 06.05.2024", "2024-05-06"),
])
def test_dates_resolved_against_the_document_date(text: str, expected: str) -> None:
    assert best_date(find_dates(text, PUB)) == expected


def test_dates_without_document_date_and_spans() -> None:
    assert best_date(find_dates("в Уфе 26–28 июня", None)) == "--06-26"
    assert best_date(find_dates("вчера", None)) is None
    assert find_dates("план на 2024–2026 годы", PUB) == []  # a span of years is a period
    assert find_dates("трактор «Беларус-2103» и Иннопром-2023", PUB) == []
    assert find_dates("we discussed 1,5 млрд and 50% of it", PUB) == []  # no free-text guessing
