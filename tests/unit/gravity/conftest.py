"""A small simulated gravity panel with known coefficients (seeded)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture(scope="module", autouse=True)
def _module_store(tmp_path_factory: pytest.TempPathFactory):
    """A temporary store for module-scoped fixtures, which run before the per-test store of
    tests/conftest.py is set: trade_potential keeps its fits in the store's cache folder, and
    without this they would go to (and be read from) the user's real data directory."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRADECOOP_STORE", str(tmp_path_factory.mktemp("module-store")))
        yield


#: true coefficients of the simulated panel (repeated in test_estimate.py)
TRUE_BETA = {"ln_dist": -0.9, "cntg": 0.5}


def simulate_panel(n_countries: int = 15, years=(2000, 2004, 2008), seed: int = 7, scale: float = 1e4):
    """X_ijt ~ Poisson(scale * exp(pi_it + chi_jt + b'Z_ij)); symmetric distance, random contiguity."""
    rng = np.random.default_rng(seed)
    codes = [f"C{k:02d}" for k in range(n_countries)]
    xy = rng.uniform(0, 50, size=(n_countries, 2))
    rows = []
    pi = {(c, t): rng.normal(0, 0.5) for c in codes for t in years}
    chi = {(c, t): rng.normal(0, 0.5) for c in codes for t in years}
    contig = {}
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            if i < j:
                contig[(a, b)] = contig[(b, a)] = int(rng.random() < 0.2)
    for t in years:
        for i, a in enumerate(codes):
            for j, b in enumerate(codes):
                if i == j:
                    continue
                dist = 100.0 * (1.0 + np.hypot(*(xy[i] - xy[j])))
                eta = pi[(a, t)] + chi[(b, t)] + TRUE_BETA["ln_dist"] * np.log(dist / 100.0) \
                    + TRUE_BETA["cntg"] * contig[(a, b)]
                rows.append((t, a, b, dist, contig[(a, b)], eta))
    frame = pd.DataFrame(rows, columns=["year", "exporter", "importer", "dist", "cntg", "eta"])
    frame["trade"] = rng.poisson(scale * np.exp(frame["eta"])).astype(float)
    return frame.drop(columns="eta")


@pytest.fixture(scope="session")
def sim_panel() -> pd.DataFrame:
    return simulate_panel()


#: log-point shocks applied to two pairs' flows in every year of the potential panel
OVER_PAIR, UNDER_PAIR, SHOCK = ("C00", "C01"), ("C02", "C03"), 1.5


@pytest.fixture(scope="session")
def potential_panel() -> pd.DataFrame:
    """Simulated panel with lang, clny, a time-varying rta, and two shocked pairs.

    C00 -> C01 trades e^1.5 (~4.5x) more and C02 -> C03 e^-1.5 less than gravity predicts,
    in every year: a pair effect that observables cannot explain.
    """
    rng = np.random.default_rng(11)
    frame = simulate_panel(n_countries=15, seed=3)
    pairs = frame[["exporter", "importer"]].drop_duplicates()
    pairs["lang"] = (rng.random(len(pairs)) < 0.15).astype(int)
    pairs["clny"] = (rng.random(len(pairs)) < 0.05).astype(int)
    pairs["rta_start"] = rng.choice([1990, 2002, 2006, 2100], size=len(pairs))
    frame = frame.merge(pairs, on=["exporter", "importer"])
    frame["rta"] = (frame["year"] >= frame["rta_start"]).astype(float)
    frame["ln_dist"] = np.log(frame["dist"])
    frame = frame.drop(columns="rta_start")
    for (exp, imp), sign in ((OVER_PAIR, 1.0), (UNDER_PAIR, -1.0)):
        rows = (frame["exporter"] == exp) & (frame["importer"] == imp)
        frame.loc[rows, "trade"] = np.round(frame.loc[rows, "trade"] * np.exp(sign * SHOCK))
    return frame
