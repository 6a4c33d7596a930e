"""Combine criteria into a score with explicit weights, explain it, and rank deterministically.

For each opportunity type, every criterion's raw values are standardised within the type's
candidate set (z-score: ``z = (raw - mean) / sd`` over the candidates with a known value; a
criterion with ``sd = 0`` or no known value contributes 0), signed by the criterion's direction,
and weighted::

    contribution_{p,c} = w_c * direction_c * z_{p,c}        score_p = sum_c contribution_{p,c}

so the contributions add up to the score exactly. Unknown raw values (NaN) contribute 0, i.e. the
candidate is treated as average on that criterion, and the opportunity lists the criterion among
``missing``. This is the Growth Lab's diversification scoring (docs/opportunities.md, "Scoring and
explanation": z-score within the pair's candidate set, negate distance, then weight), generalised
to any named criteria.

Order: score descending, then value at stake descending, then product code ascending (the
stated tie-break), so the ranking is deterministic. The standardisation constants are returned
with the ranking (``Standardiser``) so a reader can recompute every contribution by hand.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tradecoop.errors import DataValidationError
from tradecoop.opportunities.criteria import Criterion


@dataclass(frozen=True)
class Standardiser:
    """Per-criterion mean and standard deviation over one candidate set."""

    mean: Mapping[str, float]
    sd: Mapping[str, float]

    @classmethod
    def fit(cls, raw: Mapping[str, np.ndarray]) -> Standardiser:
        mean: dict[str, float] = {}
        sd: dict[str, float] = {}
        for name, values in raw.items():
            # math.fsum is exactly rounded, so the constants (and every score) do not depend on
            # the order of the candidates (numpy's pairwise sums do, in the last bits)
            known = values[np.isfinite(values)]
            m = math.fsum(known.tolist()) / known.size if known.size else 0.0
            mean[name] = m
            sd[name] = math.sqrt(math.fsum(((known - m) ** 2).tolist()) / known.size) if known.size > 1 else 0.0
        return cls(mean, sd)

    def transform(self, name: str, values: np.ndarray) -> np.ndarray:
        sd = self.sd[name]
        if sd <= 0.0:
            return np.zeros_like(values)
        z = (values - self.mean[name]) / sd
        return np.where(np.isfinite(z), z, 0.0)


@dataclass(frozen=True)
class Scored:
    """Scores of one candidate set: contributions[c] is an array over candidates."""

    score: np.ndarray
    contributions: Mapping[str, np.ndarray]
    raw: Mapping[str, np.ndarray]
    standardiser: Standardiser
    order: np.ndarray  # candidate positions, best first
    rank: np.ndarray  # rank (1 = best) of each candidate, in input order


def score_candidates(
    criteria: Sequence[Criterion],
    weights: Mapping[str, float],
    raw: Mapping[str, np.ndarray],
    *,
    value_at_stake: np.ndarray,
    products: np.ndarray,
    standardiser: Standardiser | None = None,
) -> Scored:
    """Score, explain and rank one candidate set.

    Parameters
    ----------
    criteria : the criteria of this opportunity type
    weights : weight per criterion name (missing names weigh 0; negative weights are refused,
        direction is the criterion's business)
    raw : raw criterion values per name, arrays over the candidates
    value_at_stake : USD per candidate (tie-break)
    products : product codes per candidate (final tie-break)
    standardiser : fixed constants (default: fitted on ``raw``)

    Examples
    --------
    Two criteria, three candidates; ``a`` (+) raw 1, 2, 3 -> z = -1.2247, 0, 1.2247;
    ``b`` (-) raw 3, 3, 0 -> z = 0.7071, 0.7071, -1.4142, signed -> -0.7071, -0.7071, 1.4142.

    >>> from tradecoop.opportunities.criteria import Criterion
    >>> ca = Criterion("a", 1, "", "", lambda c, i: i)
    >>> cb = Criterion("b", -1, "", "", lambda c, i: i)
    >>> s = score_candidates([ca, cb], {"a": 1.0, "b": 0.5},
    ...     {"a": np.array([1., 2., 3.]), "b": np.array([3., 3., 0.])},
    ...     value_at_stake=np.zeros(3), products=np.array(["01", "02", "03"]))
    >>> [round(float(v), 4) for v in s.score]
    [-1.5783, -0.3536, 1.9319]
    >>> [int(r) for r in s.rank]
    [3, 2, 1]
    """
    n = len(products)
    for name, w in weights.items():
        if not np.isfinite(w) or w < 0:
            raise DataValidationError(f"weight of criterion {name!r} must be a non-negative number, got {w!r}")
    std = standardiser or Standardiser.fit({c.name: raw[c.name] for c in criteria})
    contributions: dict[str, np.ndarray] = {}
    score = np.zeros(n)
    for crit in criteria:
        w = float(weights.get(crit.name, 0.0))
        contrib = w * crit.direction * std.transform(crit.name, raw[crit.name])
        contributions[crit.name] = contrib
        score = score + contrib
    value = np.nan_to_num(np.asarray(value_at_stake, dtype=np.float64), nan=-np.inf)
    # lexsort: last key is primary -> (-score, -value, product)
    order = np.lexsort((np.asarray(products, dtype=str), -value, -score))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    return Scored(score, contributions, dict(raw), std, order, rank)
