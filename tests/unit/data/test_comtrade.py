"""UN Comtrade importer: current and legacy column names, flows kept apart, drop policies.

Fixtures ``tests/fixtures/data/comtrade/{current,legacy}.csv`` hold the same declarations of
Belarus (reporter) for 2021 in the two column layouts. Kept after the policies (by hand):

    X BLR->RUS 870192  1,500,500 USD  120 t      X BLR->RUS 040690 2,000,000 USD
    M RUS->BLR 310420     10,250 USD    3 t      X BLR->WLD 870192 1,507,500 USD
Dropped: re-export (RX / code 3), HS2 row '87' and 'TOTAL' (coarser levels), partner '_X' /
empty (areas nes), and (current only) a mode-of-transport breakdown row (motCode 3).
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from tradecoop.data.sources import import_files
from tradecoop.errors import DataQualityWarning, DataValidationError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"

COLUMNS = ["year", "reporter", "flow", "exporter", "importer", "product", "value_usd", "quantity"]


def _load(path, store, name, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        import_files("comtrade", [path], store=store, name=name, **kw)
    return store.frame(name)[COLUMNS].sort_values(COLUMNS).reset_index(drop=True)


def test_current_and_legacy_columns_give_the_same_table(store):
    current = _load(FIXTURES / "comtrade" / "current.csv", store, "cur")
    legacy = _load(FIXTURES / "comtrade" / "legacy.csv", store, "leg")
    assert current.equals(legacy)
    rows = {(r.flow, r.exporter, r.importer, r.product): r for r in current.itertuples()}
    assert set(rows) == {("X", "BLR", "RUS", "870192"), ("X", "BLR", "RUS", "040690"),
                         ("M", "RUS", "BLR", "310420"), ("X", "BLR", "WLD", "870192")}
    assert rows[("X", "BLR", "RUS", "870192")].value_usd == pytest.approx(1_500_500)
    assert rows[("X", "BLR", "RUS", "870192")].quantity == pytest.approx(120.0)  # 120,000 kg
    assert rows[("M", "RUS", "BLR", "310420")].value_usd == pytest.approx(10_250)
    assert set(current["reporter"]) == {"BLR"}
    info = store.info("cur")
    assert info.table == "reported_flows" and info.hs_vintage == "HS17"


def test_drop_policies_warn_with_counts(store):
    with pytest.warns(DataQualityWarning) as record:
        import_files("comtrade", [FIXTURES / "comtrade" / "current.csv"], store=store, name="c")
    text = " | ".join(str(w.message) for w in record)
    assert "dropped 1 breakdown rows" in text
    assert "dropped 1 rows with flows other than exports and imports (RX" in text
    assert "dropped 2 rows at other product levels than HS6" in text
    assert "dropped 1 rows whose partner code is an aggregate or special code (1 codes: _X)" in text


def test_location_product_values_uses_exports_only(store):
    _load(FIXTURES / "comtrade" / "current.csv", store, "cur")
    lpv = store.location_product_values("cur").execute()
    # exports of BLR 870192: 1,500,500 (RUS) + 1,507,500 (WLD); the import row is not an export
    assert set(lpv["location"]) == {"BLR"}
    assert lpv.set_index("product").loc["870192", "value"] == pytest.approx(3_008_000)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("primaryValue", "primaryValu", r"current\.csv, line 1 \(header\): missing column 'primaryValue'; did you mean 'primaryValu'\?"),
        (",10250\n", ",1O250\n", r"current\.csv, line 4, column 'primaryValue': expected a number, found '1O250'"),
        (",10250\n", ",-10250\n", r"current\.csv, line 4, column 'primaryValue': expected a non-negative value"),
        ("643,RUS,W00,H5,310420", "643,RUX,W00,H5,310420", r"current\.csv, line 4, column 'partnerISO': unknown partner code 'RUX'"),
        ("H5,310420", "H5,310429", r"current\.csv, line 4, column 'cmdCode': unknown product code '310429' \(not an HS6 code of HS17\)"),
        ("H5,310420", "H4,310420", r"current\.csv, line 4, column 'classificationCode': mixed HS vintages in one dataset: found 'H4', expected HS17"),
        ("C,A,2021,112,BLR,M,643,RUS,W00,H5,310420", "C,A,2021,112,BLR,X,643,RUS,W00,H5,040690", r"current\.csv, line 4: duplicate key \(refYear=2021, reporterISO=BLR, flowCode=X, partnerISO=RUS, cmdCode=040690\); first seen at current\.csv, line 3"),
    ],
    ids=["misspelt-column", "non-numeric", "negative", "unknown-location", "unknown-product",
         "mixed-vintage", "duplicate-key"],
)
def test_bad_input_is_rejected_and_store_unchanged(tmp_path, store, snap, old, new, expected):
    path = tmp_path / "current.csv"
    shutil.copy(FIXTURES / "comtrade" / "current.csv", path)
    _load(path, store, "cur")
    before = snap()
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DataValidationError, match=expected), warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        import_files("comtrade", [path], store=store, name="cur")
    assert snap() == before


def test_legacy_errors_name_legacy_columns(tmp_path, store):
    path = tmp_path / "legacy.csv"
    path.write_text((FIXTURES / "comtrade" / "legacy.csv").read_text().replace(",10250", ",abc"))
    with pytest.raises(DataValidationError, match=r"line 4, column 'Trade Value \(US\$\)'"):
        import_files("comtrade", [path], store=store, name="leg")
