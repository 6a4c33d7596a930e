"""What partner matching works on: the enterprise profile, the reference tables (input-output
coefficients, HS -> ISIC/BEC concordances) and the criteria's weights and constants.

Plain data and loaders, below both the one scorer (:mod:`tradecoop.registry.match_index`) and
the matching use cases (:mod:`tradecoop.registry.matching`), so that neither imports the other
back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.orm import Session

WEIGHTS: Mapping[str, float] = {
    "direction": 0.30,
    "io_complementarity": 0.25,
    "co_production": 0.20,
    "bec_fit": 0.15,
    "text_similarity": 0.10,
}
#: a technical coefficient of 0.15 (15 cents of the input per dollar of output) or more counts
#: as a full linkage; the RUS basic-metals -> machinery coefficient is about this size (0.151)
IO_SATURATION = 0.15
#: the input-output technology used for a Belarus <-> Russian-region pair (Belarus is only in
#: WIOD's rest of the world)
DEFAULT_IO_LOCATION = "RUS"
#: default pairs: an enterprise in one of these is matched with the other
DEFAULT_PAIR = ("BLR", "RU-CHE")
CAPITAL_OR_INTERMEDIATE = frozenset({"capital", "intermediate"})

#: NACE Rev.2 (= ISIC Rev.4) division -> WIOD 2013 industry (NACE Rev.1.1 based; correspondence
#: by the divisions' content, goods-producing industries and utilities)
NACE_TO_WIOD13: Mapping[str, str] = {
    **dict.fromkeys(("01", "02", "03"), "AtB"),
    **dict.fromkeys(("05", "06", "07", "08", "09"), "C"),
    **dict.fromkeys(("10", "11", "12"), "15t16"),
    **dict.fromkeys(("13", "14"), "17t18"),
    "15": "19", "16": "20",
    **dict.fromkeys(("17", "18"), "21t22"),
    "19": "23",
    **dict.fromkeys(("20", "21"), "24"),
    "22": "25", "23": "26",
    **dict.fromkeys(("24", "25"), "27t28"),
    "28": "29",
    **dict.fromkeys(("26", "27"), "30t33"),
    **dict.fromkeys(("29", "30"), "34t35"),
    **dict.fromkeys(("31", "32", "33"), "36t37"),
    **dict.fromkeys(("35", "36"), "E"),
    **dict.fromkeys(("41", "42", "43"), "F"),
}


@dataclass(frozen=True)
class MatchContext:
    """Reference tables the matcher uses (all optional; missing ones are listed in ``notes``).

    io : (input_sector, output_sector) -> technical coefficient, WIOD 2013 industry codes
    hs_isic : HS code (HS4 or HS6) -> ISIC Rev.4 division (two digits)
    hs_bec : HS code (HS4 or HS6) -> BEC end-use class ('capital', 'intermediate', 'consumption', ...)
    """

    io: Mapping[tuple[str, str], float] = field(default_factory=dict)
    hs_isic: Mapping[str, str] = field(default_factory=dict)
    hs_bec: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @classmethod
    def from_frames(cls, io: pd.DataFrame | None = None, hs_isic: pd.DataFrame | None = None,
                    hs_bec: pd.DataFrame | None = None, *, io_location: str = DEFAULT_IO_LOCATION,
                    notes: Iterable[str] = ()) -> MatchContext:
        """Build from frames: io (``[location,] input_sector, output_sector, coefficient``),
        hs_isic (``product, isic4_division``), hs_bec (``product, bec_class``)."""
        io_map: dict[tuple[str, str], float] = {}
        if io is not None:
            if "location" in io.columns:
                io = io[io["location"] == io_location]
            io_map = {(str(r), str(s)): float(a) for r, s, a in io[["input_sector", "output_sector", "coefficient"]].itertuples(index=False)}
        return cls(io_map, _by_heading(hs_isic, "isic4_division"), _by_heading(hs_bec, "bec_class"), tuple(notes))


def _by_heading(frame: pd.DataFrame | None, column: str) -> dict[str, str]:
    """HS6 -> value, plus HS4 -> the most frequent value among its HS6 codes."""
    if frame is None or frame.empty:
        return {}
    if "primary" in frame.columns:  # concordances give weighted rows; keep each code's primary one
        frame = frame[frame["primary"].astype(bool)]
    f = frame.dropna(subset=[column]).astype({"product": str, column: str})
    out = dict(zip(f["product"], f[column], strict=True))
    heads = f.assign(h=f["product"].str[:4]).groupby(["h", column]).size().reset_index(name="n")
    heads = heads.sort_values(["h", "n", column], ascending=[True, False, True]).drop_duplicates("h")
    out.update({h: v for h, v in zip(heads["h"], heads[column], strict=True) if h not in out})
    return out


def load_context(codes: Iterable[str] = (), io_location: str = DEFAULT_IO_LOCATION) -> MatchContext:
    """The matcher's tables from the bundled datasets and concordances, where present.

    ``codes``: the HS codes to look up in the concordances (the registry's products).
    """
    import pandas as pd

    notes, io, isic, bec = [], None, None, None
    try:
        from tradecoop.data.bundled import bundled_path

        io = pd.read_parquet(bundled_path("io_coefficients"))
    except Exception as exc:  # noqa: BLE001 - any failure means "not available", named in notes
        notes.append(f"input-output coefficients not available ({type(exc).__name__}): io_complementarity is 0")
    try:
        from tradecoop.data.nomenclature import concordances  # type: ignore[attr-defined]

        codes = sorted(set(codes))
        isic = concordances.hs_to_isic(codes, "HS12") if codes else None
        bec = concordances.hs_to_bec(codes, "HS12") if codes else None
    except Exception as exc:  # noqa: BLE001
        notes.append(f"HS -> BEC/ISIC concordances not available ({type(exc).__name__}): bec_fit is 0")
    return MatchContext.from_frames(io, isic, bec, io_location=io_location, notes=notes)


@dataclass(frozen=True)
class Profile:
    """What matching needs to know about an enterprise, detached from the database."""

    id: int | None
    name_en: str | None
    name_ru: str | None
    location: str | None
    city: str | None
    nace: str | None
    products: frozenset[str]
    inputs: frozenset[str]
    description_en: str | None
    description_ru: str | None

    @classmethod
    def of(cls, e: Any) -> Profile:
        """From an :class:`Enterprise` (or any object with the same attributes)."""
        if isinstance(e, Profile):
            return e
        return cls(
            getattr(e, "id", None), getattr(e, "name_en", None), getattr(e, "name_ru", None),
            getattr(e, "location", None), getattr(e, "city", None), e.nace,
            frozenset(p.hs_code for p in e.products if p.role == "product"),
            frozenset(p.hs_code for p in e.products if p.role == "input"),
            e.description_en, e.description_ru,
        )


def load_profiles(session: Session) -> list[Profile]:
    """Profiles of every enterprise by id, read as plain columns (two queries, no ORM objects;
    for 10,000 enterprises ~6x faster than loading them with products, aliases and sources)."""
    from sqlalchemy import select

    from tradecoop.registry import models as m

    E, P = m.Enterprise, m.EnterpriseProduct
    codes: dict[tuple[int, str], set[str]] = {}
    for eid, code, role in session.execute(select(P.enterprise_id, P.hs_code, P.role)):
        codes.setdefault((eid, role), set()).add(code)
    rows = session.execute(select(E.id, E.name_en, E.name_ru, E.location, E.city, E.nace,
                                  E.description_en, E.description_ru).order_by(E.id))
    return [Profile(i, name_en, name_ru, location, city, nace, frozenset(codes.get((i, "product"), ())),
                    frozenset(codes.get((i, "input"), ())), en, ru)
            for i, name_en, name_ru, location, city, nace, en, ru in rows]


def sector_of(e: Profile, hs_isic: Mapping[str, str]) -> str | None:
    """WIOD 2013 industry of an enterprise: its NACE division, else the ISIC division of a product."""
    division = (e.nace or "")[:2]
    if not division:
        for code in sorted(e.products):
            if d := hs_isic.get(code, hs_isic.get(code[:4])):
                division = str(d)[:2]
                break
    return NACE_TO_WIOD13.get(division)
