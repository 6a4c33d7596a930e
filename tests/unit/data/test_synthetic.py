"""Synthetic BACI generator: deterministic, BACI-shaped, and importable by the BACI importer."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tradecoop.data.nomenclature.hs_codes import hs6_codes
from tradecoop.data.sources import import_files
from tradecoop.data.synthetic import generate_baci, synthetic_baci_frame, synthetic_world_exports
from tradecoop.errors import DataQualityWarning

SMALL = {"n_countries": 30, "n_products": 200, "years": (2021, 2022), "target_rows": 4_000}


def test_deterministic_and_sized():
    a = synthetic_baci_frame(seed=1, **SMALL)
    b = synthetic_baci_frame(seed=1, **SMALL)
    c = synthetic_baci_frame(seed=2, **SMALL)
    assert a.equals(b) and not a.equals(c)
    assert len(a) == 4_000 and a.groupby("t").size().tolist() == [2_000, 2_000]
    assert not (a["i"] == a["j"]).any()
    assert not a.duplicated(["t", "i", "j", "k"]).any()
    assert set(a["k"]) <= hs6_codes("HS17")


def test_heavy_tails_and_concentration():
    frame = synthetic_baci_frame(seed=0, **SMALL)
    v = np.sort(frame["v"].to_numpy())[::-1]
    # heavy tail: the top 1% of flows carry far more than 1% of value (here over a quarter)
    assert v[: len(v) // 100].sum() / v.sum() > 0.25
    # exporters differ a lot in how many flows they have (sparsity by size)
    per_exporter = frame.groupby("i").size()
    assert per_exporter.max() > 10 * per_exporter.min()
    assert 0.02 < frame["q"].isna().mean() < 0.10  # about 5% missing quantities


def test_written_files_import(tmp_path, store):
    out = generate_baci(tmp_path / "baci", seed=3, **SMALL)
    files = sorted(out.glob("BACI_HS17_Y*_V202401.csv"))
    assert [f.name for f in files] == ["BACI_HS17_Y2021_V202401.csv", "BACI_HS17_Y2022_V202401.csv"]
    assert "NA" in files[0].read_text()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        info = import_files("baci", files, store=store, name="syn").info
    assert info.rows == 4_000 and info.years == (2021, 2022)
    frame = store.frame("syn")
    raw = synthetic_baci_frame(seed=3, **SMALL)
    assert frame["value_usd"].sum() == pytest.approx(raw["v"].sum() * 1000)


def test_world_exports_shape():
    frame = synthetic_world_exports(20, 100, (2020,), seed=0, density=0.3)
    assert list(frame.columns) == ["year", "location", "product", "value"]
    assert 0.2 < len(frame) / (20 * 100) < 0.45 and (frame["value"] > 0).all()
