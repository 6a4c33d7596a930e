"""Partner matchmaking: rank counterpart enterprises with reasons that add up to the score.

For a target enterprise *t* and a candidate *c* the score (0-100) is

    score = 100 * sum_k w_k * s_k,   s_k in [0, 1],   sum_k w_k = 1

with the criteria (weights in :data:`WEIGHTS`):

``direction``
    offer/request fit at HS-heading level: 1 if *c* makes an input *t* needs or *t* makes an
    input *c* needs (``inputs`` of one meet ``products`` of the other), else 0.
``io_complementarity``
    input-output linkage of their sectors, ``min(1, max(a_ct, a_tc) / IO_SATURATION)`` where
    ``a_rs`` is the domestic technical coefficient (input of sector r per unit of output of
    sector s; Leontief 1936, doi:10.2307/1927837) from the bundled WIOD 2013 table (Timmer et al.
    2015, doi:10.1111/roie.12178). An enterprise's sector is its NACE Rev.2 division mapped to the
    WIOD 2013 industries (:data:`~tradecoop.registry.match_model.NACE_TO_WIOD13`); without NACE, the HS -> ISIC Rev.4 concordance
    of its main product is used when given.
``co_production``
    1 when they share an HS heading (HS4), 0.5 when they share only an HS chapter (HS2).
``bec_fit``
    1 when one side's products are capital or intermediate goods in the UN BEC classification
    and the other side is a goods producer (NACE 01-33) that can use them, else 0.
``text_similarity``
    cosine similarity of the TF-IDF vectors of the descriptions (Salton & Buckley 1988,
    "Term-weighting approaches in automatic text retrieval", doi:10.1016/0306-4573(88)90021-0),
    English with English and Russian with Russian, the larger of the two; 0 when either side
    lacks the description. Terms *g* are character 3- to 5-grams within word boundaries, so
    inflected forms share most of their terms ("тракторы" / "тракторов"). With ``tf_dg`` the
    count of *g* in description *d*, ``N`` descriptions of which ``df_g`` contain *g*,

        w_dg = (1 + ln tf_dg) * idf_g,   idf_g = ln((1 + N) / (1 + df_g)) + 1,
        s = sum_g w_tg w_cg / (|w_t| |w_c|)

    (scikit-learn ``TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)``).
    The ranking (:class:`~tradecoop.registry.match_index.MatchIndex`) takes ``N`` and ``df`` from
    all the registry's descriptions of that language; a standalone :func:`score_pair` call only
    has the two descriptions it is given, so its value can differ.

Each criterion's contribution ``100 * w_k * s_k`` is reported, rounded to 0.01, and the score is
the sum of the rounded contributions, so the reasons add up to the score exactly. The criteria
are computed in one place, :class:`~tradecoop.registry.match_index.MatchIndex` (for all
candidates at once); :func:`score_pair` is that index's answer for two enterprises. Inputs that
are missing (no IO table, no BEC concordance) give 0 and are named in ``MatchContext.notes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tradecoop.errors import NotFoundError

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.orm import Session

    from tradecoop.registry.match_index import MatchIndex
    from tradecoop.registry.models import Enterprise

from tradecoop.registry.match_model import (  # the profile, tables and weights matching works on
    WEIGHTS,
    MatchContext,
    Profile,
    load_context,
    load_profiles,
)


# --- scoring (the one scorer is the index: tradecoop.registry.match_index) ----------------------
def score_pair(target: Any, candidate: Any, ctx: MatchContext) -> dict[str, Any]:
    """Contributions (points) of every criterion, their reasons and the score (their sum) of one
    pair: the ranking's row of ``candidate`` in an index of the two enterprises (the text IDF is
    then that of their two descriptions; see the module docstring)."""
    from dataclasses import replace

    from tradecoop.registry.match_index import MatchIndex

    pair = [replace(Profile.of(target), id=0), replace(Profile.of(candidate), id=1)]
    row = MatchIndex(pair, ctx).rank(0, across=True, top=1)[0]
    return {k: row[k] for k in (*WEIGHTS, "score", "reasons")}


def match_enterprise(session: Session, enterprise_id: int, *, across: bool = False, top: int = 10,
                     context: MatchContext | None = None) -> pd.DataFrame:
    """Rank partner enterprises for ``enterprise_id``; best first, ties by id (columns
    :data:`~tradecoop.registry.match_index.COLUMNS`, ``attrs["notes"]`` the context's notes).
    The ranking is :meth:`MatchIndex.rank <tradecoop.registry.match_index.MatchIndex.rank>` on
    the cached index (:func:`match_index`)."""
    import pandas as pd

    from tradecoop.registry.match_index import COLUMNS

    index = match_index(session, context)
    frame = pd.DataFrame(index.rank(enterprise_id, across=across, top=top), columns=COLUMNS)
    frame.attrs["notes"] = list(index.notes)
    return frame


def match_index(session: Session, context: MatchContext | None = None) -> MatchIndex:
    """The :class:`~tradecoop.registry.match_index.MatchIndex` of every enterprise, built once per
    registry revision and database and cached in this process (``repository.cached_view``).

    Without ``context``, the bundled tables (:func:`load_context`) for every product in the
    registry (the criteria look up products only). With one, an index for that context object,
    cached under its identity: the cached index keeps the context alive, so its ``id`` cannot be
    reused while the entry exists (one entry per context object and database: pass long-lived
    contexts, as the API does).
    """
    from tradecoop.registry import repository as repo
    from tradecoop.registry.match_index import MatchIndex

    def build(s: Session) -> MatchIndex:
        everyone = load_profiles(s)
        ctx = context if context is not None else load_context({c for p in everyone for c in p.products})
        return MatchIndex(everyone, ctx)

    kind = "match-index" if context is None else f"match-index:{id(context)}"
    return repo.cached_view(session, kind, build, topic="match")


def resolve_enterprise(session: Session, text: str) -> Enterprise:
    """An enterprise by id or by name in any spelling (the best search hit scoring >= 90)."""
    from tradecoop.registry import repository as repo

    if text.strip().isdigit():
        return repo.get(session, "enterprise", int(text))
    hits = repo.search_enterprises(session, text, limit=5)
    if hits and hits[0][1] >= 90:
        return hits[0][0]
    close = ", ".join(f"{e.name_en} (id {e.id})" for e, _ in hits) or "none"
    raise NotFoundError(f"no enterprise clearly named {text!r}; close matches: {close}")


# --- for the opportunity engine and the briefs ------------------------------------------------
#: points for an enterprise that makes the product (exact heading / same chapter) or needs it
PRODUCT_POINTS = {"makes_heading": 60.0, "makes_chapter": 30.0, "needs_heading": 40.0, "needs_chapter": 20.0}


def partners_for_product(session: Session, hs: str, location: str, *, top: int = 10) -> pd.DataFrame:
    """Enterprises in ``location`` that make HS code ``hs`` or need it as an input.

    Points (:data:`PRODUCT_POINTS`): makes the same heading 60 (same chapter 30), needs the same
    heading 40 (same chapter 20); ``score`` is their sum (0-100), best first, ties by id.
    """
    import pandas as pd

    from tradecoop.registry import repository as repo
    from tradecoop.registry.records import check_hs, check_location

    hs, location = check_hs(hs, "hs"), check_location(location)
    rows = []
    for e in repo.enterprises_by_location(session, location):
        pts = {k: 0.0 for k in PRODUCT_POINTS}
        for p in e.products:
            verb = "makes" if p.role == "product" else "needs"
            if p.hs_code[:4] == hs[:4] and len(hs) >= 4:
                pts[f"{verb}_heading"] = PRODUCT_POINTS[f"{verb}_heading"]
            elif p.hs_code[:2] == hs[:2]:
                pts[f"{verb}_chapter"] = max(pts[f"{verb}_chapter"], PRODUCT_POINTS[f"{verb}_chapter"])
        if pts["makes_heading"]:
            pts["makes_chapter"] = 0.0
        if pts["needs_heading"]:
            pts["needs_chapter"] = 0.0
        score = sum(pts.values())
        if score > 0:
            rows.append({"id": e.id, "name_en": e.name_en, "location": e.location, "city": e.city, **pts, "score": score})
    cols = ["id", "name_en", "location", "city", *PRODUCT_POINTS, "score"]
    if not rows:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(rows).sort_values(["score", "id"], ascending=[False, True], kind="mergesort").head(top)[cols].reset_index(drop=True)
