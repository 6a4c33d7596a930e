"""Persons and their roles.

Russian: natasha's news NER (slovnet, weights shipped in the wheels, loaded once per process)
gives PER spans, and organisation spans that the gazetteer did not know. Every language: a first
name from a short list followed by a capitalised word (``Aleksei Teksler``, ``Аляксей Тэкслер``).
A role is read in the words just before the name: governor (also the chairman of a Belarusian
oblast executive committee, the governor's equivalent), president, prime minister, ambassador,
mayor (also the head of a city or the chairman of a city executive committee).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_FIRST_NAMES = ["Aleksandr", "Alexander", "Alexandr", "Aleksei", "Alexei", "Alexey", "Aleksey", "Sergei", "Sergey", "Vladimir", "Dmitry", "Dmitri", "Dmitriy", "Ivan", "Petr", "Piotr", "Pyotr", "Peter", "Boris", "Andrei", "Andrey", "Mikhail", "Viktor", "Victor", "Nikolai", "Nikolay", "Igor", "Oleg", "Roman", "Yuri", "Yury", "Valentina", "Natalia", "Natalya", "Anatoly", "Valery", "Valeriy", "Yevgeny", "Evgeny", "Denis", "Maxim", "Pavel", "Konstantin", "Gennady", "Leonid", "Vitaly", "Vitaliy", "Marat", "Rustam", "Mintimer", "Radiy", "Roman", "Vasily", "Valentin", "Александр", "Алексей", "Сергей", "Владимир", "Дмитрий", "Иван", "Петр", "Пётр", "Борис", "Андрей", "Михаил", "Виктор", "Николай", "Игорь", "Олег", "Роман", "Юрий", "Валентина", "Наталья", "Анатолий", "Валерий", "Евгений", "Денис", "Максим", "Павел", "Константин", "Геннадий", "Леонид", "Виталий", "Василий", "Валентин", "Аляксандр", "Аляксей", "Сяргей", "Уладзімір", "Дзмітрый", "Іван", "Пётр", "Барыс", "Андрэй", "Міхаіл", "Віктар", "Мікалай", "Ігар", "Алег", "Раман", "Юрый", "Валянціна", "Наталля", "Анатоль", "Валерый", "Яўген", "Дзяніс", "Максім", "Павел", "Канстанцін", "Віталь"]
# stems, so that inflected forms match: Алексей -> Алексе(ем), Валентина -> Валентин(ой)
_FIRST_STEMS = sorted({n[:-1] if n[-1] in "йаяь" else n for n in _FIRST_NAMES}, key=len, reverse=True)
_NAME_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(_FIRST_STEMS)
    + r")[а-яёіўa-z]{0,4}\s+(?:[A-ZА-ЯЁІЎ]\.\s*)?[A-ZА-ЯЁІЎ][a-zа-яёіў'’-]{2,}")

_ROLES: list[tuple[str, str]] = [
    (r"председател\w* \w+ облисполкома|старшын\w* \w+ аблвыканкама|chairman of the \w+ (?:oblast|regional) "
     r"executive committee|губернатор\w*|губернатар\w*|governor|глав\w* (?:региона|\w+ области)", "governor"),
    (r"председател\w* \w+ горисполкома|старшын\w* \w+ гарвыканкама|глав\w* (?:города|[А-Я]\w+)|мэр\w*|"
     r"mayor|\bhead\b|city executive committee chairman", "mayor"),
    (r"премьер-министр\w*|прэм'ер-міністр\w*|prime minister", "prime minister"),
    (r"президент\w*|прэзідэнт\w*|president|head of state|глав\w* государства", "president"),
    (r"посол\w*|посла|пасол\w*|ambassador", "ambassador"),
    (r"госсекретар\w*|state secretary|дзяржсакратар\w*", "state secretary"),
    (r"генеральн\w* директор\w*|гендиректор\w*|director general|general director|ceo", "director"),
]
_ROLE_RE = [(re.compile(p, re.IGNORECASE), role) for p, role in _ROLES]
ROLE_WINDOW = 90  # characters before a name searched for a role


@dataclass(frozen=True)
class PersonSpan:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class NerSpan:
    type: str  # PER | ORG | LOC
    start: int
    end: int


@cache
def _natasha():
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def natasha_spans(text: str) -> list[NerSpan]:
    """natasha's NER spans of a Russian text."""
    from natasha import Doc

    segmenter, tagger = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [NerSpan(s.type, s.start, s.stop) for s in doc.spans]


def rule_persons(text: str) -> list[PersonSpan]:
    """First name + capitalised surname, every language."""
    return [PersonSpan(m.group(), m.start(), m.end()) for m in _NAME_RE.finditer(text)]


def role_before(text: str, start: int) -> tuple[str | None, int]:
    """The role named closest before ``start`` (within :data:`ROLE_WINDOW`) and where it begins."""
    window_start = max(0, start - ROLE_WINDOW)
    window = text[window_start:start]
    # the role must belong to this name: stop at a previous name's end or a clause break
    cut = max(window.rfind(";"), window.rfind(" и "), window.rfind(" and "), window.rfind(" і "))
    best: tuple[int, str] | None = None
    for pattern, role in _ROLE_RE:
        for m in pattern.finditer(window):
            if m.start() <= cut:
                continue
            if best is None or m.start() > best[0]:
                best = (m.start(), role)
    if best is None:
        return None, start
    return best[1], window_start + best[0]


def canonical_name(span: str) -> str:
    """A Latin name: Russian words put in the nominative (pymorphy3), then transliterated."""
    from tradecoop.news.text import is_cyrillic
    from tradecoop.registry.search import transliterate

    words = span.split()
    if not any(is_cyrillic(w) for w in words):
        return " ".join(words)
    from tradecoop.news.text import _morph

    out = []
    for w in words:
        parses = _morph().parse(w)
        named = [p for p in parses if {"Name", "Surn", "Patr"} & set(p.tag.grammemes)]
        nominative = [q for q in named if q.tag.case == "nomn" and q.tag.number != "plur"]
        p = (nominative or named or parses)[0]
        nom = None
        if p.tag.case and (p.tag.case != "nomn" or p.tag.number == "plur"):
            nom = p.inflect({"nomn", "sing"})
        out.append((nom.word if nom else w.lower()).capitalize())
    return transliterate(" ".join(out))
