"""Tokens, sentences and matching keys for Russian, Belarusian and English news text.

A token carries several *keys* so that a gazetteer name matches every inflected form:

* Russian (Cyrillic) words: every normal form pymorphy3 gives (``Челябинской`` -> ``челябинский``);
* any Cyrillic word, Russian or Belarusian: a *folded stem*: letters folded across the two
  orthographies (і->и, ў->в, э->е, ы->и, о->а, й->и, ь and apostrophes dropped, common
  Belarusian generic words mapped to Russian: вобласць -> область) and one inflectional ending
  cut (``Чэлябінскай вобласці`` and ``Челябинской области`` share ``челябинск абласт``);
* Latin words: lower case without a possessive ``'s``.

Nothing is loaded at import time; pymorphy3's dictionaries load on first use (~0.3 s).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

_WORD = re.compile(r"[^\W_]+(?:[-‑'’ʼ][^\W_]+)*", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яёіўА-ЯЁІЎ]")
_FOLD = str.maketrans({"і": "и", "ў": "в", "э": "е", "ы": "и", "о": "а", "й": "и", "ё": "е",
                       "ь": None, "ъ": None, "'": None, "’": None, "ʼ": None})
#: Belarusian generic words and their Russian equivalents (folded on both sides)
_BE_WORDS = {"вобласць": "область", "вобласці": "области", "вобласцю": "областью",
             "рэспубліка": "республика", "рэспублікі": "республики", "горад": "город",
             "горада": "города", "край": "край", "краю": "края", "рэгіён": "регион",
             "рэгіёна": "региона", "завод": "завод", "завода": "завода", "заводам": "заводом"}
#: folded inflectional endings, longest first
_ENDINGS = tuple(sorted(
    {"ами", "ями", "аго", "ага", "ему", "аму", "ими", "иии", "ая", "ае", "ие", "ии", "аи", "ую",
     "юю", "ах", "ях", "ам", "ям", "ем", "ав", "ев", "еи", "ия", "ию", "иям", "иях", "ци",
     "а", "я", "у", "ю", "е", "и"}, key=len, reverse=True))
_MIN_STEM = 3


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: surface form, character offsets and its matching keys."""

    text: str
    start: int
    end: int
    keys: frozenset[str]

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def fold_stem(word: str) -> str:
    """The folded stem of a Cyrillic word (Russian or Belarusian), see the module docstring."""
    w = word.lower()
    w = _BE_WORDS.get(w, w)
    w = w.translate(_FOLD)
    w = re.sub(r"(.)\1+", r"\1", w)  # Belarusian writes one letter where Russian doubles it
    for end in _ENDINGS:
        if w.endswith(end) and len(w) - len(end) >= _MIN_STEM:
            return w[: -len(end)]
    return w


@cache
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def lemmas(word: str, geographic: bool = False) -> tuple[str, ...]:
    """pymorphy3 normal forms of a Russian word (all parses, de-duplicated, ``ё`` as ``е``).

    ``geographic``: when pymorphy3 reads the word as a place name (Geox), only those readings
    (``Борисов`` the town, not the genitive plural of the first name Борис).
    """
    seen: list[str] = []
    parses = _morph().parse(word)
    if geographic:
        parses = [p for p in parses if "Geox" in p.tag] or parses
    for p in parses:
        nf = p.normal_form.replace("ё", "е")
        if nf not in seen:
            seen.append(nf)
    return tuple(seen)


def _known(word: str) -> bool:
    return _morph().word_is_known(word)


@lru_cache(maxsize=200_000)
def word_keys(word: str, *, entry: bool = False) -> frozenset[str]:
    """Matching keys of one word (no spaces).

    A token's hyphenated parts add keys unless a part is a number (``ЧТЗ-Уралтрак`` also matches
    ``ЧТЗ``; ``BELARUS-82`` is not Belarus). A Russian word pymorphy3 knows gets its lemmas only;
    an unknown (often Belarusian) word its folded stem too; a gazetteer name (``entry``) both, so
    a Belarusian token meets a Russian name on the folded stem while ``Борисом`` (a first name)
    never meets ``Борисов`` (a town).
    """
    keys: set[str] = set()
    parts = [word]
    if not entry and ("-" in word or "‑" in word):
        pieces = re.split(r"[-‑]", word)
        if not any(p.isdigit() for p in pieces):
            parts += pieces
    for part in parts:
        if not part:
            continue
        if is_cyrillic(part):
            low = part.lower()
            keys.update(lemmas(low, entry))
            if entry or not _known(low):
                keys.add("~" + fold_stem(part))
        else:
            low = part.lower()
            for suffix in ("'s", "’s"):
                if low.endswith(suffix):
                    low = low[: -len(suffix)]
            keys.add(low)
    return frozenset(keys)


def phrase_keys(name: str) -> list[frozenset[str]]:
    """Keys of every word of a gazetteer name (one set per word)."""
    return [word_keys(m.group(), entry=True) for m in _WORD.finditer(name)]


def tokenize(text: str) -> list[Token]:
    """Word tokens with offsets; hyphenated words stay one token (``ЧТЗ-Уралтрак``)."""
    return [Token(m.group(), m.start(), m.end(), word_keys(m.group())) for m in _WORD.finditer(text)]


_ABBREVIATIONS = re.compile(r"(?:\b(?:St|Mr|Mrs|Dr|Gen|Gov|Jr|No|vs|Co|Corp|Inc|Ltd|им|г|ул|пр|тов|т|св)\.)$")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (razdel) within each line (a headline or paragraph ends a sentence),
    rejoined after abbreviations razdel splits on (``St. Petersburg``)."""
    from razdel import sentenize

    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        base = line.start()
        first = len(spans)
        for s in sentenize(line.group()):
            if len(spans) > first and _ABBREVIATIONS.search(text[spans[-1][0]:spans[-1][1]]):
                spans[-1] = (spans[-1][0], base + s.stop)
            else:
                spans.append((base + s.start, base + s.stop))
    return spans
