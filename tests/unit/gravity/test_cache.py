"""trade_potential keeps what its fits produce and reads it back: the same numbers, new data refits.

Every test has its own store (tests/conftest.py), so its own cache folder; this process's memory
is emptied around each test, so no test sees another's entries.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tradecoop.errors import DataQualityWarning
from tradecoop.gravity import cache, potential
from tradecoop.gravity.potential import trade_potential

#: (a, b, year): two windows (2000-2008 and 2000-2004), both directions of a pair
PAIRS = [("C00", "C01", None), ("C01", "C00", None), ("C02", "C03", 2008), ("C05", "C09", 2004)]


@pytest.fixture(autouse=True)
def _empty_memory():
    cache.clear_memory()
    yield
    cache.clear_memory()


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch) -> list:
    """The fits that actually run (the countries of each one's sample)."""
    calls: list = []
    real = potential._fit_models

    def counted(panel, treaties, years, keep):
        calls.append(sorted(keep))
        return real(panel, treaties, years, keep)

    monkeypatch.setattr(potential, "_fit_models", counted)
    return calls


def _text(result) -> str:
    return json.dumps(result.to_dict(), sort_keys=True)


def _folder(store_dir: Path) -> Path:
    return store_dir / "cache" / "gravity"


def test_cached_results_equal_fitted_ones(potential_panel: pd.DataFrame, store_dir: Path) -> None:
    for a, b, year in PAIRS:
        fitted = trade_potential(a, b, year, panel=potential_panel, cache=False)
        first = trade_potential(a, b, year, panel=potential_panel)
        cache.clear_memory()
        from_disk = trade_potential(a, b, year, panel=potential_panel)
        from_memory = trade_potential(a, b, year, panel=potential_panel)
        assert _text(first) == _text(fitted)
        assert _text(from_disk) == _text(fitted)
        assert _text(from_memory) == _text(fitted)
    assert len(list(_folder(store_dir).glob("fit-*.npz"))) == 2


def test_one_fit_per_window_whatever_the_pair(potential_panel: pd.DataFrame, fits: list) -> None:
    for a, b, year in PAIRS:
        trade_potential(a, b, year, panel=potential_panel)
    assert len(fits) == 2
    cache.clear_memory()  # a new process: read from the folder
    for a, b, year in PAIRS:
        trade_potential(a, b, year, panel=potential_panel)
    assert len(fits) == 2


def test_changed_panel_or_specification_fits_again(
    potential_panel: pd.DataFrame, fits: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = trade_potential("C00", "C01", panel=potential_panel)
    assert len(fits) == 1
    changed = potential_panel.copy()
    changed.loc[changed.index[5], "trade"] += 5e4  # one flow
    other = trade_potential("C00", "C01", panel=changed)
    assert len(fits) == 2 and other.coefficients != base.coefficients
    trade_potential("C00", "C01", panel=potential_panel, window=2)
    assert len(fits) == 3
    trade_potential("C00", "C01", panel=potential_panel, n_countries=8)
    assert len(fits) == 4
    monkeypatch.setattr(potential, "FIRST_STAGE", ("ln_dist", "cntg", "lang", "rta"))
    fewer = trade_potential("C00", "C01", panel=potential_panel)
    assert len(fits) == 5 and "clny" not in fewer.coefficients and "clny" in base.coefficients
    monkeypatch.setattr(potential, "FIRST_STAGE", ("ln_dist", "cntg", "lang", "clny", "rta"))
    monkeypatch.setattr(cache, "_CODE", ["another version of the code"])
    trade_potential("C00", "C01", panel=potential_panel)
    assert len(fits) == 6
    # and back to the first panel, specification and code: read, not fitted
    monkeypatch.setattr(cache, "_CODE", [])
    cache.clear_memory()
    again = trade_potential("C00", "C01", panel=potential_panel)
    assert len(fits) == 6 and _text(again) == _text(base)


def test_pair_outside_the_common_sample_gets_its_own_fit(potential_panel: pd.DataFrame, fits: list) -> None:
    # C14 exports nothing in 2000: not among the countries present every year unless asked about
    panel = potential_panel[~((potential_panel["year"] == 2000) & (potential_panel["exporter"] == "C14"))]
    with_c14 = trade_potential("C14", "C01", panel=panel)
    common = trade_potential("C00", "C01", panel=panel)
    assert "C14" in with_c14.countries and "C14" not in common.countries
    assert len(fits) == 2 and "C14" in fits[0] and "C14" not in fits[1]
    fitted = trade_potential("C14", "C01", panel=panel, cache=False)
    cache.clear_memory()
    assert _text(trade_potential("C01", "C14", panel=panel)) != _text(fitted)  # the other order
    assert _text(trade_potential("C14", "C01", panel=panel)) == _text(fitted)
    assert len(fits) == 3  # only the uncached call fitted


def test_unusable_cache_folder_means_no_cache(
    potential_panel: pd.DataFrame, store_dir: Path, fits: list
) -> None:
    (store_dir / "cache").write_text("a file where the cache folder would be")
    first = trade_potential("C00", "C01", panel=potential_panel)
    cache.clear_memory()
    second = trade_potential("C00", "C01", panel=potential_panel)
    assert len(fits) == 2 and _text(first) == _text(second)


def test_damaged_entries_are_misses(potential_panel: pd.DataFrame, store_dir: Path, fits: list) -> None:
    first = trade_potential("C00", "C01", panel=potential_panel)
    for path in _folder(store_dir).iterdir():
        path.write_bytes(b"{ not what was written")
    cache.clear_memory()
    second = trade_potential("C00", "C01", panel=potential_panel)
    assert len(fits) == 2 and _text(first) == _text(second)
    cache.clear_memory()  # rewritten whole: read back
    assert _text(trade_potential("C00", "C01", panel=potential_panel)) == _text(first) and len(fits) == 2


def test_concurrent_writers_leave_one_whole_entry(store_dir: Path) -> None:
    size = 200_000
    start = threading.Barrier(8)

    def write(k: int) -> None:
        start.wait()
        assert cache.write_arrays("fit-same.npz", {"x": np.full(size, float(k))})

    threads = [threading.Thread(target=write, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    got = cache.read_arrays("fit-same.npz")["x"]
    assert len(got) == size and (got == got[0]).all() and got[0] in range(8)
    assert [p.name for p in _folder(store_dir).iterdir()] == ["fit-same.npz"]  # no temporary file left


def test_warnings_are_repeated_when_read_back(potential_panel: pd.DataFrame) -> None:
    panel = potential_panel.copy()
    panel.loc[panel.index[:3], "cntg"] = np.nan
    for _ in range(2):
        with pytest.warns(DataQualityWarning, match="dropped 3 of"):
            trade_potential("C00", "C01", panel=panel)
        cache.clear_memory()


def test_progress_is_said_only_when_a_fit_runs(potential_panel: pd.DataFrame, store_dir: Path) -> None:
    lines: list[str] = []
    trade_potential("C00", "C01", panel=potential_panel, progress=lines.append)
    trade_potential("C03", "C04", panel=potential_panel, progress=lines.append)
    assert len(lines) == 1 and "estimating" in lines[0] and str(_folder(store_dir)) in lines[0]


def test_replaced_loader_is_named_by_its_content(potential_panel: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    import tradecoop.gravity.io as gio

    monkeypatch.setattr(gio, "bundled_gravity_panel", lambda: potential_panel)
    assert trade_potential("C00", "C01").a == "C00"
    monkeypatch.setattr(gio, "bundled_gravity_panel", lambda: potential_panel.replace({"C00": "X00"}))
    assert trade_potential("X00", "C01").a == "X00"


def test_customs_union_names_read_without_a_pandas_warning() -> None:
    sample = pd.DataFrame({"pair_id": ["A_B", "B_A", "A_C"], "rta": [1.0, 1.0, 0.0],
                           "agreement": ["EU - Turkey", "EC/EU", None]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = potential._with_rta(sample, None, [2016])
    assert out["cu"].tolist() == [1.0, 1.0, 0.0]


def test_pyfixest_is_imported_only_for_a_fit(potential_panel: pd.DataFrame, store_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "panel.parquet"
    potential_panel.to_parquet(data)
    script = textwrap.dedent(f"""
        import sys
        import pandas as pd
        from tradecoop.gravity.potential import trade_potential
        trade_potential("C00", "C01", panel=pd.read_parquet({str(data)!r}))
        print("pyfixest" in sys.modules)
    """)
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert [r.stdout.strip() for r in runs] == ["True", "False"]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::tradecoop.errors.DataQualityWarning")
def test_stored_panel_cached_equals_fitted(store_dir: Path) -> None:
    # the bundled panel is named by its files' bytes: read back without loading it
    fitted = trade_potential("BLR", "RUS", cache=False)
    assert _text(trade_potential("BLR", "RUS")) == _text(fitted)
    cache.clear_memory()
    calls = []
    real = potential._Source.panel
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(potential._Source, "panel", lambda self: calls.append(1) or real(self))
        assert _text(trade_potential("BLR", "RUS")) == _text(fitted)
        other = trade_potential("KAZ", "RUS")
    assert calls == [] and other.countries == fitted.countries
    assert {p.name.split("-")[0] for p in _folder(store_dir).iterdir()} == {"data", "sample", "fit"}


def test_a_result_changed_by_its_caller_leaves_the_kept_fit_alone(potential_panel: pd.DataFrame) -> None:
    first = trade_potential("C00", "C01", panel=potential_panel)
    kept = _text(first)
    first.coefficients["ln_dist"]["estimate"] = 99.0
    first.second_stage.clear()
    assert _text(trade_potential("C00", "C01", panel=potential_panel)) == kept


def test_sensitivity_on_the_headline_sample_reads_the_headline_fit(
    potential_panel: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a kept fit may come from another process, whose refit could differ in the eighth digit:
    # the sensitivity row of the same sample must still be the headline, number for number
    headline = trade_potential("C00", "C01", panel=potential_panel)
    real = potential._stage_b

    def refit_elsewhere(sample, years):
        mu, mu_hat, se_gap, sd, res_b, stage2, pairs = real(sample, years)
        return mu, mu_hat + 1e-6, se_gap, sd, res_b, stage2, pairs

    monkeypatch.setattr(potential, "_stage_b", refit_elsewhere)
    result = trade_potential("C00", "C01", panel=potential_panel, sensitivity=True)
    every = [r for r in result.pair_gap_sensitivity if r["sample"] == "all"]
    assert [r["pair_gap"] for r in every] == [d.pair_gap for d in headline.directions]
    assert all(r["countries"] == len(headline.countries) for r in every)
    smaller = trade_potential("C00", "C01", panel=potential_panel, n_countries=8, sensitivity=True)
    every = [r for r in smaller.pair_gap_sensitivity if r["sample"] == "all"]
    assert every[0]["pair_gap"] == pytest.approx(headline.directions[0].pair_gap + 1e-6, abs=1e-12)


def test_folder_keeps_the_most_recently_used_entries(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(cache, "FOLDER_ENTRIES", 3)
    folder = _folder(store_dir)
    for k in range(3):
        assert cache.write_json(f"data-{k}.json", {"k": k})
        os.utime(folder / f"data-{k}.json", (1000 + k, 1000 + k))  # data-0 the oldest
    assert cache.read_json("data-0.json") == {"k": 0}  # used now: the most recent
    dead = folder / ".data-9.json.x.tmp"
    dead.write_text("left by a writer that died")
    os.utime(dead, (1, 1))
    assert cache.write_json("data-3.json", {"k": 3})
    assert sorted(p.name for p in folder.iterdir()) == ["data-0.json", "data-2.json", "data-3.json"]
