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


#: score given to a query that is a prefix of a name or starts one of its words (3+ letters)
PREFIX_SCORE = 90.0


class SearchIndex:
    """The names of many records as skeletons, scored against a query in one vectorised pass.

    A record's score is its best name's score: 100 for an identical skeleton (spaces ignored),
    else ``max(WRatio(query, name), ratio(query, name) without spaces)``, raised to
    :data:`PREFIX_SCORE` when the query (3+ letters) starts the name or one of its words.
    """

    def __init__(self, keys: Iterable[tuple[int, str]]) -> None:
        import numpy as np

        ids, names = [], []
        for rid, key in keys:
            for name in key.split("|"):
                if name:
                    ids.append(rid)
                    names.append(name)
        self.ids = ids
        self._ids = np.asarray(ids, dtype=np.int64)
        order = np.argsort(self._ids, kind="stable")
        self._order = order
        sorted_ids = self._ids[order]
        starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]]) if len(ids) else np.array([], dtype=np.int64)
        self._starts = starts
        self._unique = sorted_ids[starts] if len(ids) else sorted_ids
        self.names = names
        self.compact = [n.replace(" ", "") for n in names]
        self.padded = [f" {n}" for n in names]

    def __len__(self) -> int:
        return len(set(self.ids))

    def scores(self, query: str) -> dict[int, float]:
        """Best score (0-100) per record id for ``query`` (any spelling)."""
        import numpy as np
        from rapidfuzz import fuzz, process

        q = skeleton(query)
        if not q or not self.names:
            return {}
        qc = q.replace(" ", "")
        s = np.maximum(
            process.cdist([q], self.names, scorer=fuzz.WRatio, dtype=np.float32)[0],
            process.cdist([qc], self.compact, scorer=fuzz.ratio, dtype=np.float32)[0],
        ).astype(np.float64)
        if len(qc) >= 3:
            qp = f" {q}"
            prefix = np.fromiter((c.startswith(qc) or qp in p for c, p in zip(self.compact, self.padded, strict=True)), bool, len(self.names))
            s = np.where(prefix, np.maximum(s, PREFIX_SCORE), s)
        exact = np.fromiter((c == qc for c in self.compact), bool, len(self.names))
        s = np.where(exact, 100.0, s)
        best = np.maximum.reduceat(s[self._order], self._starts)  # best name per record id
        return dict(zip(self._unique.tolist(), best.tolist(), strict=True))

    def rank(self, query: str, *, limit: int = 20, min_score: float = MIN_SCORE,
             allowed: set[int] | None = None) -> list[Hit]:
        """Records scoring at least ``min_score``, best first, ties by id (``allowed``: id filter)."""
        hits = [Hit(i, round(v, 2)) for i, v in self.scores(query).items()
                if v >= min_score and (allowed is None or i in allowed)]
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]


def rank(query: str, keys: Sequence[tuple[int, str]], *, limit: int = 20, min_score: float = MIN_SCORE) -> list[Hit]:
    """Rank ``(id, search_key)`` pairs against ``query``; ties broken by id for determinism."""
    return SearchIndex(keys).rank(query, limit=limit, min_score=min_score)
