"""Criteria of the opportunity engine: small pure functions registered with a name.

A criterion maps an oriented :class:`~tradecoop.opportunities.context.PairView` and the candidate
products of one opportunity type to one raw number per candidate (NaN where unknown). The ranker
(:mod:`tradecoop.opportunities.ranking`) standardises raw values within the candidate set and
combines them with explicit weights; the ``direction`` says whether more is better (+1) or worse
(-1, e.g. distance: docs/opportunities.md negates distance so that nearer products rank first).

Built-in criteria use the same extension point that outside code would: ``register_criterion``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from tradecoop.errors import DataValidationError, NotFoundError

if TYPE_CHECKING:
    from tradecoop.opportunities.context import PairView

CriterionFn = Callable[["PairView", np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Criterion:
    """One named, documented scoring criterion.

    Attributes
    ----------
    name : identifier used in weights files and in every explanation
    direction : +1 if a higher raw value is better, -1 if lower is better
    description_en, description_ru : one line each, shown in explanations and briefs
    fn : ``fn(ctx, idx) -> raw values`` for the candidate products ``ctx.products[idx]``
    """

    name: str
    direction: int
    description_en: str
    description_ru: str
    fn: CriterionFn

    def raw(self, ctx: PairView, idx: np.ndarray) -> np.ndarray:
        values = np.asarray(self.fn(ctx, idx), dtype=np.float64)
        if values.shape != idx.shape:
            raise DataValidationError(
                f"criterion {self.name!r} returned {values.shape[0] if values.ndim else 0} values "
                f"for {idx.shape[0]} candidates"
            )
        return values


_REGISTRY: dict[str, Criterion] = {}


def register_criterion(
    name: str, *, direction: int, description_en: str, description_ru: str
) -> Callable[[CriterionFn], CriterionFn]:
    """Decorator registering ``fn`` as criterion ``name`` (the extension point for plug-ins)."""
    if direction not in (1, -1):
        raise DataValidationError(f"criterion direction must be +1 or -1, got {direction!r}")

    def decorator(fn: CriterionFn) -> CriterionFn:
        _REGISTRY[name] = Criterion(name, direction, description_en, description_ru, fn)
        return fn

    return decorator


def get_criterion(name: str) -> Criterion:
    """The registered criterion ``name`` (NotFoundError listing the registered ones)."""
    _load_builtin()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise NotFoundError(f"no criterion named {name!r}; registered criteria: {known}") from None


def all_criteria() -> dict[str, Criterion]:
    """Every registered criterion by name (built-ins included)."""
    _load_builtin()
    return dict(_REGISTRY)


def _load_builtin() -> None:
    # the built-in criteria register themselves on import, through the same decorator
    import tradecoop.opportunities.builtin_criteria  # noqa: F401
