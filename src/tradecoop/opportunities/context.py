"""The data of a pair (A, B) that the opportunity criteria read: arrays over one product list.

:class:`PairContext` is a plain container (numpy arrays aligned on ``products``); it is filled by
:mod:`tradecoop.opportunities.assemble` from the library (complexity on the world matrix, the
bilateral estimator, input-output coefficients, concordances) or by hand in tests. Criteria see
it through an oriented :class:`PairView` (``src`` supplies or holds the capability, ``dst``
demands or hosts), so one criterion serves both directions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Side:
    """One location's product-level data (arrays over ``PairContext.products``; NaN = unknown).

    exports : exports to the world, USD
    imports : imports from the world, USD
    rca : Balassa RCA against world totals
    M : 1 where RCA >= 1
    density, distance, cog : product-space measures (METHODS.md section 2)
    feasibility : the engine's feasibility score (probability-like, higher = more likely to
        become competitive), NaN when no model is available
    io_demand : USD of this side's industries' intermediate demand for the product as an input
        (input-output coefficients x output, allocated to products; NaN when unknown)
    estimated : names of fields that rest on estimates (e.g. {"imports"})
    evidence : how the capability set is known (``trade`` or ``registry``)
    eci : economic complexity index (countries' standardisation; external: mean PCI)
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
