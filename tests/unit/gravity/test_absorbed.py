"""A covariate absorbed by a fixed effect up to rounding noise is refused before estimation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tradecoop.errors import EstimationError
from tradecoop.gravity.estimate import _absorbed, fit_gravity
from tradecoop.gravity.spec import GravitySpec


def _panel(noise: float) -> pd.DataFrame:
    # 6 countries, 3 years; ln_dist is a pair constant plus tiny noise (as stored data carry)
    rng = np.random.default_rng(3)
    rows = []
    for i in range(6):
        for j in range(6):
            if i == j:
                continue
            base = 5.0 + abs(i - j)
            for t in (2000, 2004, 2008):
                rows.append({"exporter": f"C{i}", "importer": f"C{j}", "year": t,
                             "ln_dist": base + noise * rng.standard_normal(),
                             "rta": float((i + j + t) % 3 == 0),
                             "trade": float(rng.lognormal(3, 1))})
    return pd.DataFrame(rows)


def test_noisy_time_invariant_covariate_is_absorbed_by_the_pair_effect() -> None:
    spec = GravitySpec.from_formula("trade ~ ln_dist + rta | exporter^year + importer^year + pair_id")
    with pytest.raises(EstimationError, match=r"ln_dist are absorbed .* constant within each pair_id group"):
        fit_gravity(_panel(1e-9), spec)


def test_a_covariate_that_really_varies_is_not_flagged() -> None:
    spec = GravitySpec.from_formula("trade ~ ln_dist + rta | exporter^year + importer^year + pair_id")
    frame = _panel(0.5).assign(pair_id=lambda f: f["exporter"] + "_" + f["importer"])
    assert _absorbed(frame, spec) == {}
