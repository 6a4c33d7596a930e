"""The bundled datasets: manifest consistent with the files, canonical columns, facts from outside.

External reference values (not produced by our code):
- Belarus 2017 exports 30.3 bn USD with top headings 2710, 3104, 8704, 0406, 8701 — UN Comtrade
  figures as quoted in the project's data sources list (SOURCES.md).
- WIOD 2011 Russia domestic technical coefficients basic metals -> machinery 0.151, -> transport
  equipment 0.107 (SOURCES.md, from the WIOD 2013 release).
- The 11 Belarus-Russia DESTA treaties (DESTA v2.0 dyadic list, Dür, Baccini & Elsig 2014).
- Belarus-Russia population-weighted distance 687 km, contiguous (CEPII GeoDist).
"""

from __future__ import annotations

import json
from functools import cache

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tradecoop import columns as C
from tradecoop.data.bundled import DATASETS_DIR, MANIFEST, bundled_info, bundled_path, list_bundled

#: relative tolerance on totals quoted with 3 significant digits (30.3 bn)
REL_TOL_3_DIGITS = 0.005
#: absolute tolerance on coefficients quoted with 3 decimals (0.151)
ABS_TOL_3_DECIMALS = 0.0005
#: all bundled files together must stay below this (task limit: keep the wheel small)
MAX_BUNDLE_BYTES = 30 * 1024 * 1024

EXPECTED = {
    "world_hs4_2017": C.WORLD_EXPORTS_COLUMNS,
    "brics_hs6": C.WORLD_EXPORTS_COLUMNS,
    "world_totals_hs6": C.WORLD_EXPORTS_COLUMNS,
    "bilateral_totals": (*C.BILATERAL_TOTALS_COLUMNS, "missing_report"),
    "gravity_covariates": (*C.GRAVITY_COVARIATES_COLUMNS, "distcap"),
    "treaties": C.AGREEMENTS_COLUMNS,
    "io_coefficients": C.IO_COEFFICIENTS_COLUMNS,
    "population_2017": (C.YEAR, C.LOCATION, "population", "gdp_usd"),
    "icio2022_inputs": (C.YEAR, C.LOCATION, "output_sector", "input_country", "input_sector", "value_usd_mn"),
    "icio2022_gross_output": (C.YEAR, C.LOCATION, "sector", "sector_name", "gross_output_usd_mn"),
    "icio2022_pair_intermediate": (C.YEAR, C.EXPORTER, C.IMPORTER, "value_usd_mn"),
}
YEAR_COLUMN = {"treaties": "signed_year"}


@cache
def _frame(name: str) -> pd.DataFrame:
    return pd.read_parquet(bundled_path(name))


def test_manifest_lists_every_expected_dataset() -> None:
    names = [info.name for info, _ in list_bundled()]
    assert sorted(names) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_manifest_entry_matches_file(name: str) -> None:
    info = bundled_info(name)
    path = bundled_path(name)
    assert path.exists(), path
    meta = pq.read_metadata(path)
    assert meta.num_rows == info.rows
    frame = _frame(name)
    missing = [c for c in EXPECTED[name] if c not in frame.columns]
    assert not missing, f"{name}: missing canonical columns {missing}"
    assert info.bundled is True and info.estimated is False
    assert len(info.content_hash) == 64 and info.licence and info.source and info.files
    if info.years is not None:
        col = YEAR_COLUMN.get(name, C.YEAR)
        assert (int(frame[col].min()), int(frame[col].max())) == tuple(info.years)


@pytest.mark.parametrize("name", ["world_hs4_2017", "brics_hs6", "world_totals_hs6"])
def test_world_exports_codes_are_canonical(name: str) -> None:
    frame = _frame(name)
    width = 4 if name == "world_hs4_2017" else 6
    assert frame[C.PRODUCT].str.fullmatch(rf"\d{{{width}}}").all()
    assert frame[C.EXPORTER].str.fullmatch(r"[A-Z]{3}").all()
    assert (frame[C.VALUE_USD] >= 0).all() and frame[C.VALUE_USD].notna().all()
    assert not frame.duplicated([C.YEAR, C.EXPORTER, C.PRODUCT]).any()


def test_belarus_2017_total_and_top_products() -> None:
    frame = _frame("world_hs4_2017")
    blr = frame[frame[C.EXPORTER] == "BLR"]
    assert blr[C.VALUE_USD].sum() == pytest.approx(30.3e9, rel=REL_TOL_3_DIGITS)
    top5 = blr.nlargest(5, C.VALUE_USD)[C.PRODUCT].tolist()
    assert top5 == ["2710", "3104", "8704", "0406", "8701"]


def test_world_hs4_has_no_nan_rows_and_notes_say_so() -> None:
    frame = _frame("world_hs4_2017")
    assert frame[C.VALUE_USD].notna().all()
    assert any("not reported" in note for note in bundled_info("world_hs4_2017").notes)


def test_brics_members_and_world_total_bounds() -> None:
    brics = _frame("brics_hs6")
    assert set(brics[C.EXPORTER]) == {
        "BRA",
        "RUS",
        "IND",
        "CHN",
        "ZAF",
        "EGY",
        "ETH",
        "IRN",
        "SAU",
        "ARE",
        "IDN",
    }
    world = _frame("world_totals_hs6")
    assert set(world[C.EXPORTER]) == {C.WORLD}
    # the 11 members' exports of a product can never exceed the world's exports of it
    members = brics.groupby([C.YEAR, C.PRODUCT])[C.VALUE_USD].sum().rename("members")
    joined = members.to_frame().join(world.set_index([C.YEAR, C.PRODUCT])[C.VALUE_USD], how="inner")
    assert len(joined) > 0.9 * len(members)
    assert (joined["members"] <= joined[C.VALUE_USD] * (1 + 1e-9)).all()


def test_rus_blr_missing_reports_flagged() -> None:
    frame = _frame("bilateral_totals")
    rus_blr = frame[(frame[C.EXPORTER] == "RUS") & (frame[C.IMPORTER] == "BLR")].set_index(C.YEAR)
    assert rus_blr.loc[[2000, 2004, 2008], "missing_report"].all()
    assert (rus_blr.loc[[2000, 2004, 2008], C.VALUE_USD] == 0).all()
    assert not rus_blr.loc[[2012, 2016], "missing_report"].any()
    # only the documented case carries the flag; other suspects use suspect_zero
    assert int(frame["missing_report"].sum()) == 3
    assert frame.loc[frame["suspect_zero"], C.VALUE_USD].eq(0).all()
    # the rule-based flag finds the documented case on its own
    assert rus_blr.loc[[2000, 2004, 2008], "suspect_zero"].all()


def test_bilateral_rta_belarus_russia() -> None:
    frame = _frame("bilateral_totals")
    pair = frame[(frame[C.EXPORTER] == "BLR") & (frame[C.IMPORTER] == "RUS")].set_index(C.YEAR)
    assert pair["rta"].all()  # CIS-era agreements from 2000, EAEU in 2016
    assert pair.loc[2016, "agreement"] == "Eurasian Economic Union (EAEU)"
    assert frame.loc[~frame["rta"], "agreement"].isna().all()
    assert frame.loc[frame["rta"], "wb_agreement_id"].notna().all()


def test_gravity_covariates_belarus_russia() -> None:
    frame = _frame("gravity_covariates")
    pair = frame[(frame[C.EXPORTER] == "BLR") & (frame[C.IMPORTER] == "RUS")]
    back = frame[(frame[C.EXPORTER] == "RUS") & (frame[C.IMPORTER] == "BLR")]
    assert len(pair) == len(back) == 1
    assert pair[C.DISTANCE].iloc[0] == pytest.approx(687, abs=1)
    assert pair[C.CONTIGUITY].iloc[0] == 1 and back[C.DISTANCE].iloc[0] == pair[C.DISTANCE].iloc[0]
    assert not frame.duplicated([C.EXPORTER, C.IMPORTER]).any()


def test_the_eleven_belarus_russia_treaties() -> None:
    frame = _frame("treaties").set_index("agreement_id")
    expected = {  # DESTA number: (signed, in force or None)
        "DESTA-107": (1992, None),
        "DESTA-108": (1995, None),
        "DESTA-109": (1999, 2000),
        "DESTA-244": (1994, 1994),
        "DESTA-435": (1996, 1997),
        "DESTA-717": (1998, None),
        "DESTA-434": (1999, 2001),
        "DESTA-242": (2003, 2004),
        "DESTA-104": (2009, 2010),
        "DESTA-811": (2011, 2012),
        "DESTA-1040": (2014, 2015),
    }
    for agreement_id, (signed, in_force) in expected.items():
        row = frame.loc[agreement_id]
        parties = set(row["parties"].split(";"))
        assert {"BLR", "RUS"} <= parties, agreement_id
        assert row["signed_year"] == signed, agreement_id
        if in_force is None:
            assert pd.isna(row["in_force_year"]), agreement_id
        else:
            assert row["in_force_year"] == in_force, agreement_id
    assert "Union State" in frame.loc["DESTA-109", "name"]
    assert frame.loc["DESTA-1040", "name"].startswith("Eurasian Economic Union")
    assert frame.loc["DESTA-107", "type"] == "bilateral"


def test_wiod_russia_basic_metals_coefficients() -> None:
    frame = _frame("io_coefficients")
    rus = frame[(frame[C.LOCATION] == "RUS") & (frame["input_sector"] == "27t28")].set_index(
        "output_sector"
    )
    assert rus.loc["29", "coefficient"] == pytest.approx(0.151, abs=ABS_TOL_3_DECIMALS)
    assert rus.loc["34t35", "coefficient"] == pytest.approx(0.107, abs=ABS_TOL_3_DECIMALS)
    assert "BLR" not in set(frame[C.LOCATION]) and "ROW" in set(frame[C.LOCATION])
    # domestic coefficients: column sums are the domestic input share of output, in [0, 1]
    col_sums = frame.groupby([C.LOCATION, "output_sector"])["coefficient"].sum()
    assert ((col_sums >= 0) & (col_sums <= 1)).all()
    # total use (domestic + imported inputs) can never be below domestic use
    assert (frame["coefficient_total"] >= frame["coefficient"] - 1e-12).all()
    total_sums = frame.groupby([C.LOCATION, "output_sector"])["coefficient_total"].sum()
    assert (total_sums <= 1).all()  # intermediate inputs cannot exceed gross output


def test_population_has_belarus_and_russia() -> None:
    frame = _frame("population_2017").set_index(C.LOCATION)
    # WDI 2017: Belarus ~9.5 million people, Russia ~144.5 million
    assert frame.loc["BLR", "population"] == pytest.approx(9.5e6, rel=0.02)
    assert frame.loc["RUS", "population"] == pytest.approx(144.5e6, rel=0.02)


def test_total_size_within_limit() -> None:
    total = sum(p.stat().st_size for p in DATASETS_DIR.rglob("*") if p.is_file())
    assert total <= MAX_BUNDLE_BYTES


def test_manifest_is_valid_json_with_relative_paths() -> None:
    data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    for name, entry in data.items():
        assert entry["name"] == name
        assert "/" not in entry["path"] and entry["path"].endswith(".parquet")
