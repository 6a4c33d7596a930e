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
from typing import Any

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


class _SortedStrings:
    """Strings in sorted order, each with the row it came from."""

    __slots__ = ("keys", "rows")

    def __init__(self, pairs: Iterable[tuple[str, int]]) -> None:
        ordered = sorted(pairs)
        self.keys = [k for k, _ in ordered]
        self.rows = [r for _, r in ordered]

    def starting(self, text: str) -> list[int]:
        """Rows of the strings that start with ``text`` (binary search)."""
        import bisect

        lo = bisect.bisect_left(self.keys, text)
        return self.rows[lo : bisect.bisect_left(self.keys, text + "\uffff", lo)]


class SearchIndex:
    """The names of many records as skeletons, searched in two steps.

    1. *Candidates* (as PostgreSQL's pg_trgm or a search engine's fuzzy query would find them):
       every name whose skeleton equals the query (spaces ignored), starts with it (the whole
       name or one of its words), contains it (a name's tail starts with it; binary search in
       sorted lists for both), or is contained in it, plus the :data:`CANDIDATES` names with
       the highest trigram Dice coefficient
       ``2|T(q) & T(n)| / (|T(q)| + |T(n)|)`` with the query, counted from an inverted index.
       Queries under three letters, and indexes of at most :data:`CANDIDATES` names, score
       every name.
    2. *Scores* of the candidates only: 100 for an identical skeleton, else
       ``max(WRatio(query, name), ratio(query, name) without spaces)`` (rapidfuzz), raised to
       :data:`PREFIX_SCORE` when the query (3+ letters) starts the name or one of its words.

    A record's score is its best name's score. Scoring every name with WRatio costs about 1 us
    a name (11 ms for 10,000); the candidate step keeps a search under half a millisecond. A name
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
        self._ids = np.asarray(ids, dtype=np.int64)
        self._by_compact: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        sizes = np.zeros(len(names), dtype=np.float64)
        words: list[tuple[str, int]] = []  # (the name or its tail from a word start, row)
        for row, (name, compact) in enumerate(zip(names, self.compact, strict=True)):
            self._by_compact.setdefault(compact, []).append(row)
            grams = trigrams(compact)
            sizes[row] = len(grams)
            for g in grams:
                postings.setdefault(g, []).append(row)
            words.append((name, row))
            words += [(name[i + 1 :], row) for i, ch in enumerate(name) if ch == " "]
        self._names_arr = np.asarray(names, dtype=object)
        self._compact_arr = np.asarray(self.compact, dtype=object)
        self._compact_sorted = _SortedStrings((c, r) for r, c in enumerate(self.compact))
        # every tail of 3+ letters of every compact name: the names containing a query
        self._suffixes = _SortedStrings((c[i:], r) for r, c in enumerate(self.compact) for i in range(len(c) - 2))
        self._words_sorted = _SortedStrings(words)
        lengths = [len(c) for c in self.compact]
        self._compact_lengths = (max(2, min(lengths, default=2)), max(lengths, default=2))
        self._postings = {g: np.asarray(r, dtype=np.int64) for g, r in postings.items()}
        self._sizes = sizes
        self._row_eps = np.arange(len(names)) * 1e-12
        self._lengths = np.asarray([len(n) for n in names], dtype=np.int64)
        self._one_word = np.asarray([" " not in n for n in names], dtype=bool)
        self._records = len(set(ids))

    def __len__(self) -> int:
        """Number of records (a record has one or more names)."""
        return self._records

    def _prefix_rows(self, q: str) -> set[int]:
        """Rows that get :data:`PREFIX_SCORE`: the compact name starts with the compact query, or
        the name or one of its words starts with the query (3+ letters)."""
        qc = q.replace(" ", "")
        if len(qc) < 3:
            return set()
        return set(self._compact_sorted.starting(qc)) | set(self._words_sorted.starting(q))

    def _candidates(self, q: str, prefix: set[int]) -> Any:
        """Rows to score for the skeleton ``q`` (step 1 above), ascending; ``prefix``: its prefix rows."""
        import numpy as np

        qc = q.replace(" ", "")
        n = len(self.names)
        if len(qc) < 3:  # too short for trigrams: score every name
            return np.arange(n)
        chosen = np.zeros(n, dtype=bool)
        rows = list(prefix)
        rows += self._suffixes.starting(qc)  # names containing the query
        get = self._by_compact.get
        shortest, longest = self._compact_lengths
        for i in range(len(qc) - shortest + 1):  # names equal to the query or inside it ("ural" in "uralagromasg")
            for j in range(i + shortest, min(len(qc), i + longest) + 1):
                found = get(qc[i:j])
                if found:
                    rows += found
        if rows:
            chosen[rows] = True
        grams = trigrams(qc)
        present = [self._postings[g] for g in grams if g in self._postings]
        if present:
            shared = np.bincount(np.concatenate(present), minlength=n)
            if n > CANDIDATES:
                # the CANDIDATES highest Dice 2|T(q) & T(n)| / (|T(q)| + |T(n)|), halved here; ties
                # go to the lower row (Dice steps are >> 1e-12 * rows)
                key = np.divide(shared, self._sizes + len(grams))
                key -= self._row_eps
                chosen |= (key >= np.partition(key, n - CANDIDATES)[n - CANDIDATES]) & (shared > 0)
            else:
                chosen[shared > 0] = True
        return np.flatnonzero(chosen)

    def _scored(self, query: str, exhaustive: bool, cutoff: float = 0.0) -> tuple[Any, Any]:
        """(record ids, scores) of the scored names, one entry per name (step 2 above).

        ``cutoff``: scores below it may be returned as 0 (rapidfuzz then skips hopeless pairs).
        """
        import numpy as np
        from rapidfuzz import fuzz, process

        q = skeleton(query)
        if not q or not self.names:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        qc = q.replace(" ", "")
        prefix = self._prefix_rows(q)
        if exhaustive or len(self.names) <= CANDIDATES:
            rows = np.arange(len(self.names))
        else:
            rows = self._candidates(q, prefix)
        s = process.cdist([qc], self._compact_arr[rows], scorer=fuzz.ratio, dtype=np.float32,
                          score_cutoff=cutoff)[0].astype(np.float64)
        # WRatio takes ratio, token and partial scores; for two one-word strings (spaces are only
        # between words) it reduces to ratio when their lengths differ by less than half, and to
        # max(ratio, 0.9 x partial_ratio) otherwise (0.6 x beyond eight times), whose token
        # variants repeat partial_ratio: only that is computed for them, WRatio for the rest.
        # test_search checks both identities against rapidfuzz.
        if " " in q:  # every pair has several words on one side: WRatio for all
            several = np.arange(len(rows))
        else:
            one_word = self._one_word[rows]
            several = np.flatnonzero(~one_word)
            length = self._lengths[rows]
            longer, shorter = np.maximum(length, len(q)), np.minimum(length, len(q))
            wide = np.flatnonzero(one_word & (2 * longer >= 3 * shorter))
            if len(wide):
                # (the cutoff a little below cutoff / 0.9: rapidfuzz drops a partial_ratio of exactly
                # 70 / 0.9 at that cutoff, which WRatio keeps)
                partial = process.cdist([q], self._names_arr[rows[wide]], scorer=fuzz.partial_ratio,
                                        dtype=np.float64, score_cutoff=max(0.0, cutoff / 0.9 - 0.01))[0]
                partial *= np.where(longer[wide] <= 8 * shorter[wide], 0.9, 0.6)
                s[wide] = np.maximum(s[wide], partial.astype(np.float32))
        if len(several):
            s[several] = np.maximum(s[several], process.cdist([q], self._names_arr[rows[several]], scorer=fuzz.WRatio,
                                                              dtype=np.float32, score_cutoff=cutoff)[0])
        for marked, floor in ((prefix, PREFIX_SCORE), (self._by_compact.get(qc, ()), 100.0)):
            if marked:  # every marked row is among the (sorted) rows
                at = np.searchsorted(rows, np.fromiter(marked, np.int64, len(marked)))
                s[at] = np.maximum(s[at], floor) if floor < 100 else floor
        return self._ids[rows], s

    def rank(self, query: str, *, limit: int = 20, min_score: float = MIN_SCORE,
             allowed: set[int] | None = None, exhaustive: bool = False) -> list[Hit]:
        """Records scoring at least ``min_score``, best first, ties by id (``allowed``: id filter)."""
        import numpy as np

        ids, s = self._scored(query, exhaustive, cutoff=min_score)
        hit = np.flatnonzero(s >= min_score)
        ids, s = ids[hit], s[hit].round(2)
        order = np.lexsort((ids, -s))  # best first, ties by id: a record's first name is its best
        best: dict[int, float] = {}
        for rid, score in zip(ids[order].tolist(), s[order].tolist(), strict=True):
            if rid not in best and (allowed is None or rid in allowed):
                best[rid] = score
                if len(best) == limit:
                    break
        return [Hit(rid, score) for rid, score in best.items()]


def rank(query: str, keys: Sequence[tuple[int, str]], *, limit: int = 20, min_score: float = MIN_SCORE) -> list[Hit]:
    """Rank ``(id, search_key)`` pairs against ``query``; ties broken by id for determinism."""
    return SearchIndex(keys).rank(query, limit=limit, min_score=min_score)
