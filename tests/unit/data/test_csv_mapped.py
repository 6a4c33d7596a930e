"""Mapped CSV/Parquet importer: mapping, units, names as locations, HS4, errors.

Fixture ``tests/fixtures/data/csv/flows.csv`` (values in million USD), expected by hand:
    2020 BLR->RUS 870192  1.5  -> 1,500,000 USD, 10 t   ('Belarus' and 'RUS')
    2020 BLR->RUS 040690  2    -> 2,000,000 USD         ('BY', code 40690 zero-padded)
    2020 RUS->BLR 310420  0.25 ->   250,000 USD         (ISO numeric '643')
    2021 BLR->RUS 870192  1.75 -> 1,750,000 USD         ('Беларусь', 'Россия')
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from tradecoop.data.sources import import_files
from tradecoop.data.sources.csv_mapped import parse_mapping
from tradecoop.errors import DataQualityWarning, DataValidationError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"
SRC = FIXTURES / "csv" / "flows.csv"
MAP = "year=Year,exporter=From,importer=To,product=HS6,value=Value,quantity=Tonnes"


def _import(path, store, name="flows", mapping=MAP, unit="million_usd", hs_vintage="HS17", **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return import_files("csv", [path], store=store, name=name, mapping=mapping, unit=unit,
                            hs_vintage=hs_vintage, **kw)


def test_mapping_units_and_location_names(store):
    _import(SRC, store)
    frame = store.frame("flows").set_index(["year", "exporter", "importer", "product"])
    assert frame.loc[(2020, "BLR", "RUS", "870192"), "value_usd"] == pytest.approx(1_500_000)
    assert frame.loc[(2020, "BLR", "RUS", "870192"), "quantity"] == pytest.approx(10)
    assert frame.loc[(2020, "BLR", "RUS", "040690"), "value_usd"] == pytest.approx(2_000_000)
    assert frame.loc[(2020, "RUS", "BLR", "310420"), "value_usd"] == pytest.approx(250_000)
    assert frame.loc[(2021, "BLR", "RUS", "870192"), "value_usd"] == pytest.approx(1_750_000)
    info = store.info("flows")
    assert info.table == "bilateral_flows" and info.years == (2020, 2021)


@pytest.mark.parametrize(("unit", "factor"), [("usd", 1), ("thousand_usd", 1e3), ("million_usd", 1e6)])
def test_units(store, unit, factor):
    _import(SRC, store, unit=unit)
    total = store.frame("flows")["value_usd"].sum()
    assert total == pytest.approx((1.5 + 2 + 0.25 + 1.75) * factor)


def test_without_importer_gives_world_exports(tmp_path, store):
    path = tmp_path / "world.csv"
    path.write_text("yr,country,hs4,usd\n2017,BLR,8701,100\n2017,BLR,3104,250\n")
    _import(path, store, name="w", mapping="year=yr,exporter=country,product=hs4,value=usd",
            unit="usd")
    frame = store.frame("w")
    assert store.info("w").table == "world_exports"
    assert list(frame.columns) == ["year", "exporter", "product", "hs_vintage", "value_usd",
                                   "source", "estimated"]
    assert sorted(frame["product"]) == ["3104", "8701"]


def test_parquet_input_and_row_numbers(tmp_path, store):
    path = tmp_path / "flows.parquet"
    pd.DataFrame({"Year": [2020, 2020], "From": ["BLR", "BLR"], "To": ["RUS", "RUS"],
                  "HS6": ["870192", "870192"], "Value": [1.0, 2.0]}).to_parquet(path)
    with pytest.raises(DataValidationError, match=r"flows\.parquet, row 2: duplicate key"):
        _import(path, store, mapping="year=Year,exporter=From,importer=To,product=HS6,value=Value")


def test_mapping_parse_errors():
    with pytest.raises(DataValidationError, match="missing field.*value"):
        parse_mapping("year=a,exporter=b,product=c")
    with pytest.raises(DataValidationError, match="unknown field.*colour"):
        parse_mapping("year=a,exporter=b,product=c,value=d,colour=e")
    with pytest.raises(DataValidationError, match="expected FIELD=COLUMN"):
        parse_mapping("year")


@pytest.mark.parametrize(
    ("old", "new", "kw", "expected"),
    [
        ("Year,From", "Yaer,From", {}, r"flows\.csv, line 1 \(header\): missing column 'Year'; did you mean 'Yaer'\?"),
        (",0.25,", ",n/a,", {}, r"flows\.csv, line 4, column 'Value': expected a number, found 'n/a'"),
        (",0.25,", ",-0.25,", {}, r"line 4, column 'Value': expected a non-negative value, found -0.25"),
        ("643,BLR", "Atlantis,BLR", {}, r"line 4, column 'From': unknown exporter location 'Atlantis'"),
        ("310420", "310499", {}, r"line 4, column 'HS6': unknown product code '310499' \(not an HS6 code of HS17\)"),
        ("2021,Беларусь,Россия,870192", "2020,Беларусь,Россия,870192", {}, r"line 5: duplicate key \(Year=2020, From=BLR, To=RUS, HS6=870192\); first seen at flows\.csv, line 2"),
        ("310420", "3104", {}, r"line 4, column 'HS6': expected HS codes of one length"),
        (SRC.read_text(), SRC.read_text().replace("Tonnes\n", "Tonnes,V\n").replace("10\n", "10,HS17\n").replace("2,\n", "2,,\n").replace(",3\n", ",3,HS17\n").replace(",12\n", ",12,HS17\n"), {"mapping": MAP + ",hs_vintage=V", "hs_vintage": None}, r"flows\.csv, line 3, column 'V': empty value"),
    ],
    ids=["misspelt-column", "non-numeric", "negative", "unknown-location", "unknown-product",
         "duplicate-key", "mixed-code-lengths", "vintage-column-empty"],
)
def test_bad_input_is_rejected_and_store_unchanged(tmp_path, store, snap, old, new, kw, expected):
    path = tmp_path / "flows.csv"
    path.write_text(SRC.read_text())
    _import(path, store)
    before = snap()
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataValidationError, match=expected):
        _import(path, store, **kw)
    assert snap() == before


def test_mixed_vintages_in_column(tmp_path, store, snap):
    path = tmp_path / "v.csv"
    path.write_text("y,e,i,p,v,hs\n2020,BLR,RUS,870192,1,HS17\n2020,BLR,RUS,870190,1,HS12\n")
    with pytest.raises(DataValidationError,
                       match=r"v\.csv, line 3, column 'hs': mixed HS vintages in one dataset: "
                             r"found 'HS12', expected HS17"):
        _import(path, store, mapping="year=y,exporter=e,importer=i,product=p,value=v,hs_vintage=hs",
                unit="usd", hs_vintage=None)
    assert snap() == {}
