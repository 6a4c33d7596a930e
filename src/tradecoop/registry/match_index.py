"""The partner scorer: :class:`MatchIndex` scores every candidate of a target at once.

This is the only implementation of the criteria of :mod:`tradecoop.registry.matching` (module
docstring there): the ranking (:meth:`MatchIndex.rank`) and the explanation of one pair
(:func:`~tradecoop.registry.matching.score_pair`, an index of the two enterprises) both take
their numbers from :meth:`MatchIndex.criteria`. The index is built once per registry revision
from the enterprises' :class:`~tradecoop.registry.match_model.Profile`\\ s and a
:class:`~tradecoop.registry.match_model.MatchContext` (features per enterprise: HS headings and
chapters, WIOD sector, producer or not, capital/intermediate goods; inverted indexes heading ->
enterprises; TF-IDF rows of the descriptions), and each criterion is then one numpy operation over
all candidates:

``direction``
    the target's input headings pick the makers, its product headings the buyers.
``co_production``
    makers of its product headings (1), else makers in its HS chapters (0.5).
``io_complementarity``
    a sector x sector table of the criterion's value, indexed by both sides' sectors.
``bec_fit``
    (target is a producer and the candidate makes capital/intermediate goods) or the reverse.
``text_similarity``
    one sparse product of the target's TF-IDF row with those of the distinct descriptions.

Contributions are ``100 * w_k * s_k`` rounded to 0.01 and the score is their sum. The reasons of the
rows returned name what each positive contribution rests on (:meth:`MatchIndex.explain`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from tradecoop.errors import NotFoundError
from tradecoop.registry.match_model import (
    CAPITAL_OR_INTERMEDIATE,
    DEFAULT_PAIR,
    IO_SATURATION,
    WEIGHTS,
    MatchContext,
    Profile,
    sector_of,
)

COLUMNS = ["rank", "id", "name_en", "name_ru", "location", "city", "score", *WEIGHTS, "reasons"]
_EMPTY = np.zeros(0, dtype=np.intp)
#: the text model: TF-IDF of character 3- to 5-grams within word boundaries, sublinear tf
TFIDF_OPTIONS: Mapping[str, Any] = {"analyzer": "char_wb", "ngram_range": (3, 5), "sublinear_tf": True}


def tfidf_vectorizer() -> Any:
    """A fresh (unfitted) scikit-learn ``TfidfVectorizer`` with :data:`TFIDF_OPTIONS`."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(**TFIDF_OPTIONS)


def text_reason(s: float) -> str:
    return f"descriptions {s:.0%} similar" if s > 0 else ""


def heads(codes: Iterable[str]) -> frozenset[str]:
    """HS headings (the first four digits) of ``codes``; shorter codes have none."""
    return frozenset(c[:4] for c in codes if len(c) >= 4)


def chapters(codes: Iterable[str]) -> frozenset[str]:
    return frozenset(c[:2] for c in codes)


def is_producer(nace: str | None) -> bool:
    """A goods producer: NACE division 01-33."""
    return bool(nace) and nace[:2].isdigit() and 1 <= int(nace[:2]) <= 33


def io_link(t_sector: str | None, c_sector: str | None, io: Mapping[tuple[str, str], float]) -> tuple[float, str]:
    """The larger technical coefficient between the two sectors, either way, and its flow."""
    if not t_sector or not c_sector:
        return 0.0, ""
    a_ct, a_tc = io.get((c_sector, t_sector), 0.0), io.get((t_sector, c_sector), 0.0)
    if max(a_ct, a_tc) <= 0:
        return 0.0, ""
    return (a_ct, f"{c_sector} -> {t_sector}") if a_ct >= a_tc else (a_tc, f"{t_sector} -> {c_sector}")


class TextModel:
    """TF-IDF rows of the distinct descriptions of one language, IDF weighted by how many
    enterprises share each description (the same as fitting on all of them, only faster).

    ``doc[i]``: row of enterprise *i*'s description in ``matrix`` (-1 where it has none).
    """

    def __init__(self, texts: Sequence[str | None]) -> None:
        distinct: dict[str, int] = {}
        self.doc = np.array([distinct.setdefault(t, len(distinct)) if t else -1 for t in texts], dtype=np.intp)
        self.matrix: Any = None
        if not distinct:
            return
        from scipy import sparse
        from sklearn.preprocessing import normalize

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

    def similarities(self, row: int, rows: np.ndarray) -> np.ndarray:
        """Cosine of enterprise ``row``'s description with those of ``rows`` (0 where missing)."""
        out = np.zeros(len(rows))
        mine = self.doc[row]
        if self.matrix is None or mine < 0:
            return out
        by_doc = self.matrix @ self.matrix[mine].toarray().ravel()  # O(non-zeros of the distinct rows)
        theirs = self.doc[rows]
        has = theirs >= 0
        out[has] = by_doc[theirs[has]]
        return np.clip(out, 0.0, 1.0)


class MatchIndex:
    """Everything :meth:`rank` needs about ``profiles`` under ``context``, as arrays.

    Thread-safe for reading: nothing changes after construction. Profiles need unique ids.
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
        # features per enterprise (the reasons are written from these too)
        self.product_heads = [heads(p.products) for p in self.profiles]
        self.input_heads = [heads(p.inputs) for p in self.profiles]
        self.product_chapters = [chapters(p.products) for p in self.profiles]
        self.sectors = [sector_of(p, ctx.hs_isic) for p in self.profiles]
        bec = ctx.hs_bec
        self.capital_goods = [sorted(c for c in p.products if bec.get(c, bec.get(c[:4])) in CAPITAL_OR_INTERMEDIATE)
                              for p in self.profiles]
        self.producer = np.array([is_producer(p.nace) for p in self.profiles], dtype=bool)
        self.goods = np.array([bool(g) for g in self.capital_goods], dtype=bool)
        # io_complementarity of every (target sector, candidate sector); the last code: no sector
        names = sorted({s for s in self.sectors if s})
        code = {s: k for k, s in enumerate(names)}
        self.sector = np.array([code.get(s, len(names)) for s in self.sectors], dtype=np.intp)
        self.io = np.zeros((len(names) + 1, len(names) + 1))
        for a in names:
            for b in names:
                self.io[code[a], code[b]] = min(1.0, io_link(a, b, ctx.io)[0] / IO_SATURATION)
        # inverted indexes: HS heading -> makers, -> buyers; HS chapter -> makers
        self.makers = self._inverted(self.product_heads)
        self.buyers = self._inverted(self.input_heads)
        self.chapter_makers = self._inverted(self.product_chapters)
        self.text_en = TextModel([p.description_en for p in self.profiles])
        self.text_ru = TextModel([p.description_ru for p in self.profiles])

    @staticmethod
    def _inverted(keys_per_row: list[frozenset[str]]) -> dict[str, np.ndarray]:
        rows: defaultdict[str, list[int]] = defaultdict(list)
        for r, keys in enumerate(keys_per_row):
            for key in keys:
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
        """Rows of the partners considered: the pair's other location (:data:`DEFAULT_PAIR`), any
        other location for an enterprise outside the pair, or everyone else with ``across``."""
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

    def criteria(self, row: int, rows: np.ndarray) -> dict[str, np.ndarray]:
        """Criterion values s_k in [0, 1] of target ``row`` with each of ``rows``."""
        direction = self._hits(self.makers, self.input_heads[row]) | self._hits(self.buyers, self.product_heads[row])
        same_heading = self._hits(self.makers, self.product_heads[row])
        same_chapter = self._hits(self.chapter_makers, self.product_chapters[row])
        co = np.where(same_heading, 1.0, np.where(same_chapter, 0.5, 0.0))
        bec = (self.producer[row] & self.goods) | (self.goods[row] & self.producer)
        text = np.maximum(self.text_en.similarities(row, rows), self.text_ru.similarities(row, rows))
        return {
            "direction": direction[rows].astype(float),
            "io_complementarity": self.io[self.sector[row], self.sector[rows]],
            "co_production": co[rows],
            "bec_fit": bec[rows].astype(float),
            "text_similarity": text,
        }

    def explain(self, row: int, other: int, points: Mapping[str, float], text: float) -> str:
        """The reasons of the contributions ``points`` (> 0) of enterprise ``other`` for ``row``."""
        why: dict[str, str] = {}
        supplies = self.input_heads[row] & self.product_heads[other]
        buys = self.input_heads[other] & self.product_heads[row]
        parts = []
        if supplies:
            parts.append("makes inputs you need: " + ", ".join(sorted(supplies)))
        if buys:
            parts.append("needs what you make: " + ", ".join(sorted(buys)))
        why["direction"] = "; ".join(parts)
        a, flow = io_link(self.sectors[row], self.sectors[other], self.context.io)
        why["io_complementarity"] = f"input-output coefficient {flow} = {a:.3f}" if a > 0 else ""
        same = self.product_heads[row] & self.product_heads[other]
        shared_chapters = self.product_chapters[row] & self.product_chapters[other]
        why["co_production"] = (f"same HS headings: {', '.join(sorted(same))}" if same
                                else f"same HS chapters: {', '.join(sorted(shared_chapters))}")
        goods = (self.capital_goods[other] if self.producer[row] else []) + (
            self.capital_goods[row] if self.producer[other] else [])
        why["bec_fit"] = "capital/intermediate goods for a producer: " + ", ".join(goods)
        why["text_similarity"] = text_reason(text)
        return " | ".join(f"{k} +{points[k]:.2f}: {why[k]}" for k in WEIGHTS if points[k] > 0 and why[k])

    def rank(self, target_id: int, *, across: bool = False, top: int = 10) -> list[dict[str, Any]]:
        """The best ``top`` partners of ``target_id`` (rows in :data:`COLUMNS` order), best first,
        ties by id; ``[]`` when there is no candidate."""
        row = self._row(target_id)
        rows = self.candidates(row, across=across)
        if not len(rows):
            return []
        values = self.criteria(row, rows)
        points = {k: np.round(100 * WEIGHTS[k] * values[k], 2) for k in WEIGHTS}
        score = np.round(sum(points[k] for k in WEIGHTS), 2)
        out = []
        for rank, j in enumerate(np.lexsort((self.ids[rows], -score))[:top], start=1):
            c, mine = self.profiles[rows[j]], {k: float(points[k][j]) for k in WEIGHTS}
            out.append({"rank": rank, "id": c.id, "name_en": c.name_en, "name_ru": c.name_ru, "location": c.location,
                        "city": c.city, "score": float(score[j]), **mine,
                        "reasons": self.explain(row, int(rows[j]), mine, float(values["text_similarity"][j]))})
        return out
