"""A hand-made pair context small enough to check by hand (used by the engine tests)."""

from __future__ import annotations

import numpy as np
import pytest

from tradecoop.opportunities.context import PairContext, Side


def make_side(code: str, exports, imports, rca, *, density=None, cog=None, feas=None, io=None, estimated=()) -> Side:
    n = len(exports)
    rca = np.asarray(rca, dtype=float)
    density = np.full(n, 0.5) if density is None else np.asarray(density, dtype=float)
    return Side(
        code=code,
        exports=np.asarray(exports, dtype=float),
        imports=np.asarray(imports, dtype=float),
        rca=rca,
        M=(rca >= 1).astype(np.int8),
        density=density,
        distance=1.0 - density,
        cog=np.zeros(n) if cog is None else np.asarray(cog, dtype=float),
        feasibility=np.full(n, np.nan) if feas is None else np.asarray(feas, dtype=float),
        io_demand=np.full(n, np.nan) if io is None else np.asarray(io, dtype=float),
        estimated=frozenset(estimated),
    )


def make_context(a: Side, b: Side, **over) -> PairContext:
    n = len(a.exports)
    fields = dict(
        a=a, b=b, year=2017, products=np.array([f"{8701 + i:04d}" for i in range(n)]), hs_level=4,
        hs_vintage="HS12", world_exports=np.full(n, 1000.0), pci=np.linspace(-1, 1, n),
        pair_density=np.full(n, 0.5), pair_distance=np.full(n, 0.5), pair_cog=np.zeros(n),
        flow_ab=np.zeros(n), flow_ba=np.zeros(n), total_ab=10.0, total_ba=5.0,
        intermediate=np.ones(n, dtype=np.int8),
        names_en=np.array([f"product {i}" for i in range(n)]), names_ru=np.array([f"товар {i}" for i in range(n)]),
        estimated=frozenset({"flow_ab", "flow_ba"}),
    )
    fields.update(over)
    return PairContext(**fields)


@pytest.fixture
def toy_context() -> PairContext:
    # Four products. A (BLR-like) is competitive in 8701 and 8702 (RCA 3 and 1.5); B imports all four.
    a = make_side("AAA", exports=[300, 150, 10, 0], imports=[20, 10, 50, 80], rca=[3.0, 1.5, 0.2, 0.0],
                  io=[0, 40, 0, 0])
    b = make_side("BBB", exports=[5, 50, 100, 200], imports=[400, 100, 30, 60], rca=[0.1, 0.6, 1.2, 2.0],
                  density=[0.8, 0.4, 0.6, 0.2], io=[100, 50, 0, 0], estimated={"imports"})
    return make_context(a, b, flow_ab=np.array([100.0, 20.0, 0.0, 0.0]), flow_ba=np.array([2.0, 10.0, 5.0, 0.0]))


@pytest.fixture
def build():
    """The two factories, for tests that build their own contexts: ``make_side, make_context = build``."""
    return make_side, make_context
