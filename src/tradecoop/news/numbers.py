"""Amounts of money, percentages and counts of goods in Russian, Belarusian and English text.

``1,5 млрд долларов`` -> 1.5e9 USD, ``$59-60 billion`` -> 5.9e10 USD (a range gives its lower
bound), ``полмиллиарда долларов`` -> 5e8 USD, ``шести миллиардов российских рублей`` -> 6e9 RUB,
``20,5 млрд белорусских рублей`` -> 2.05e10 BYN, ``42 %`` -> 42 %, ``300 тракторов`` -> 300 units.
A number glued to a word by a hyphen (``220-тонных``, ``BELARUS-82``) is never a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str  # USD | RUB | BYN | EUR | % | units
    start: int
    end: int


_END = r"(?!\d|[.,]\d|[-‑][^\W\d])"
_NUM = (rf"(?<![\w-])\d{{1,3}}(?:[ \u00a0\u202f]\d{{3}})+(?:[.,]\d+)?{_END}"
        rf"|(?<![\w.,-])\d+(?:[.,]\d+)?{_END}")
_NUM_RE = re.compile(_NUM)

# number words (stems, lower case) -> value
_WORDS = {
    "один": 1, "одн": 1, "адзін": 1, "адн": 1, "one": 1,
    "два": 2, "двух": 2, "две": 2, "two": 2,
    "три": 3, "трех": 3, "трёх": 3, "тры": 3, "трох": 3, "three": 3,
    "четыр": 4, "чатыр": 4, "four": 4, "пят": 5, "пяц": 5, "five": 5,
    "шест": 6, "шесц": 6, "шэсць": 6, "шасці": 6, "six": 6, "сем": 7, "seven": 7,
    "восем": 8, "eight": 8, "девят": 9, "дзевяц": 9, "nine": 9, "десят": 10, "дзесяц": 10,
    "ten": 10, "двадцат": 20, "дваццац": 20, "twenty": 20, "тридцат": 30, "трыццац": 30,
    "thirty": 30, "сорок": 40, "сорак": 40, "forty": 40, "пятьдесят": 50, "fifty": 50,
    "сто": 100, "hundred": 100,
}
_WORD_NUM = r"(?:" + "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True)) + r")[а-яёіўa-z]*"

_MULT = [
    (r"трлн|триллион\w*|трыльён\w*|trillion|tn|trn", 1e12),
    (r"млрд\.?|миллиард\w*|мільярд\w*|billion|bn|bln|b", 1e9),
    (r"млн\.?|миллион\w*|мільён\w*|million|mn|mln|m", 1e6),
    (r"тыс\.?|тысяч\w*|тысяч|thousand|k", 1e3),
]
_MULT_RE = "|".join(f"(?:{p})" for p, _ in _MULT)
_HALF = r"пол(?:у)?миллиард\w*|паўмільярд\w*|half a billion|пол(?:у)?миллион\w*|паўмільён\w*|half a million"
_CURRENCY = [
    (r"(?:белорусск\w*|беларуск\w*|Belarusian)\s+(?:рубл\w*|руб\.?|roubles?|rubles?)|BYN|бел\.\s*руб\.?", "BYN"),
    (r"(?:российск\w*|расійск\w*|Russian)\s+(?:рубл\w*|руб\.?|roubles?|rubles?)|RUB|рубл\w*|руб\.?|roubles?|rubles?", "RUB"),
    (r"доллар\w*|долл\.?|долар\w*|dollars?|USD|\$", "USD"),
    (r"евро|euros?|EUR|€", "EUR"),
]
_CUR_RE = "|".join(f"(?:{p})" for p, _ in _CURRENCY)
_QUANT = (rf"(?P<num>{_NUM})(?:\s*[–—-]\s*\d+(?:[.,]\d+)?)?|(?P<word>\b{_WORD_NUM})")
_MULT_WORDS = r"миллиард\w*|мільярд\w*|миллион\w*|мільён\w*|billion|million"
_MONEY = re.compile(
    rf"(?P<pre>\$|USD\s?)?(?:(?P<half>{_HALF})|(?:{_QUANT})\s*(?P<mult>{_MULT_RE})?(?!\w)"
    rf"|(?P<multonly>{_MULT_WORDS}))\s*(?P<cur>{_CUR_RE})?",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?P<num>{_NUM})(?:\s*[–—-]\s*\d+(?:[.,]\d+)?)?\s*(?:%|процент\w*|працэнт\w*|per ?cent)",
                      re.IGNORECASE)
#: nouns that make a count of goods (stems)
_GOODS = (r"трактор|самосвал|самазвал|БелАЗ|БЕЛАЗ|BelAZ|BELAZ|машин|комбайн|грузовик|автобус|вагон|станк|"
          r"tractor|truck|dump truck|machine|combine|harvester|bus|unit|vehicle|аўтамабіл|автомобил")
_COUNT = re.compile(rf"(?:{_QUANT})\s+(?:(?:нов\w*|new|карьерн\w*|кар'ерн\w*|dump|heavy)\s+)*"
                    rf"(?:\d+-\w+\s+)?(?:{_GOODS})\w*", re.IGNORECASE)


def _num(text: str) -> float:
    return float(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))


def _word_value(word: str) -> float | None:
    w = word.lower()
    for stem in sorted(_WORDS, key=len, reverse=True):
        if w.startswith(stem) and (len(stem) > 2 or w == stem):
            return float(_WORDS[stem])
    return None


def _mult(text: str) -> float:
    for pattern, factor in _MULT:
        if re.fullmatch(pattern, text.strip(), re.IGNORECASE):
            return factor
    return 1.0


def _currency(text: str) -> str:
    for pattern, code in _CURRENCY:
        if re.fullmatch(pattern, text.strip(), re.IGNORECASE):
            return code
    return "USD"


def money(text: str) -> list[Figure]:
    """Amounts of money, in order of appearance."""
    out = []
    for m in _MONEY.finditer(text):
        cur = m.group("cur")
        if m.group("pre") and not cur:
            cur = "$"
        if not cur:
            continue
        if m.group("half"):
            value = 5e8 if re.search(r"ард|ярд|billion", m.group("half"), re.IGNORECASE) else 5e5
        elif m.group("num") or m.group("word"):
            base = _num(m.group("num")) if m.group("num") else _word_value(m.group("word"))
            if base is None:
                continue
            value = base * (_mult(m.group("mult")) if m.group("mult") else 1.0)
        elif m.group("multonly"):  # "до миллиарда долларов"
            value = _mult(m.group("multonly"))
        else:
            continue
        if (m.group("word") and not m.group("mult") and not m.group("half")):
            continue  # "a dollar", "три рубля": not a reported figure
        out.append(Figure(value, _currency(cur), m.start(), m.end()))
    return out


def percents(text: str) -> list[Figure]:
    return [Figure(_num(m.group("num")), "%", m.start(), m.end()) for m in _PERCENT.finditer(text)]


def counts(text: str) -> list[Figure]:
    """Counts of goods (``300 тракторов``, ``Three new 220-tonne BelAZ dump trucks``)."""
    out = []
    for m in _COUNT.finditer(text):
        value = _num(m.group("num")) if m.group("num") else _word_value(m.group("word") or "")
        if value:
            out.append(Figure(value, "units", m.start(), m.end()))
    return out
