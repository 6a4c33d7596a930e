"""The data of a pair (A, B) that the opportunity criteria read: arrays over one product list.

:class:`PairContext` is a plain container (numpy arrays aligned on ``products``); it is filled by
:mod:`tradecoop.services.pair_context` from the library (complexity on the world matrix, the
bilateral estimator, input-output coefficients, concordances) or by hand in tests. Criteria see
it through an oriented :class:`PairView` (``src`` supplies or holds the capability, ``dst``
demands or hosts), so one criterion serves both directions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Capabilities:
    """A capability set known without trade values (e.g. derived from an enterprise registry):
    what a region without trade data of its own is ranked with."""

    location: str
    products: tuple[str, ...]  # HS codes at the matrix level
    evidence: str  # e.g. "registry: 12 enterprises"

@dataclass(frozen=True)
class Side:
    """One location's product-level data (arrays over ``PairContext.products``; NaN = unknown).

    exports : exports to the world, USD
    imports : imports from the world, USD
    rca : Balassa RCA against world totals
    M : 1 where RCA >= 1
    density, distance, cog : product-space measures (docs/methods.md section 2)
    feasibility : the engine's feasibility score (probability-like, higher = more likely to
        become competitive), NaN when no model is available
    io_demand : USD of this side's industries' intermediate demand for the product as an input
        (input-output coefficients x output, allocated to products; NaN when unknown)
    estimated : names of fields that rest on estimates (e.g. {"imports"})
    evidence : how the capability set is known (``trade``, ``regional trade`` or ``registry``)
    eci : economic complexity index (countries' standardisation; external: mean PCI)
    proxy_of : the country whose numbers stand in for a region where it has none of its own,
        *for ranking only* (no value at stake rests on them); ``proxy_fields`` says which:
        ``exports``, ``imports``, ``flows``, ``io_demand``
    label : how the side's trade numbers are described, e.g. ``"Russia, country level"`` for a
        proxy, ``"Chelyabinsk Region"`` for a region's own data (empty: the location's name)
    net_exporter : True where the side is competitive (RCA >= 1) *and* exports more than it
        imports (for a proxy region: its country's); None = computed from the arrays
    """

    code: str
    exports: np.ndarray
    imports: np.ndarray
    rca: np.ndarray
    M: np.ndarray
    density: np.ndarray
    distance: np.ndarray
    cog: np.ndarray
    feasibility: np.ndarray
    io_demand: np.ndarray
    estimated: frozenset[str] = frozenset()
    evidence: str = "trade"
    eci: float = float("nan")
    proxy_of: str | None = None
    proxy_fields: frozenset[str] = frozenset()
    label: str = ""
    net_exporter: np.ndarray | None = None

    def is_net_exporter(self) -> np.ndarray:
        """Boolean array: RCA >= 1 and exports > imports (False where either is unknown)."""
        if self.net_exporter is not None:
            return np.asarray(self.net_exporter, dtype=bool)
        with np.errstate(invalid="ignore"):
            return (np.nan_to_num(self.rca, nan=0.0) >= 1.0) & (
                np.nan_to_num(self.exports, nan=0.0) > np.nan_to_num(self.imports, nan=np.inf))


@dataclass(frozen=True)
class PairContext:
    """Everything the criteria need for the pair (A, B) in one year, aligned on ``products``.

    flow_ab, flow_ba : bilateral flows by product, USD (usually estimated: see ``estimated``)
    total_ab, total_ba : bilateral totals, USD (observed where available)
    world_exports : world exports by product, USD (the RCA denominator)
    pci : product complexity (countries' standardisation)
    pair_density, pair_distance, pair_cog : measures for the pooled basket max(M_A, M_B)
    intermediate : 1 for intermediate goods (BEC parts, components, processed supplies), else 0
    names_en, names_ru : product names
    estimated : names of pair-level fields that rest on estimates
    flow_years : the year(s) the bilateral flows ("actual") refer to, e.g. ``"2017"``
    """

    a: Side
    b: Side
    year: int
    products: np.ndarray
    hs_level: int
    hs_vintage: str
    world_exports: np.ndarray
    pci: np.ndarray
    pair_density: np.ndarray
    pair_distance: np.ndarray
    pair_cog: np.ndarray
    flow_ab: np.ndarray
    flow_ba: np.ndarray
    total_ab: float
    total_ba: float
    intermediate: np.ndarray
    names_en: np.ndarray
    names_ru: np.ndarray
    estimated: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    extra: Mapping[str, np.ndarray] = field(default_factory=dict)
    flow_years: str = ""

    @property
    def flows_observed(self) -> bool:
        """True when both bilateral product flows are observed (not estimated)."""
        return not ({"flow_ab", "flow_ba"} & self.estimated)

    def view(self, direction: str) -> PairView:
        """Oriented view: ``"ab"`` (src = A, dst = B) or ``"ba"`` (src = B, dst = A)."""
        if direction == "ab":
            return PairView(self, self.a, self.b, self.flow_ab, self.flow_ba, self.total_ab)
        if direction == "ba":
            return PairView(self, self.b, self.a, self.flow_ba, self.flow_ab, self.total_ba)
        raise ValueError(f"direction must be 'ab' or 'ba', got {direction!r}")


@dataclass(frozen=True)
class PairView:
    """The pair seen from one direction: ``src`` -> ``dst``."""

    pair: PairContext
    src: Side
    dst: Side
    flow: np.ndarray  # src -> dst by product
    reverse_flow: np.ndarray  # dst -> src by product
    total: float  # src -> dst, all products

    @property
    def products(self) -> np.ndarray:
        return self.pair.products
