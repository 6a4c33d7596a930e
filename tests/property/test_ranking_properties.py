"""Properties of the ranker (hypothesis): determinism, exact explanations, monotonicity.

Monotonicity is stated for fixed standardisation constants (the ones reported with every
ranking): z-scoring is then an increasing affine map per criterion, so raising one candidate's
value of a positively weighted criterion raises its score and leaves the others unchanged.
Re-fitting the constants on the changed data is *not* monotone in general (an extreme outlier
moving toward the mean shrinks the standard deviation and inflates the others' z-scores); see
docs/opportunities.md.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tradecoop.opportunities.criteria import Criterion
from tradecoop.opportunities.ranking import Standardiser, score_candidates

CRITERIA = [Criterion("up", 1, "", "", None), Criterion("down", -1, "", "", None)]
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def candidate_sets(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    up = np.array(draw(st.lists(finite, min_size=n, max_size=n)))
    down = np.array(draw(st.lists(finite, min_size=n, max_size=n)))
    value = np.array(draw(st.lists(st.floats(min_value=0, max_value=1e9), min_size=n, max_size=n)))
    weights = {"up": draw(st.floats(0, 5)), "down": draw(st.floats(0, 5))}
    products = np.array([f"{i:06d}" for i in range(n)])
    return {"up": up, "down": down}, value, weights, products


@settings(max_examples=150, deadline=None)
@given(candidate_sets(), st.data())
def test_raising_a_positive_criterion_never_lowers_the_rank(case, data) -> None:
    raw, value, weights, products = case
    base = score_candidates(CRITERIA, weights, raw, value_at_stake=value, products=products)
    i = data.draw(st.integers(0, len(products) - 1))
    delta = data.draw(st.floats(min_value=0, max_value=1e6))
    raised = {"up": raw["up"].copy(), "down": raw["down"].copy()}
    raised["up"][i] += delta  # more of a +1 criterion
    raised["down"][i] -= delta  # less of a -1 criterion
    after = score_candidates(CRITERIA, weights, raised, value_at_stake=value, products=products,
                             standardiser=base.standardiser)
    assert after.rank[i] <= base.rank[i]


@settings(max_examples=100, deadline=None)
@given(candidate_sets())
def test_contributions_add_up_and_order_is_a_permutation(case) -> None:
    raw, value, weights, products = case
    s = score_candidates(CRITERIA, weights, raw, value_at_stake=value, products=products)
    total = sum(s.contributions.values())
    np.testing.assert_allclose(total, s.score, rtol=0, atol=1e-9)
    assert sorted(s.rank.tolist()) == list(range(1, len(products) + 1))


@settings(max_examples=100, deadline=None)
@given(candidate_sets(), st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_input_order(case, rnd) -> None:
    raw, value, weights, products = case
    perm = np.arange(len(products))
    rnd.shuffle(perm)
    s1 = score_candidates(CRITERIA, weights, raw, value_at_stake=value, products=products)
    s2 = score_candidates(CRITERIA, weights, {k: v[perm] for k, v in raw.items()},
                          value_at_stake=value[perm], products=products[perm])
    ranks1 = dict(zip(products.tolist(), s1.rank.tolist(), strict=True))
    ranks2 = dict(zip(products[perm].tolist(), s2.rank.tolist(), strict=True))
    assert ranks1 == ranks2


def test_standardiser_ignores_unknown_values() -> None:
    # raw 1, NaN, 3 -> mean 2, sd 1 over the known values; NaN contributes 0
    std = Standardiser.fit({"c": np.array([1.0, np.nan, 3.0])})
    np.testing.assert_allclose(std.transform("c", np.array([1.0, np.nan, 3.0])), [-1.0, 0.0, 1.0])
