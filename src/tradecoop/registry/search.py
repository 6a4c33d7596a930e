"""Find enterprises by any spelling of their name.

Every name and alias is reduced to a *Latin skeleton*:

1. transliterate to ASCII with ``anyascii`` (a maintained Unicode-to-ASCII table; Russian
   ``Гомсельмаш`` -> ``Gomsel'mash``, Belarusian ``Гомсельмаш`` -> ``Gomsel'mash``);
2. lower-case and keep letters and digits only;
3. fold the letters that different transliteration schemes disagree on: ``h -> g`` (Belarusian
   and Ukrainian Г is spelt *H*: *Homselmash*), ``kh -> h -> g``, ``w -> v``, ``y/j -> i``,
   ``q -> k``, ``x -> ks``, ``c -> k`` (not before *h*), and collapse doubled letters.

``Гомсельмаш``, ``гомсельмаш``, ``Gomselmash`` and ``Homselmash`` all give ``gomselmasg``. The
skeletons of a record are stored in ``Enterprise.search_key`` (written by the service on every
write), so search needs no database-specific functions and behaves the same on SQLite and
PostgreSQL. Candidates are scored with rapidfuzz (``WRatio`` of the query skeleton against each
name skeleton, plus an exact-prefix and token bonus) and returned best first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_DOUBLE = re.compile(r"([a-z])\1+")
_C_NOT_H = re.compile(r"c(?!h)")  # Latin "c" of "tractor" is the "k" of "traktor"
#: applied in order; multi-letter rules first
_FOLDS: tuple[tuple[str, str], ...] = (
    ("shch", "sh"),
    ("kh", "h"),
    ("ck", "k"),
    ("x", "ks"),
    ("h", "g"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    ("q", "k"),
)
#: a candidate must score at least this (0-100) to be returned
MIN_SCORE = 70.0
#: legal-form words that carry no identity ("OAO", "JSC", "PAO" ...), dropped from skeletons
_STOPWORDS = frozenset(
    {"oao", "ooo", "ao", "pao", "zao", "jsc", "ojsc", "pjsc", "cjsc", "llc", "ltd", "rup", "uop",
     "the", "plant", "zavod", "company", "holding", "managing", "upravliaiushchaia", "kompaniia"}
)


def transliterate(text: str) -> str:
    """ASCII transliteration (``anyascii``) of ``text``."""
    from anyascii import anyascii

    return anyascii(text)


def skeleton(text: str) -> str:
    """Latin skeleton of a name: transliterated, lower-case, letter folds applied.

    >>> skeleton("Гомсельмаш") == skeleton("Homselmash") == skeleton("gomselmash")
    True
    """
    s = _NON_ALNUM.sub(" ", transliterate(text).lower().replace("'", ""))
    words = [w for w in _SPACES.split(s) if w and w not in _STOPWORDS]
    out = []
    for w in words:
        w = _C_NOT_H.sub("k", w)
        for a, b in _FOLDS:
            w = w.replace(a, b)
        out.append(_DOUBLE.sub(r"\1", w))
    return " ".join(out)


def search_key(names: Iterable[str | None]) -> str:
    """The stored search key: distinct skeletons of the names, ``|``-separated."""
    seen: list[str] = []
    for name in names:
        if name:
            sk = skeleton(name)
            if sk and sk not in seen:
                seen.append(sk)
    return "|".join(seen)


@dataclass(frozen=True)
class Hit:
    id: int
    score: float


def score_key(query_skeleton: str, key: str) -> float:
    """Best rapidfuzz score (0-100) of a query skeleton against one stored search key."""
    from rapidfuzz import fuzz

    best = 0.0
    q_compact = query_skeleton.replace(" ", "")
    for name in key.split("|"):
        if not name:
            continue
        compact = name.replace(" ", "")
        if compact == q_compact:
            return 100.0
        s = max(fuzz.WRatio(query_skeleton, name), fuzz.ratio(q_compact, compact))
        # abbreviations and word starts: "mmk" or "magnitogorsk" inside a longer name
        if len(q_compact) >= 3 and (compact.startswith(q_compact) or f" {query_skeleton}" in f" {name}"):
            s = max(s, 90.0)
        best = max(best, s)
    return best


def rank(query: str, keys: Sequence[tuple[int, str]], *, limit: int = 20, min_score: float = MIN_SCORE) -> list[Hit]:
    """Rank ``(id, search_key)`` pairs against ``query``; ties broken by id for determinism."""
    q = skeleton(query)
    if not q:
        return []
    hits = [Hit(i, round(score_key(q, k), 2)) for i, k in keys]
    hits = [h for h in hits if h.score >= min_score]
    hits.sort(key=lambda h: (-h.score, h.id))
    return hits[:limit]
