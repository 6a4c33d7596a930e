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
PostgreSQL. A query first gathers candidate names from an in-memory index (exact, prefix and
substring matches and the names sharing the most character trigrams, as pg_trgm would), then
scores them with rapidfuzz (``WRatio`` of the query skeleton against each name skeleton, plus an
exact-prefix bonus) and returns them best first; see :class:`SearchIndex`.
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
#: how many names sharing the most trigrams with the query are scored (besides every exact and
#: prefix match); see :class:`SearchIndex`
CANDIDATES = 256


def trigrams(compact: str) -> set[str]:
    """Character trigrams of a skeleton without spaces, padded as pg_trgm pads a word ("  ab ")."""
    padded = f"  {compact} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class SearchIndex:
    """The names of many records as skeletons, searched in two steps.

    1. *Candidates* (as PostgreSQL's pg_trgm or a search engine's fuzzy query would find them):
       every name whose skeleton equals the query (spaces ignored), starts with it (the whole
       name or one of its words; binary search in sorted lists), contains it, or is contained
       in it, plus the :data:`CANDIDATES` names with the highest trigram Dice coefficient
       ``2|T(q) & T(n)| / (|T(q)| + |T(n)|)`` with the query, counted from an inverted index.
       Queries under three letters, and indexes of at most :data:`CANDIDATES` names, score
       every name.
    2. *Scores* of the candidates only: 100 for an identical skeleton, else
       ``max(WRatio(query, name), ratio(query, name) without spaces)`` (rapidfuzz), raised to
       :data:`PREFIX_SCORE` when the query (3+ letters) starts the name or one of its words.

    A record's score is its best name's score. Scoring every name with WRatio costs about 1 us
    a name (11 ms for 10,000); the candidate step keeps a search near a millisecond. A name
    that shares few trigrams with the query and is not a prefix match is not scored: such
    names rarely reach :data:`MIN_SCORE`: on 1,000 misspelt, truncated and scrambled queries
    against 10,000 generated names the first hit equalled exhaustive scoring's in 984 and the
    top ten in 938 (the rest were weak 72-75 partial matches of scrambled queries); a list's
    ``total`` counts the matching candidates only. ``test_search`` checks the agreement.
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
        self.names = names
        self.compact = [n.replace(" ", "") for n in names]
        self._by_compact: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        sizes = np.zeros(len(names), dtype=np.float64)
        starts: list[tuple[str, int]] = []  # (compact name or a word-start suffix of the name, row)
        for row, (name, compact) in enumerate(zip(names, self.compact, strict=True)):
            self._by_compact.setdefault(compact, []).append(row)
            grams = trigrams(compact)
            sizes[row] = len(grams)
            for g in grams:
                postings.setdefault(g, []).append(row)
            starts.append((compact, row))
            starts += [(name[i + 1 :], row) for i, ch in enumerate(name) if ch == " "]
            starts.append((name, row))
        starts.sort()
        self._start_keys = [k for k, _ in starts]
        self._start_rows = [r for _, r in starts]
        self._postings = {g: np.asarray(r, dtype=np.int64) for g, r in postings.items()}
        self._sizes = sizes

    def __len__(self) -> int:
        return len(set(self.ids))

    def _prefix_rows(self, text: str) -> list[int]:
        """Rows whose compact name, name or one of its words starts with ``text``."""
        import bisect

        lo = bisect.bisect_left(self._start_keys, text)
        hi = bisect.bisect_left(self._start_keys, text + "\uffff")
        return self._start_rows[lo:hi]

    def candidates(self, q: str) -> list[int]:
        """Rows to score for the skeleton ``q`` (step 1 above), in ascending order."""
        import numpy as np

        qc = q.replace(" ", "")
        if len(qc) < 3:  # too short for trigrams: score every name
            return list(range(len(self.names)))
        rows = set(self._by_compact.get(qc, ()))
        rows.update(self._prefix_rows(qc))
        rows.update(self._prefix_rows(q))
        for i in range(len(qc) - 1):  # names inside the query ("ural" in "uralagromasg")
            for j in range(i + 2, len(qc) + 1):
                rows.update(self._by_compact.get(qc[i:j], ()))
        none = np.zeros(0, dtype=np.int64)
        inner = sorted((self._postings.get(qc[i : i + 3], none) for i in range(len(qc) - 2)), key=len)
        common = inner[0]
        for p in inner[1:]:  # names containing every trigram of the query, then the query itself
            common = np.intersect1d(common, p, assume_unique=True)
        rows.update(r for r in common.tolist() if qc in self.compact[r])
        grams = [self._postings[g] for g in trigrams(qc) if g in self._postings]
        if grams:
            shared = np.bincount(np.concatenate(grams), minlength=len(self.names))
            hit = np.flatnonzero(shared)
            dice = 2 * shared[hit] / (len(trigrams(qc)) + self._sizes[hit])
            if len(hit) > CANDIDATES:  # the best CANDIDATES, ties by row for determinism
                hit = hit[np.lexsort((hit, -dice))[:CANDIDATES]]
            rows.update(hit.tolist())
        return sorted(rows)

    def scores(self, query: str, *, exhaustive: bool = False) -> dict[int, float]:
        """Best score (0-100) per record id for ``query`` (any spelling), among the candidates,
        or among all names with ``exhaustive`` (the default when there are at most
        :data:`CANDIDATES` names)."""
        import numpy as np
        from rapidfuzz import fuzz, process

        q = skeleton(query)
        if not q or not self.names:
            return {}
        qc = q.replace(" ", "")
        exhaustive = exhaustive or len(self.names) <= CANDIDATES
        rows = list(range(len(self.names))) if exhaustive else self.candidates(q)
        if not rows:
            return {}
        names = [self.names[r] for r in rows]
        compact = [self.compact[r] for r in rows]
        s = np.maximum(
            process.cdist([q], names, scorer=fuzz.WRatio, dtype=np.float32)[0],
            process.cdist([qc], compact, scorer=fuzz.ratio, dtype=np.float32)[0],
        ).astype(np.float64)
        if len(qc) >= 3:
            qp = f" {q}"
            prefix = np.fromiter((c.startswith(qc) or qp in f" {n}" for c, n in zip(compact, names, strict=True)),
                                 bool, len(rows))
            s = np.where(prefix, np.maximum(s, PREFIX_SCORE), s)
        s = np.where(np.fromiter((c == qc for c in compact), bool, len(rows)), 100.0, s)
        best: dict[int, float] = {}
        for r, v in zip(rows, s.tolist(), strict=True):
            rid = self.ids[r]
            if v > best.get(rid, -1.0):
                best[rid] = v
        return best

    def rank(self, query: str, *, limit: int = 20, min_score: float = MIN_SCORE,
             allowed: set[int] | None = None, exhaustive: bool = False) -> list[Hit]:
        """Records scoring at least ``min_score``, best first, ties by id (``allowed``: id filter)."""
        hits = [Hit(i, round(v, 2)) for i, v in self.scores(query, exhaustive=exhaustive).items()
                if v >= min_score and (allowed is None or i in allowed)]
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]


def rank(query: str, keys: Sequence[tuple[int, str]], *, limit: int = 20, min_score: float = MIN_SCORE) -> list[Hit]:
    """Rank ``(id, search_key)`` pairs against ``query``; ties broken by id for determinism."""
    return SearchIndex(keys).rank(query, limit=limit, min_score=min_score)
