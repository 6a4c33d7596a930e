"""Vectorised partner ranking: :class:`MatchIndex` scores every candidate at once.

:func:`tradecoop.registry.matching.match_enterprise` loops over nothing: the index is built once
per registry revision from the enterprises' :class:`~tradecoop.registry.matching.Profile`\\ s and a
:class:`~tradecoop.registry.matching.MatchContext`, and :meth:`MatchIndex.rank` computes each
criterion's value for all candidates with numpy:

``direction``
    inverted indexes HS heading -> rows of the enterprises that make it / need it as an input;
    the target's input headings pick the makers, its product headings the buyers.
``co_production``
    the same product-heading index (1) and HS chapter -> makers (0.5).
``io_complementarity``
    a sector x sector table of the criterion's value over the WIOD industries present, indexed
    by every enterprise's sector (computed once with :func:`~.matching.io_complementarity`).
``bec_fit``
    per enterprise: goods producer (NACE 01-33)? makes capital or intermediate goods?
``text_similarity``
    L2-normalised TF-IDF rows of the distinct descriptions of each language, IDF from all the
    registry's descriptions of that language (each enterprise counts, duplicates too); one
    sparse product gives the cosine with every distinct description.

Contributions are ``round(100 * w_k * s_k, 2)`` and the score their sum, rounded, with exactly the
floating-point operations and Python rounding of :func:`~.matching.score_pair`, so every row
equals ``score_pair(target, candidate, context, text=index.text_similarity(...))``. Only the top
rows get their ``reasons`` built, by ``score_pair`` itself (same wording).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from tradecoop.errors import NotFoundError
from tradecoop.registry.matching import (
    CAPITAL_OR_INTERMEDIATE,
    DEFAULT_PAIR,
    WEIGHTS,
    MatchContext,
    Profile,
    _heads,
    _is_producer,
    io_complementarity,
    score_pair,
    sector_of,
    text_reason,
    tfidf_vectorizer,
)

COLUMNS = ["rank", "id", "name_en", "name_ru", "location", "city", "score", *WEIGHTS, "reasons"]
_EMPTY = np.zeros(0, dtype=np.intp)
#: up to this many distinct descriptions (per language) the cosines of all pairs are kept
#: (GRAM_MAX**2 floats: 8 MiB); beyond, each ranking does one sparse matrix-vector product
GRAM_MAX = 1024


def round2(x: np.ndarray) -> np.ndarray:
    """``round(v, 2)`` of every element, as Python rounds (numpy differs only near a half cent)."""
    out = np.round(x, 2)
    scaled = x * 100
    near = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    if near.any():
        out[near] = [round(float(v), 2) for v in x[near]]
    return out


class TextModel:
    """TF-IDF rows of the distinct descriptions of one language, IDF weighted by how many
    enterprises share each description (the same as fitting on all of them, only faster).

    ``doc[i]``: row of enterprise *i*'s description in ``matrix`` (-1 where it has none).
    """

    def __init__(self, texts: Sequence[str | None]) -> None:
        from scipy import sparse
        from sklearn.preprocessing import normalize

        distinct: dict[str, int] = {}
        self.doc = np.array([distinct.setdefault(t, len(distinct)) if t else -1 for t in texts], dtype=np.intp)
        self.matrix: Any = None
        self.gram: np.ndarray | None = None
        if not distinct:
            return
        try:
            vec = tfidf_vectorizer()
            x = vec.fit_transform(list(distinct))
        except ValueError:  # no character n-gram anywhere (blank descriptions): all similarities 0
            return
        # re-weight the IDF by the number of enterprises per description: df_g counts enterprises
        shared = np.bincount(self.doc[self.doc >= 0], minlength=len(distinct)).astype(float)
        df = (x > 0).T.astype(float) @ shared
        n = shared.sum()
        idf = np.log((1 + n) / (1 + df)) + 1  # scikit-learn's smooth_idf
        x = normalize(x @ sparse.diags(idf / vec.idf_), norm="l2", copy=False)
        vec.idf_ = idf
        self.vectorizer, self.matrix = vec, x.tocsr()
        if len(distinct) <= GRAM_MAX:  # few distinct descriptions: all cosines up front
            self.gram = (self.matrix @ self.matrix.T).toarray()

    def similarities(self, row: int, rows: np.ndarray) -> np.ndarray:
        """Cosine of enterprise ``row``'s description with those of ``rows`` (0 where missing)."""
        out = np.zeros(len(rows))
        mine = self.doc[row]
        if self.matrix is None or mine < 0:
            return out
        if self.gram is not None:
            by_doc = self.gram[mine]
        else:  # one sparse product: O(non-zeros of all distinct descriptions)
            by_doc = self.matrix @ self.matrix[mine].toarray().ravel()
        theirs = self.doc[rows]
        has = theirs >= 0
        out[has] = by_doc[theirs[has]]
        return np.clip(out, 0.0, 1.0)


class MatchIndex:
    """Everything :meth:`rank` needs about ``profiles`` under ``context``, as arrays.

    Thread-safe for reading: nothing changes after construction. Profiles need unique int ids.
    """

    def __init__(self, profiles: Iterable[Profile], context: MatchContext) -> None:
        self.profiles = [Profile.of(p) for p in profiles]
        self.context = ctx = context
        self.notes = list(context.notes)
        n = len(self.profiles)
        self.ids = np.array([p.id for p in self.profiles], dtype=np.int64)
        self.row_of = {int(i): r for r, i in enumerate(self.ids)}
        if len(self.row_of) != n:
            raise ValueError("MatchIndex needs profiles with distinct ids")
        locations: dict[str | None, int] = {}
        self.location = np.array([locations.setdefault(p.location, len(locations)) for p in self.profiles], dtype=np.intp)
        self.location_code = locations
        # sectors -> the io_complementarity value of every (target sector, candidate sector)
        sectors = [sector_of(p, ctx.hs_isic) for p in self.profiles]
        names = sorted({s for s in sectors if s})
        code = {s: k for k, s in enumerate(names)}
        self.sector = np.array([code.get(s, len(names)) for s in sectors], dtype=np.intp)  # last: none
        self.io = np.zeros((len(names) + 1, len(names) + 1))
        for a in names:
            for b in names:
                self.io[code[a], code[b]] = io_complementarity(a, b, ctx.io)[0]
        # BEC fit
        self.bec = bool(ctx.hs_bec)
        self.producer = np.array([_is_producer(p.nace) for p in self.profiles], dtype=bool)
        self.goods = np.array([any(ctx.hs_bec.get(c, ctx.hs_bec.get(c[:4])) in CAPITAL_OR_INTERMEDIATE
                                   for c in p.products) for p in self.profiles], dtype=bool)
        # inverted indexes: HS heading -> makers, -> buyers; HS chapter -> makers
        self.makers = self._inverted((r, h) for r, p in enumerate(self.profiles) for h in _heads(p.products))
        self.buyers = self._inverted((r, h) for r, p in enumerate(self.profiles) for h in _heads(p.inputs))
        self.chapter_makers = self._inverted((r, c) for r, p in enumerate(self.profiles) for c in {c[:2] for c in p.products})
        self.text_en = TextModel([p.description_en for p in self.profiles])
        self.text_ru = TextModel([p.description_ru for p in self.profiles])

    @staticmethod
    def _inverted(pairs: Iterable[tuple[int, str]]) -> dict[str, np.ndarray]:
        rows: defaultdict[str, list[int]] = defaultdict(list)
        for r, key in pairs:
            rows[key].append(r)
        return {k: np.array(v, dtype=np.intp) for k, v in rows.items()}

    def __len__(self) -> int:
        return len(self.profiles)

    def _row(self, enterprise_id: int) -> int:
        row = self.row_of.get(enterprise_id)
        if row is None:
            raise NotFoundError(f"no enterprise with id {enterprise_id}")
        return row

    def candidates(self, row: int, *, across: bool) -> np.ndarray:
        """Rows of :func:`~.matching.candidates_for`: the pair's other side, or all others."""
        keep = np.ones(len(self), dtype=bool)
        if not across:
            where = self.profiles[row].location
            if where in DEFAULT_PAIR:
                other = self.location_code.get(DEFAULT_PAIR[1 - DEFAULT_PAIR.index(where)], -1)
                keep = self.location == other
            else:
                keep = self.location != self.location[row]
        keep[row] = False
        return np.flatnonzero(keep)

    def _hits(self, index: dict[str, np.ndarray], keys: Iterable[str]) -> np.ndarray:
        """Boolean row mask of the rows listed under any of ``keys``."""
        mask = np.zeros(len(self), dtype=bool)
        for k in keys:
            mask[index.get(k, _EMPTY)] = True
        return mask

    def _text(self, row: int, rows: np.ndarray) -> np.ndarray:
        return np.maximum(self.text_en.similarities(row, rows), self.text_ru.similarities(row, rows))

    def text_similarity(self, target_id: int, candidate_id: int) -> tuple[float, str]:
        """The ``text_similarity`` value (and reason) the ranking uses for this pair."""
        s = float(self._text(self._row(target_id), np.array([self._row(candidate_id)]))[0])
        return s, text_reason(s)

    def criteria(self, row: int, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Criterion values s_k in [0, 1] of target ``row`` with each of ``rows``."""
        t = self.profiles[row]
        direction = self._hits(self.makers, _heads(t.inputs)) | self._hits(self.buyers, _heads(t.products))
        same_heading = self._hits(self.makers, _heads(t.products))
        same_chapter = self._hits(self.chapter_makers, {c[:2] for c in t.products})
        co = np.where(same_heading, 1.0, np.where(same_chapter, 0.5, 0.0))
        if self.bec:
            bec = (self.producer[row] & self.goods) | (self.goods[row] & self.producer)
        else:
            bec = np.zeros(len(self), dtype=bool)
        return {
            "direction": direction[rows].astype(float),
            "io_complementarity": self.io[self.sector[row], self.sector[rows]],
            "co_production": co[rows],
            "bec_fit": bec[rows].astype(float),
            "text_similarity": self._text(row, rows),
        }

    def rank(self, target_id: int, *, across: bool = False, top: int = 10) -> pd.DataFrame:
        """Partners of ``target_id``, best first, ties by id: the frame of ``match_enterprise``."""
        columns = self._ranked(target_id, across=across, top=top)
        if columns is None:
            return pd.DataFrame(columns=COLUMNS)
        frame = pd.DataFrame(columns)  # in COLUMNS order (passing columns= would cost a reindex)
        frame.attrs["notes"] = list(self.notes)
        return frame

    def rank_records(self, target_id: int, *, across: bool = False, top: int = 10) -> list[dict[str, Any]]:
        """:meth:`rank` as a list of plain dicts (one per partner), without building a frame."""
        columns = self._ranked(target_id, across=across, top=top)
        if columns is None:
            return []
        lists = {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in columns.items()}
        return [dict(zip(lists, values, strict=True)) for values in zip(*lists.values(), strict=True)]

    def _ranked(self, target_id: int, *, across: bool, top: int) -> dict[str, Any] | None:
        """The best ``top`` candidates as columns in :data:`COLUMNS` order (None: no candidates)."""
        row = self._row(target_id)
        rows = self.candidates(row, across=across)
        if not len(rows):
            return None
        values = self.criteria(row, rows)
        points = {k: round2(100 * WEIGHTS[k] * values[k]) for k in WEIGHTS}  # score_pair's operations
        total: Any = 0
        for k in WEIGHTS:
            total = total + points[k]
        score = round2(total)
        best = np.lexsort((self.ids[rows], -score))[:top]
        t, chosen = self.profiles[row], [self.profiles[r] for r in rows[best]]
        reasons = []
        for j, c in zip(best, chosen, strict=True):
            s = float(values["text_similarity"][j])
            reasons.append(score_pair(t, c, self.context, text=(s, text_reason(s)))["reasons"])
        return {
            "rank": np.arange(1, len(best) + 1, dtype=np.int64), "id": self.ids[rows[best]],
            **{k: [getattr(c, k) for c in chosen] for k in ("name_en", "name_ru", "location", "city")},
            "score": score[best], **{k: points[k][best] for k in WEIGHTS}, "reasons": reasons,
        }
