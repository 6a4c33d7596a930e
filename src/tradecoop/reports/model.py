"""The briefing pack as plain data: frozen dataclasses, no computation, no I/O.

:mod:`tradecoop.reports.sections` fills a :class:`Brief` from the parts the brief service
computed (profile, opportunities, gravity, treaties, registry); :mod:`tradecoop.reports.render` turns it into HTML and PDF. Everything here is made of
plain Python types (str, int, float, bool, None, lists, tuples, dicts) so that ``Brief.to_dict()``
is JSON-serialisable and the renderer never needs the library.

Conventions
-----------
* Money is in USD (not thousands); shares are fractions in [0, 1]; ``unit`` names the unit of a
  :class:`Figure` (one of :data:`UNITS`).
* ``estimated=True`` on any object means that a number in it rests on estimated (not observed)
  data; the renderer puts a visible "ESTIMATED" badge on exactly those objects.
* A section that cannot be filled is left ``None`` / empty and its reason goes into
  ``Brief.unavailable[section_id]``; the renderer prints "not available: <reason>".
* ``Figure.key`` and ``Table.columns`` are label keys of :mod:`tradecoop.reports.i18n`; names of
  places and products come from the model (``Pair``, ``name_en``/``name_ru``), never from the
  catalogue.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from tradecoop.errors import DataValidationError

#: languages a brief can be rendered in
LANGS: tuple[str, ...] = ("en", "ru")
#: section ids, in the order they appear in the brief (stable HTML ``id`` attributes)
SECTIONS: tuple[str, ...] = (
    "glance", "reported", "agreements", "region", "headline", "turnover", "structure",
    "complementarity", "dependencies", "opportunities", "potential", "provenance",
)
#: sections of the one-page summary; the rest of the brief is its annex
SUMMARY_SECTIONS: tuple[str, ...] = ("glance", "reported", "agreements")
#: ``Brief.unavailable`` reason of the trade sections of a region without regional statistics:
#: said once in the region section, and those sections are left out of the annex
REGION_NO_DATA = "reason.region_no_data"
#: roles of an enterprise named in an idea
ENTERPRISE_ROLES: tuple[str, ...] = ("maker", "buyer", "partner")
#: opportunity types of docs/methods.md section 4 (``ab`` = A supplies B)
OPPORTUNITY_TYPES: tuple[str, ...] = (
    "supply_ab", "supply_ba", "localisation_jv", "value_chain", "joint_entry", "co_production",
)
#: units a Figure or a table column may carry
UNITS: tuple[str, ...] = ("usd", "share", "percent", "index", "ratio", "count", "text")
#: levels of a structure table
STRUCTURE_LEVELS: tuple[str, ...] = ("hs_section", "lall", "bec")
#: trade directions: ``ab`` = exports of A to B, ``ba`` = exports of B to A
DIRECTIONS: tuple[str, ...] = ("ab", "ba")


def _check_choice(what: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise DataValidationError(
            f"{what} must be one of {', '.join(allowed)}; found {value!r}"
        )


def _check_finite(what: str, value: float | None, *, allow_none: bool = True) -> None:
    if value is None:
        if not allow_none:
            raise DataValidationError(f"{what} must be a number; found None")
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DataValidationError(f"{what} must be a finite number; found {value!r}")


class _Data:
    """Mixin: ``to_dict()`` returning JSON-serialisable plain types (tuples become lists)."""

    def to_dict(self) -> dict[str, Any]:
        return _plain(asdict(self))  # type: ignore[call-overload]


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


@dataclass(frozen=True)
class Pair(_Data):
    """The two places of the brief: ``a`` and ``b`` are codes (``BLR``, ``RU-CHE``) with names."""

    a: str
    b: str
    name_a_en: str
    name_a_ru: str
    name_b_en: str
    name_b_ru: str

    def name(self, side: str, lang: str) -> str:
        """Name of side ``'a'`` or ``'b'`` in ``lang``."""
        _check_choice("side", side, ("a", "b"))
        _check_choice("lang", lang, LANGS)
        return getattr(self, f"name_{side}_{lang}")


@dataclass(frozen=True)
class Figure(_Data):
    """One number with its unit and provenance, e.g. turnover in 2017 in USD.

    ``key`` is a catalogue label key (``figure.turnover``); ``value`` None means "not available"
    and ``note`` then says why.
    """

    key: str
    value: float | str | None  # str only with unit "text"
    unit: str
    estimated: bool
    source: str
    year: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _check_choice(f"Figure {self.key!r} unit", self.unit, UNITS)
        if self.unit != "text":
            _check_finite(f"Figure {self.key!r} value", self.value)


@dataclass(frozen=True)
class TurnoverSeries(_Data):
    """Bilateral trade over time, USD. ``None`` values are missing reports (not zeros).

    ``missing_ab[i]``/``missing_ba[i]`` flag year ``years[i]`` in each direction as a missing
    report (e.g. the RUS->BLR 2000-2008 zeros that are non-reports); turnover and balance are
    ``None`` in a year where either direction is missing.
    """

    years: tuple[int, ...]
    exports_ab: tuple[float | None, ...]
    exports_ba: tuple[float | None, ...]
    turnover: tuple[float | None, ...]
    balance: tuple[float | None, ...]
    missing_ab: tuple[bool, ...]
    missing_ba: tuple[bool, ...]
    source: str
    estimated: bool = False

    def __post_init__(self) -> None:
        n = len(self.years)
        if n == 0:
            raise DataValidationError("TurnoverSeries needs at least one year; found none")
        for name in ("exports_ab", "exports_ba", "turnover", "balance", "missing_ab", "missing_ba"):
            got = len(getattr(self, name))
            if got != n:
                raise DataValidationError(
                    f"TurnoverSeries.{name} must have one entry per year ({n}); found {got}"
                )
        if list(self.years) != sorted(set(self.years)):
            raise DataValidationError(
                f"TurnoverSeries.years must be strictly increasing; found {list(self.years)}"
            )
        for name in ("exports_ab", "exports_ba", "turnover", "balance"):
            for year, v in zip(self.years, getattr(self, name), strict=True):
                _check_finite(f"TurnoverSeries.{name} in {year}", v)


@dataclass(frozen=True)
class StructureRow(_Data):
    """One line of a structure table: a product group, its value (USD) and share (0-1)."""

    code: str
    name_en: str
    name_ru: str
    value: float
    share: float

    def __post_init__(self) -> None:
        _check_finite(f"StructureRow {self.code!r} value", self.value, allow_none=False)
        _check_finite(f"StructureRow {self.code!r} share", self.share, allow_none=False)
        if not 0.0 <= self.share <= 1.0:
            raise DataValidationError(
                f"StructureRow {self.code!r} share must be in [0, 1]; found {self.share}"
            )


@dataclass(frozen=True)
class StructureTable(_Data):
    """What one side exports to the other, by product group (HS section, Lall class or BEC)."""

    direction: str
    level: str
    rows: tuple[StructureRow, ...]
    estimated: bool
    source: str
    year: int
    #: the level's total over every group (USD), for reconciling with the headline
    total: float | None = None

    def __post_init__(self) -> None:
        _check_choice("StructureTable direction", self.direction, DIRECTIONS)
        _check_choice("StructureTable level", self.level, STRUCTURE_LEVELS)


@dataclass(frozen=True)
class Table(_Data):
    """A generic table: ``columns`` are catalogue label keys, ``units`` one per column.

    A cell is a number, a string, None (printed "n/a") or, for text that differs by language
    (product names), a dict ``{"en": "Tractors", "ru": "Тракторы"}``.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    units: tuple[str, ...] = ()
    estimated: bool = False
    source: str = ""
    year: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        ncol = len(self.columns)
        if self.units and len(self.units) != ncol:
            raise DataValidationError(
                f"Table.units must have one unit per column ({ncol}); found {len(self.units)}"
            )
        for unit in self.units:
            _check_choice("Table unit", unit, UNITS)
        for i, row in enumerate(self.rows, start=1):
            if len(row) != ncol:
                raise DataValidationError(
                    f"Table row {i} must have {ncol} cells (columns {list(self.columns)}); "
                    f"found {len(row)}"
                )


@dataclass(frozen=True)
class Opportunity(_Data):
    """One ranked cooperation opportunity with the evidence behind its score.

    ``contributions`` maps criterion name -> weighted contribution; they sum to ``score``
    (checked to a relative 1e-9). ``value_method`` is a catalogue key suffix naming how
    ``value_at_stake`` (USD) was computed.
    """

    type: str
    product: str
    name_en: str
    name_ru: str
    score: float
    rank: int
    contributions: dict[str, float]
    value_at_stake: float | None
    value_method: str
    estimated: bool
    partners: tuple[str, ...] = ()
    #: criterion -> [raw value in natural units or None, its unit, RCA or None] (explanation)
    raw: dict[str, list] = field(default_factory=dict)
    #: location codes: the supplying (capability) side and the buying (host) side
    supplier: str = ""
    buyer: str = ""
    #: why there is no value at stake, when there is none
    value_note: str = ""

    #: contributions must add up to the score within this tolerance (floating-point sums)
    SUM_RTOL = 1e-9

    def __post_init__(self) -> None:
        _check_choice(f"Opportunity {self.product!r} type", self.type, OPPORTUNITY_TYPES)
        _check_finite(f"Opportunity {self.product!r} score", self.score, allow_none=False)
        _check_finite(f"Opportunity {self.product!r} value_at_stake", self.value_at_stake)
        if not self.contributions:
            raise DataValidationError(
                f"Opportunity {self.product!r} needs per-criterion contributions; found none"
            )
        for name, c in self.contributions.items():
            _check_finite(f"Opportunity {self.product!r} contribution {name!r}", c, allow_none=False)
        total = math.fsum(self.contributions.values())
        if not math.isclose(total, self.score, rel_tol=self.SUM_RTOL, abs_tol=1e-12):
            raise DataValidationError(
                f"Opportunity {self.product!r} contributions must sum to the score "
                f"{self.score!r}; they sum to {total!r}"
            )


@dataclass(frozen=True)
class OpportunityGroup(_Data):
    """The top opportunities of one type, in rank order."""

    type: str
    items: tuple[Opportunity, ...]
    unavailable: str = ""

    def __post_init__(self) -> None:
        _check_choice("OpportunityGroup type", self.type, OPPORTUNITY_TYPES)
        if not self.items and not self.unavailable:
            raise DataValidationError(
                f"OpportunityGroup {self.type!r} has no items; give the reason in `unavailable`"
            )
        for item in self.items:
            if item.type != self.type:
                raise DataValidationError(
                    f"OpportunityGroup {self.type!r} holds an opportunity of type {item.type!r} "
                    f"(product {item.product!r})"
                )


@dataclass(frozen=True)
class Potential(_Data):
    """Gravity-model trade potential of one direction: actual vs predicted with a range (USD)."""

    direction: str
    actual: float
    predicted: float
    low: float
    high: float
    years: tuple[int, int]
    method: str
    caveats: tuple[str, ...] = ()
    estimated: bool = True

    def __post_init__(self) -> None:
        _check_choice("Potential direction", self.direction, DIRECTIONS)
        for name in ("actual", "predicted", "low", "high"):
            _check_finite(f"Potential.{name}", getattr(self, name), allow_none=False)
        if not self.low <= self.predicted <= self.high:
            raise DataValidationError(
                f"Potential range must satisfy low <= predicted <= high; found "
                f"low={self.low}, predicted={self.predicted}, high={self.high}"
            )


@dataclass(frozen=True)
class ProvenanceItem(_Data):
    """One dataset the brief rests on: who published it, which years, licence, estimate or not."""

    dataset: str
    source: str
    years: str
    licence: str
    estimated: bool
    note: str = ""


@dataclass(frozen=True)
class EnterpriseRef(_Data):
    """An enterprise named in the brief, with where that fact comes from (``source`` URL)."""

    name_en: str
    name_ru: str
    location: str
    city: str
    role: str
    website: str = ""
    source: str = ""
    registry_id: int | None = None

    def __post_init__(self) -> None:
        _check_choice(f"EnterpriseRef {self.name_en!r} role", self.role, ENTERPRISE_ROLES)

    def name(self, lang: str) -> str:
        return (self.name_ru if lang == "ru" else self.name_en) or self.name_en


@dataclass(frozen=True)
class Idea(_Data):
    """One of the best ideas on the summary page: a product, a direction and named enterprises.

    ``supplier``/``buyer`` are location codes of the pair (``source``/``target`` of the engine).
    ``value`` is None when there is no reliable money figure; ``value_note`` then says why.
    ``why`` and ``next_step`` hold one sentence per language (``{"en": ..., "ru": ...}``).
    """

    kind: str
    product: str
    name_en: str
    name_ru: str
    supplier: str
    buyer: str
    enterprises: tuple[EnterpriseRef, ...]
    why: dict[str, str]
    next_step: dict[str, str]
    value: float | None = None
    value_year: int | None = None
    value_method: str = ""
    value_note: str = ""
    estimated: bool = False
    evidence: str = ""

    def __post_init__(self) -> None:
        _check_choice(f"Idea {self.product!r} kind", self.kind, (*OPPORTUNITY_TYPES, "registry_link"))
        _check_finite(f"Idea {self.product!r} value", self.value)
        for name in ("why", "next_step"):
            missing = [lang for lang in LANGS if not getattr(self, name).get(lang)]
            if missing:
                raise DataValidationError(f"Idea {self.product!r} {name} needs text in {', '.join(missing)}")


@dataclass(frozen=True)
class ReportedFigure(_Data):
    """A figure reported by an official or a news agency (registry), with its source."""

    metric: str
    value: float
    unit: str
    period: str
    parties: tuple[str, ...]
    reporter: str
    publisher: str
    url: str
    date: str
    note: str = ""

    def __post_init__(self) -> None:
        _check_finite(f"ReportedFigure {self.metric!r} value", self.value, allow_none=False)


@dataclass(frozen=True)
class RegionProfile(_Data):
    """What is known about a region without regional trade data: its registered enterprises.

    ``enterprises`` rows: name (by language), city, NACE division, products made, inputs needed,
    website, source URL.
    """

    code: str
    name_en: str
    name_ru: str
    has_trade_data: bool
    enterprises: Table | None = None
    proxy_of: str = ""


@dataclass(frozen=True)
class Brief(_Data):
    """Everything the briefing pack shows, for a pair of places and a year.

    ``unavailable`` maps a section id (:data:`SECTIONS`) to the reason it is empty; a section
    that is empty with no reason is rejected so the reader never sees a silent blank.
    """

    pair: Pair
    year: int
    lang: str
    generated_at: str
    headline: tuple[Figure, ...] = ()
    series: TurnoverSeries | None = None
    structure: tuple[StructureTable, ...] = ()
    indices: tuple[Figure, ...] = ()
    dependencies: Table | None = None
    opportunities: tuple[OpportunityGroup, ...] = ()
    potential: tuple[Potential, ...] = ()
    agreements: Table | None = None
    provenance: tuple[ProvenanceItem, ...] = ()
    notes: tuple[str, ...] = ()
    unavailable: dict[str, str] = field(default_factory=dict)
    ideas: tuple[Idea, ...] = ()
    reported: tuple[ReportedFigure, ...] = ()
    regions: tuple[RegionProfile, ...] = ()
    #: year of the newest trade statistics in the brief (the headline's year), 0 when none
    data_year: int = 0
    #: the brief's sector filter (preset names), empty for all sectors
    sectors: tuple[str, ...] = ()
    #: year of the product-level data behind the opportunities (0 when none)
    product_year: int = 0

    def __post_init__(self) -> None:
        _check_choice("Brief lang", self.lang, LANGS)
        for section in self.unavailable:
            _check_choice("Brief.unavailable section", section, SECTIONS)
        content = {
            "glance": self.ideas, "reported": self.reported, "region": self.regions,
            "headline": self.headline, "turnover": self.series, "structure": self.structure,
            "complementarity": self.indices, "dependencies": self.dependencies,
            "opportunities": self.opportunities, "potential": self.potential,
            "agreements": self.agreements, "provenance": self.provenance,
        }
        optional = () if "-" in self.pair.a + self.pair.b else ("region",)  # only a region has one
        empty = [s for s in SECTIONS if not content[s] and not self.unavailable.get(s) and s not in optional]
        if empty:
            raise DataValidationError(
                "every empty section of a Brief needs a reason in Brief.unavailable; "
                f"no content and no reason for: {', '.join(empty)}"
            )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Brief:
        """Rebuild a brief from :meth:`to_dict` output (e.g. after a JSON round trip)."""
        try:
            return _brief_from_dict(data)
        except (KeyError, TypeError) as exc:
            raise DataValidationError(
                f"not a Brief dictionary (as written by Brief.to_dict): {exc!r}"
            ) from None

    def with_lang(self, lang: str) -> Brief:
        """The same brief in another language (the model holds both languages' names)."""
        from dataclasses import replace

        return replace(self, lang=lang)

    @property
    def estimated(self) -> bool:
        """True when anything in the brief rests on estimated data."""
        objs: list[Any] = [*self.headline, *self.structure, *self.indices, *self.potential,
                           *self.provenance, self.series, self.dependencies, self.agreements]
        objs += [o for g in self.opportunities for o in g.items] + list(self.ideas)
        return any(getattr(o, "estimated", False) for o in objs if o is not None)


def _table_from_dict(d: dict[str, Any] | None) -> Table | None:
    if d is None:
        return None
    return Table(**{**d, "columns": tuple(d["columns"]), "units": tuple(d.get("units") or ()),
                    "rows": tuple(tuple(r) for r in d["rows"])})


def _opportunity_from_dict(d: dict[str, Any]) -> Opportunity:
    return Opportunity(**{**d, "contributions": dict(d["contributions"]),
                          "partners": tuple(d.get("partners") or ()), "raw": dict(d.get("raw") or {})})


def _brief_from_dict(d: dict[str, Any]) -> Brief:
    series = d.get("series")
    if series is not None:
        series = TurnoverSeries(**{k: (tuple(v) if isinstance(v, list) else v)
                                   for k, v in series.items()})
    return Brief(
        pair=Pair(**d["pair"]),
        year=d["year"], lang=d["lang"], generated_at=d["generated_at"],
        headline=tuple(Figure(**f) for f in d.get("headline", ())),
        series=series,
        structure=tuple(
            StructureTable(**{**s, "rows": tuple(StructureRow(**r) for r in s["rows"])})
            for s in d.get("structure", ())),
        indices=tuple(Figure(**f) for f in d.get("indices", ())),
        dependencies=_table_from_dict(d.get("dependencies")),
        opportunities=tuple(
            OpportunityGroup(g["type"], tuple(_opportunity_from_dict(o) for o in g["items"]),
                             g.get("unavailable", ""))
            for g in d.get("opportunities", ())),
        potential=tuple(
            Potential(**{**p, "years": tuple(p["years"]), "caveats": tuple(p.get("caveats", ()))})
            for p in d.get("potential", ())),
        agreements=_table_from_dict(d.get("agreements")),
        provenance=tuple(ProvenanceItem(**p) for p in d.get("provenance", ())),
        notes=tuple(d.get("notes", ())),
        unavailable=dict(d.get("unavailable", {})),
        ideas=tuple(Idea(**{**i, "enterprises": tuple(EnterpriseRef(**e) for e in i["enterprises"])})
                    for i in d.get("ideas", ())),
        reported=tuple(ReportedFigure(**{**r, "parties": tuple(r["parties"])}) for r in d.get("reported", ())),
        regions=tuple(RegionProfile(**{**r, "enterprises": _table_from_dict(r.get("enterprises"))})
                      for r in d.get("regions", ())),
        data_year=d.get("data_year", 0), sectors=tuple(d.get("sectors", ())),
        product_year=d.get("product_year", 0),
    )
