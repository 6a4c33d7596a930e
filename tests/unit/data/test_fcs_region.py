"""FCS regional importer: months -> years, HS10 -> HS6, OKATO -> ISO 3166-2, the region reports.

Fixture ``tests/fixtures/data/fcs/chelyabinsk_2021.csv``, expected by hand:
    X RU-CHE->BLR 720851: 1000.5 + 2000.25 = 3000.75 USD (Jan + Feb), (2000+3000) kg = 5 t
    X RU-CHE->KAZ 720851: 500 USD, 1 t
    M BLR->RU-CHE 870192: 40,000 + 60,000 = 100,000 USD (Mar + Nov), 8.5 t
    X RU-MOW->BLR 720851: 300 USD ('45000 - MOSCOW')
    OKATO 35 (no ISO 3166-2:RU code) dropped with a warning (1 row).
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from tradecoop.data.sources import import_files
from tradecoop.errors import DataQualityWarning, DataValidationError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"

SRC = FIXTURES / "fcs" / "chelyabinsk_2021.csv"


def _import(path, store, name="fcs", **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return import_files("fcs-region", [path], store=store, name=name, **kw)


def test_months_summed_and_regions_mapped(store):
    with pytest.warns(DataQualityWarning, match=r"dropped 1 rows whose region .*35000"):
        import_files("fcs-region", [SRC], store=store, name="fcs")
    frame = store.frame("fcs").set_index(["flow", "exporter", "importer", "product"])
    assert len(frame) == 4
    assert frame.loc[("X", "RU-CHE", "BLR", "720851"), "value_usd"] == pytest.approx(3000.75)
    assert frame.loc[("X", "RU-CHE", "BLR", "720851"), "quantity"] == pytest.approx(5.0)
    assert frame.loc[("X", "RU-CHE", "KAZ", "720851"), "value_usd"] == pytest.approx(500)
    assert frame.loc[("M", "BLR", "RU-CHE", "870192"), "value_usd"] == pytest.approx(100_000)
    assert frame.loc[("M", "BLR", "RU-CHE", "870192"), "reporter"] == "RU-CHE"
    assert frame.loc[("X", "RU-MOW", "BLR", "720851"), "value_usd"] == pytest.approx(300)
    assert set(frame["year"]) == {2021} and set(frame["hs_vintage"]) == {"HS17"}


def test_reimport_is_idempotent(store, snap):
    _import(SRC, store)
    before = snap()
    assert _import(SRC, store).status == "unchanged"
    assert snap() == before


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("EXP,02/2021,BY", "EXP,2/2021,BY", r"chelyabinsk_2021\.csv, line 3, column 'PERIOD': malformed period '2/2021'; expected MM/YYYY"),
        ("EXP,02/2021,BY", "EXP,13/2021,BY", r"line 3, column 'PERIOD': malformed period '13/2021'"),
        ("DIRECTION,PERIOD", "DIRECTON,PERIOD", r"line 1 \(header\): missing column 'DIRECTION'; did you mean 'DIRECTON'\?"),
        (",,500,1000", ",,5OO,1000", r"line 4, column 'VALUE': expected a number, found '5OO'"),
        (",,500,1000", ",,-500,1000", r"line 4, column 'VALUE': expected a non-negative value"),
        ("EXP,02/2021,KZ", "EXP,02/2021,QQ", r"line 4, column 'COUNTRY': unknown partner country 'QQ'"),
        ("75000 - CHELYABINSK REGION,URAL FEDERAL DISTRICT\nEXP,02/2021,KZ", "75000 - CHELYABINSK REGION,URAL FEDERAL DISTRICT\nEXP,02/2021,KZ,7208510000,,500,1000,0,02000 - NOWHERE,X\nEXP,02/2021,KZ", r"line 4, column 'REGION': unknown region '02000 - NOWHERE'"),
        ("IMP,11/2021,BY,8701920000", "IMP,03/2021,BY,8701920000", r"line 6: duplicate key \(DIRECTION=IMP, PERIOD=03/2021, COUNTRY=BY, HS=8701920000, REGION=75000 - CHELYABINSK REGION\); first seen at chelyabinsk_2021\.csv, line 5"),
        ("IMP,11/2021,BY,8701920000", "IMP,01/2022,BY,8701920000", r"line 6, column 'PERIOD': mixed HS vintages in one dataset: 01/2022 is HS22"),
        ("IMP,11/2021,BY,8701920000", "IMP,11/2021,BY,8701900000", r"line 6, column 'HS': unknown product code '870190' \(not an HS6 code of HS17\)"),
    ],
    ids=["period-single-digit-month", "period-month-13", "misspelt-column", "non-numeric",
         "negative", "unknown-country", "unknown-region", "duplicate-key", "mixed-vintage",
         "unknown-product"],
)
def test_bad_input_is_rejected_and_store_unchanged(tmp_path, store, snap, old, new, expected):
    path = tmp_path / "chelyabinsk_2021.csv"
    shutil.copy(SRC, path)
    _import(path, store)
    before = snap()
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataValidationError, match=expected):
        _import(path, store)
    assert snap() == before


def test_explicit_vintage_allows_a_file_across_editions(tmp_path, store):
    path = tmp_path / "f.csv"
    path.write_text(SRC.read_text().replace("IMP,11/2021", "IMP,01/2022"))
    info = _import(path, store, hs_vintage="HS17").info
    assert info.years == (2021, 2022) and info.hs_vintage == "HS17"
