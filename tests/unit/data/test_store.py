"""Store: location of the directory, listing bundled + imported datasets, queries, removal."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pandas as pd
import pytest

from tradecoop.data import paths
from tradecoop.data import store as store_mod
from tradecoop.data.provenance import DatasetInfo
from tradecoop.data.sources import import_files
from tradecoop.data.store import open_store
from tradecoop.errors import ConflictError, DataQualityWarning, DataValidationError, NotFoundError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"


@pytest.fixture
def fake_bundled(tmp_path, monkeypatch):
    """One bundled world_exports dataset (3 rows) in place of the real manifest."""
    path = tmp_path / "world.parquet"
    pd.DataFrame({"year": [2017] * 3, "exporter": ["BLR", "BLR", "RUS"],
                  "product": ["8701", "3104", "3104"], "hs_vintage": ["HS12"] * 3,
                  "value_usd": [10.0, 20.0, 5.0], "source": ["test"] * 3,
                  "estimated": [False] * 3}).to_parquet(path)
    info = DatasetInfo(name="world_hs4_2017", table="world_exports", source="test", files=("x",),
                       content_hash="0" * 64, rows=3, years=(2017, 2017), hs_vintage="HS12",
                       licence="test", imported_at="2026-01-01T00:00:00+00:00", bundled=True)
    monkeypatch.setattr(store_mod, "list_bundled", lambda: [(info, path)])
    return info


def test_store_dir_resolution(monkeypatch, tmp_path):
    monkeypatch.setenv("TRADECOOP_STORE", str(tmp_path / "env"))
    assert paths.resolve_store_dir() == tmp_path / "env"
    assert paths.resolve_store_dir(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("TRADECOOP_STORE")
    assert paths.resolve_store_dir() == paths.default_store_dir()
    assert "tradecoop" in str(paths.default_store_dir())


def test_open_store_creates_nothing(tmp_path):
    st = open_store(tmp_path / "new")
    imported = [i for i in st.datasets() if not i.bundled]
    assert imported == [] and not (tmp_path / "new").exists()


def test_bundled_listed_without_import(fake_bundled, store):
    assert [i.name for i in store.datasets()] == ["world_hs4_2017"]
    lpv = store.location_product_values("world_hs4_2017").execute()
    assert list(lpv.columns) == ["year", "location", "product", "value"]
    assert lpv.set_index(["location", "product"]).loc[("BLR", "3104"), "value"] == 20.0
    assert len(store.frame("world_hs4_2017", exporter="BLR")) == 2
    assert len(store.frame("world_hs4_2017", product=["3104", "8701"], exporter="RUS")) == 1


def test_listing_sorted_and_info_errors(fake_bundled, store):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        import_files("baci", [FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"], store=store,
                     name="a_baci")
    assert [i.name for i in store.datasets()] == ["a_baci", "world_hs4_2017"]
    with pytest.raises(NotFoundError, match=r"no dataset named 'a_bac'.*did you mean 'a_baci'"):
        store.info("a_bac")
    with pytest.raises(DataValidationError, match="has no column 'colour'"):
        store.frame("a_baci", colour="red")
    with pytest.raises(ConflictError, match="bundled"):
        import_files("baci", [FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"], store=store,
                     name="world_hs4_2017")
    with pytest.raises(ConflictError, match="cannot be removed"):
        store.remove("world_hs4_2017")


def test_years_filter_and_remove(store, store_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        import_files("baci", [FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"], store=store,
                     name="b")
    assert store.location_product_values("b", years=[2021]).execute().empty
    assert len(store.location_product_values("b", years=2022).execute()) == 3
    record = json.loads((store_dir / "datasets" / "b" / "info.json").read_text())
    assert record["import"] == {"format": "baci", "options": {}}
    store.remove("b")
    assert [i.name for i in store.datasets() if not i.bundled] == []
    assert not (store_dir / "datasets" / "b").exists()
    assert not (store_dir / ".staging").exists()


def test_invalid_name_rejected(store):
    with pytest.raises(DataValidationError, match="invalid dataset name 'Bad Name'"):
        import_files("baci", [FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"], store=store,
                     name="Bad Name")


def test_missing_file_and_unknown_format(store):
    with pytest.raises(NotFoundError, match="input file not found"):
        import_files("csv", ["/nonexistent.csv"], store=store, name="x", mapping="year=a,exporter=b,product=c,value=d", hs_vintage="HS17")
    with pytest.raises(DataValidationError, match="unknown import format 'xls'"):
        import_files("xls", ["/nonexistent.csv"], store=store, name="x")


def test_read_is_kept_per_process_and_hands_out_copies(fake_bundled, store):
    first = store.read("world_hs4_2017")
    first.loc[:, "value_usd"] = -1.0  # a caller changing its frame changes no one else's
    second = store.read("world_hs4_2017")
    assert second["value_usd"].tolist() == [10.0, 20.0, 5.0]
    calls = []
    store.derived(("demo",), ("world_hs4_2017",), lambda: calls.append(1))
    store.derived(("demo",), ("world_hs4_2017",), lambda: calls.append(1))
    assert calls == [1]  # computed once while the file is unchanged
    lpv = store.read_location_product_values("world_hs4_2017")
    assert lpv.set_index(["location", "product"]).loc[("BLR", "3104"), "value"] == 20.0


def test_read_sees_a_replaced_file(fake_bundled, store):
    path = store.path("world_hs4_2017")
    assert store.read("world_hs4_2017")["value_usd"].sum() == 35.0
    frame = pd.read_parquet(path)
    frame["value_usd"] = [1.0, 2.0, 3.0]
    frame.iloc[:2].to_parquet(path)  # another size and time: an import that replaced the file
    assert store.read("world_hs4_2017")["value_usd"].tolist() == [1.0, 2.0]


def test_duckdb_settings_are_read_when_a_connection_is_made(monkeypatch):
    monkeypatch.setenv("TRADECOOP_DUCKDB_MEMORY", "512MB")
    monkeypatch.setenv("TRADECOOP_DUCKDB_THREADS", "1")
    assert store_mod.duckdb_settings() == {"memory_limit": "512MB", "threads": 1}
    monkeypatch.delenv("TRADECOOP_DUCKDB_MEMORY")
    assert store_mod.duckdb_settings()["memory_limit"] == "4GB"
