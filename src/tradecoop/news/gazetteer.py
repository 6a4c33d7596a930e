"""Gazetteer of places and enterprises, matched against tokens by longest match.

Places: every Russian federal subject (ISO 3166-2, Russian and English names from the project's
nomenclature, ``okato_regions.csv``, with "Oblast/Krai" also written "Region/Territory"), the
Belarusian oblasts and major Belarusian and Russian cities (``data/places.csv``: a city resolves
to the ISO 3166-2 code of its region, Minsk to ``BY-HM``), and countries (pycountry's English and
Russian names plus the nomenclature's aliases). Enterprises: the registry seed
(``registry/seed/enterprises.csv``: names in three languages and aliases), id
``enterprise:<seed key>``.

Inflection is handled by the tokens' keys (:mod:`tradecoop.news.text`); short all-capital
abbreviations (МТЗ, МАЗ, MTZ) match case-sensitively, with a Russian case ending allowed
(``МАЗа``); an enterprise alias that is also a place name (the tractor brand «Беларус») matches
only as written. A Latin word not in the gazetteer's vocabulary is compared with its words by
edit distance (``Chelyabisnk`` -> ``chelyabinsk``, :data:`FUZZY_MIN_SCORE`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tradecoop.news.text import Token, phrase_keys, word_keys

#: rapidfuzz ratio (0-100) a misspelt Latin word needs to match a gazetteer word
FUZZY_MIN_SCORE = 88.0
#: shortest Latin word compared by edit distance
FUZZY_MIN_LENGTH = 6
#: aliases that name something else far more often than the enterprise
_SKIP_ALIASES = {"Ural", "Урал", "Magnitka", "Mechel", "Volat"}
_ABBREV = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁa-z]{1,3}$")
_CASE_ENDING = re.compile(r"^[а-яё]{1,3}$")


@dataclass(frozen=True)
class Entry:
    """One name of a place or an enterprise."""

    kind: str  # "location" | "organization"
    id: str
    name_en: str
    surface: str
    words: tuple[frozenset[str], ...]
    exact: bool  # match the surface as written (abbreviations, ambiguous aliases)


@dataclass(frozen=True)
class Match:
    entry: Entry
    start_token: int
    end_token: int  # exclusive


def _region_variants(name_en: str) -> list[str]:
    out = [name_en]
    for a, b in (("Oblast", "Region"), ("Oblast", "oblast"), ("Krai", "Territory"), ("Krai", "Region"),
                 ("Republic", "Republic of")):
        if a in name_en:
            out.append(name_en.replace(a, b))
    return out


def _seed_enterprises() -> list[dict[str, str]]:
    from tradecoop.registry.seed import enterprise_rows

    return enterprise_rows()


@cache
def gazetteer() -> tuple[list[Entry], dict[str, list[Entry]], frozenset[str]]:
    """(entries, entries by the keys of their first word, Latin vocabulary for fuzzy matching)."""
    from tradecoop.data.nomenclature.locations import location_name, okato_regions

    entries: list[Entry] = []
    location_keys: set[str] = set()

    def add(kind: str, code: str, name_en: str, surface: str, exact: bool = False) -> None:
        surface = surface.strip()
        if not surface:
            return
        words = tuple(phrase_keys(surface))
        if not words:
            return
        entries.append(Entry(kind, code, name_en, surface, words, exact))
        if kind == "location" and len(words) == 1:
            location_keys.update(words[0])

    for region in okato_regions():
        if region.iso is None:
            continue
        for n in (*_region_variants(region.name_en), region.name_ru):
            add("location", region.iso, region.name_en, n)
    text = resources.files("tradecoop.news").joinpath("data/places.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        name = location_name(row["code"]) if row["code"] != "BY-HM" else "Minsk"
        for n in row["names"].split(";"):
            add("location", row["code"], name, n)
    for row in _seed_enterprises():
        code = f"enterprise:{row['key']}"
        names = [row["name_en"], row["name_ru"], row["name_be"]]
        aliases = [a for a in row["aliases"].split(";") if a and a not in _SKIP_ALIASES]
        for n in names + aliases:
            if not n:
                continue
            single = len(phrase_keys(n)) == 1
            exact = bool(_ABBREV.match(n) and n[1:].upper() == n[1:]) or (
                single and bool(word_keys(n) & location_keys))
            add("organization", code, row["name_en"], n, exact)
    by_first: dict[str, list[Entry]] = {}
    for e in entries:
        if e.exact:
            by_first.setdefault("=" + e.surface, []).append(e)
        else:
            for k in e.words[0]:
                by_first.setdefault(k, []).append(e)
    vocab = frozenset(k for e in entries if not e.exact for w in e.words for k in w
                      if k.isascii() and len(k) >= FUZZY_MIN_LENGTH)
    return entries, by_first, vocab


def _exact_hits(token: Token, by_first: dict[str, list[Entry]]) -> list[Entry]:
    text = token.text
    hits = list(by_first.get("=" + text, ()))
    head = re.split(r"[-‑]", text)[0]
    if head != text:
        hits += by_first.get("=" + head, [])
    # МАЗа, МТЗ-шный: an abbreviation followed by a lower-case case ending
    m = re.match(r"^([A-ZА-ЯЁ][A-ZА-ЯЁa-z]*?[A-ZА-ЯЁ])([а-яё]{1,3})$", text)
    if m and _CASE_ENDING.match(m.group(2)):
        hits += by_first.get("=" + m.group(1), [])
    return hits


@cache
def _fuzzy_key(word: str, vocab: frozenset[str]) -> str | None:
    from rapidfuzz import fuzz, process

    hit = process.extractOne(word, vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
    return hit[0] if hit else None


def _keys(token: Token, vocab: frozenset[str]) -> frozenset[str]:
    keys = token.keys
    low = token.text.lower()
    if (token.text.isascii() and token.capitalised and len(low) >= FUZZY_MIN_LENGTH
            and not keys & vocab):
        fuzzy = _fuzzy_key(low, vocab)
        if fuzzy:
            keys = keys | {fuzzy}
    return keys


def match(tokens: list[Token]) -> list[Match]:
    """Longest non-overlapping gazetteer matches, left to right; a match starts with a capital."""
    _entries, by_first, vocab = gazetteer()
    keys = [_keys(t, vocab) for t in tokens]
    out: list[Match] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        best: tuple[int, int, Entry] | None = None
        if tok.capitalised or tok.text[:1] in "«\"":
            for e in _exact_hits(tok, by_first):
                cand = (1, 2, e)
                best = cand if best is None or cand[:2] > best[:2] else best
            seen: set[int] = set()
            for k in keys[i]:
                for e in by_first.get(k, ()):
                    if id(e) in seen:
                        continue
                    seen.add(id(e))
                    n = len(e.words)
                    if i + n > len(tokens):
                        continue
                    if all(e.words[j] & keys[i + j] for j in range(1, n)):
                        cand = (n, 1, e)
                        if best is None or cand[:2] > best[:2]:
                            best = cand
        if best is None:
            i += 1
            continue
        out.append(Match(best[2], i, i + best[0]))
        i += best[0]
    return out
