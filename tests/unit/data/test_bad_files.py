"""Broken input files: header only, ragged, cut off, mis-encoded, binary; zip archives.

Every failure is one DataValidationError naming the file and the real line, and the store is
left byte for byte as it was (here: with a dataset of the same name already in it).
"""

from __future__ import annotations

import shutil
import warnings
import zipfile
from pathlib import Path

import pytest

from tradecoop.data.sources import import_files
from tradecoop.data.store import open_store
from tradecoop.errors import DataQualityWarning, DataValidationError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"
BACI_NAME = "BACI_HS17_Y2022_V202401.csv"
CSV_MAP = "year=Year,exporter=From,importer=To,product=HS6,value=Value"


def _quiet(run):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return run()


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """Writable copies of every fixture format."""
    target = tmp_path / "in"
    shutil.copytree(FIXTURES, target)
    return target


def _importer(files: Path, store_dir: Path):
    """fmt -> (data file, run(path) importing it under the name 'ds')."""
    store = open_store(store_dir)
    kinds = {
        "baci": (files / "baci" / BACI_NAME, {}),
        "fcs-region": (files / "fcs" / "chelyabinsk_2021.csv", {}),
        "comtrade": (files / "comtrade" / "current.csv", {}),
        "csv": (files / "csv" / "flows.csv", {"mapping": CSV_MAP, "hs_vintage": "HS17"}),
    }

    def run(fmt, path=None, **extra):
        data, options = kinds[fmt]
        return _quiet(lambda: import_files(fmt, [path or data], store=store, name="ds",
                                           **options, **extra))

    return kinds, run


FORMATS = ["baci", "fcs-region", "comtrade", "csv"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_header_only_file_is_an_error_and_changes_nothing(fmt, files, store_dir, snap):
    kinds, run = _importer(files, store_dir)
    run(fmt)  # an existing dataset 'ds' that must survive
    before = snap()
    path = kinds[fmt][0]
    path.write_text(path.read_text().splitlines()[0] + "\n")
    with pytest.raises(DataValidationError, match=rf"^{path.name}: no data rows") as err:
        run(fmt)
    assert "\n" not in str(err.value)
    assert snap() == before


def test_header_and_blank_lines_only(files, store_dir, snap):
    kinds, run = _importer(files, store_dir)
    path = kinds["baci"][0]
    path.write_text("t,i,j,k,v,q\n\n\n")
    with pytest.raises(DataValidationError, match="no data rows"):
        run("baci")
    assert snap() == {}


def test_empty_file(files, store_dir):
    kinds, run = _importer(files, store_dir)
    kinds["comtrade"][0].write_bytes(b"")
    with pytest.raises(DataValidationError, match=r"current.csv: the file is empty"):
        run("comtrade")


def test_every_row_dropped_is_an_error(files, store_dir, snap):
    """BACI rows whose countries all have no ISO code: no 0-row dataset replaces a real one."""
    kinds, run = _importer(files, store_dir)
    run("baci")
    before = snap()
    path = kinds["baci"][0]
    path.write_text("t,i,j,k,v,q\n2022,490,112,870192,4,2\n")
    with pytest.raises(DataValidationError, match="no rows left to import: every row was dropped"):
        run("baci")
    assert snap() == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_ragged_row_reported_at_its_line(fmt, files, store_dir, snap):
    kinds, run = _importer(files, store_dir)
    path = kinds[fmt][0]
    lines = path.read_text().splitlines(keepends=True)
    ncols = len(lines[0].split(","))
    lines[2] = lines[2].rstrip("\n").rsplit(",", 1)[0] + "\n"  # line 3 loses its last field
    path.write_text("".join(lines))
    with pytest.raises(DataValidationError) as err:
        run(fmt)
    message = str(err.value)
    assert message.startswith(f"{path.name}, line 3: expected {ncols} fields")
    assert f"found {ncols - 1}" in message and "header)" not in message.split(":")[0]
    assert snap() == {}


def test_extra_field_reported_at_its_line(files, store_dir):
    kinds, run = _importer(files, store_dir)
    path = kinds["baci"][0]
    lines = path.read_text().splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n") + ",99\n"
    path.write_text("".join(lines))
    with pytest.raises(DataValidationError, match=rf"^{BACI_NAME}, line 5: expected 6 fields .* "
                                                  r"found 7"):
        run("baci")


@pytest.mark.parametrize("fmt", ["baci", "fcs-region", "comtrade"])
def test_file_cut_inside_its_last_field(fmt, files, store_dir, snap):
    """Cut one character before the end: the last row keeps its field count but not its value."""
    kinds, run = _importer(files, store_dir)
    path = kinds[fmt][0]
    data = path.read_bytes()
    path.write_bytes(data[:-2])  # drops the line break and the last character
    last = len(data.splitlines())
    with pytest.raises(DataValidationError,
                       match=rf"^{path.name}, line {last}: the file ends inside a line .*cut off"):
        run(fmt)
    assert snap() == {}


def test_cut_inside_the_last_row_of_a_mapped_csv_warns(files, store_dir):
    """Hand-made CSVs often lack the final line break: a warning, recorded in the notes."""
    kinds, run = _importer(files, store_dir)
    path = kinds["csv"][0]
    path.write_bytes(path.read_bytes().rstrip(b"\n"))
    with pytest.warns(DataQualityWarning, match="ends inside a line"):
        outcome = import_files("csv", [path], store=open_store(store_dir), name="ds",
                               mapping=CSV_MAP, hs_vintage="HS17")
    assert any("ends inside a line" in n for n in outcome.info.notes)


def test_cut_inside_a_quoted_field(files, store_dir):
    kinds, run = _importer(files, store_dir)
    path = kinds["csv"][0]
    path.write_text(path.read_text() + '2022,BLR,RUS,870192,"12\n')
    with pytest.raises(DataValidationError,
                       match=r"^flows.csv, line 6: a quoted field is not closed"):
        run("csv")


FCS_CYRILLIC = (
    "DIRECTION,PERIOD,COUNTRY,HS,UM,VALUE,NETWEIGHT,QUANTITY,REGION,REGION_S\n"
    "EXP,01/2021,BY,7208510000,,1000.5,2000,0,75000 - ЧЕЛЯБИНСКАЯ ОБЛАСТЬ,"
    "УРАЛЬСКИЙ ФЕДЕРАЛЬНЫЙ ОКРУГ\n"
    "IMP,03/2021,BY,8701920000,шт,300,400,2,75000 - ЧЕЛЯБИНСКАЯ ОБЛАСТЬ,"
    "УРАЛЬСКИЙ ФЕДЕРАЛЬНЫЙ ОКРУГ\n"
)


def test_cp1251_file_suggests_the_encoding_and_imports_with_it(tmp_path, store_dir, snap):
    path = tmp_path / "chel_cp1251.csv"
    path.write_bytes(FCS_CYRILLIC.encode("cp1251"))
    store = open_store(store_dir)
    with pytest.raises(DataValidationError) as err:
        _quiet(lambda: import_files("fcs-region", [path], store=store, name="fcs"))
    assert str(err.value).startswith("chel_cp1251.csv, line 2, column 50: not valid utf-8 text")
    assert "`encoding` cp1251" in str(err.value) and "ЧЕЛЯБИНСКАЯ" in str(err.value)
    assert snap() == {}

    utf8 = tmp_path / "chel_utf8.csv"
    utf8.write_text(FCS_CYRILLIC, encoding="utf-8")
    expected = _quiet(lambda: import_files("fcs-region", [utf8], store=store, name="ref"))
    outcome = _quiet(lambda: import_files("fcs-region", [path], store=store, name="fcs",
                                          encoding="cp1251"))
    assert outcome.info.rows == expected.info.rows == 2
    left = store.frame("fcs").drop(columns="source")
    right = store.frame("ref").drop(columns="source")
    assert left.equals(right)
    assert store.import_meta("fcs")["options"]["encoding"] == "cp1251"
    assert _no_staging(store_dir)  # the transcoded copy is gone


def test_bad_byte_far_into_the_file_is_located(files, store_dir):
    """Past the sniffed sample, DuckDB finds it; the message still names line and column."""
    kinds, run = _importer(files, store_dir)
    path = kinds["baci"][0]
    rows = [f"2022,112,643,870192,{i},1" for i in range(20000)]
    rows[15000] = "2022,112,643,870192,\xe9\xe9,1"
    data = ("t,i,j,k,v,q\n" + "\n".join(rows) + "\n").encode("latin-1")
    path.write_bytes(data)
    with pytest.raises(DataValidationError,
                       match=rf"^{BACI_NAME}, line 15002, column 21: not valid utf-8 text "
                             r"\(byte 0xE9\)"):
        run("baci")


def test_unknown_encoding(files, store_dir):
    kinds, run = _importer(files, store_dir)
    with pytest.raises(DataValidationError, match="unknown encoding 'cp9999'"):
        run("baci", encoding="cp9999")


@pytest.mark.parametrize("content, expected", [
    (bytes(range(256)) * 20, "not a CSV text file: binary data"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(200)) * 5, "not a CSV text file: binary data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "Excel 97-2003 workbook"),
    (b"\xff\xfet\x00,\x00i\x00\n\x00", "UTF-16 text: pass `encoding` utf-16"),
])
def test_binary_garbage_is_one_line(content, expected, files, store_dir, snap):
    kinds, run = _importer(files, store_dir)
    path = kinds["baci"][0]
    path.write_bytes(content)
    with pytest.raises(DataValidationError, match=expected) as err:
        run("baci")
    assert "\n" not in str(err.value) and str(err.value).startswith(BACI_NAME)
    assert snap() == {}


def _no_staging(store_dir: Path) -> bool:
    staging = store_dir / ".staging"
    return not staging.exists() or not any(staging.iterdir())


def _zip(files: Path, target: Path, folder: str = "") -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((files / "baci").iterdir()):
            zf.write(path, folder + path.name)
        zf.writestr(folder + "Readme.txt", "BACI readme")
    return target


@pytest.mark.parametrize("folder", ["", "BACI_HS17_V202401/"])
def test_cepii_zip_archive_imports_like_its_csv(folder, files, tmp_path, store_dir):
    store = open_store(store_dir)
    archive = _zip(files, tmp_path / "BACI_HS17_V202401.zip", folder)
    from_csv = _quiet(lambda: import_files("baci", [files / "baci" / BACI_NAME], store=store,
                                           name="from_csv"))
    from_zip = _quiet(lambda: import_files("baci", [archive], store=store))
    assert from_zip.info.name == "baci_hs17_v202401"
    assert from_zip.info.files == ("BACI_HS17_V202401.zip",)
    assert from_zip.info.rows == from_csv.info.rows == 4
    assert store.frame("baci_hs17_v202401").equals(store.frame("from_csv"))
    assert _no_staging(store_dir)


def test_zip_member_errors_name_the_member(files, tmp_path, store_dir):
    path = files / "baci" / BACI_NAME
    path.write_text(path.read_text().replace("10.25", "abc"))
    archive = _zip(files, tmp_path / "BACI_HS17_V202401.zip")
    with pytest.raises(DataValidationError,
                       match=rf"^{BACI_NAME}, line 4, column 'v': expected a number"):
        _quiet(lambda: import_files("baci", [archive], store=open_store(store_dir)))


def test_damaged_zip(tmp_path, store_dir):
    archive = tmp_path / "BACI_HS17_V202401.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(DataValidationError, match="not a readable zip archive"):
        import_files("baci", [archive], store=open_store(store_dir))


def test_longer_product_code_is_not_cut_to_six_digits(files, store_dir):
    """DuckDB's lpad cuts strings longer than its width: an HS8 code became another HS6 code."""
    kinds, run = _importer(files, store_dir)
    path = kinds["baci"][0]
    path.write_text(path.read_text().replace("2022,643,112,310420,", "2022,643,112,31042010,"))
    with pytest.raises(DataValidationError,
                       match=rf"^{BACI_NAME}, line 4, column 'k': expected a 6-digit HS code, "
                             r"found '31042010'"):
        run("baci")


@pytest.mark.parametrize("fmt", FORMATS)
def test_line_numbers_count_blank_lines(fmt, files, store_dir):
    """DuckDB skips blank lines: a row after one used to be reported a line too early."""
    kinds, run = _importer(files, store_dir)
    path = kinds[fmt][0]
    lines = path.read_text().splitlines(keepends=True)
    value_col = {"baci": 4, "fcs-region": 5, "comtrade": 14, "csv": 4}[fmt]
    fields = lines[3].rstrip("\n").split(",")
    fields[value_col] = "abc"
    lines[3] = ",".join(fields) + "\n"
    path.write_text(lines[0] + "\n" + lines[1] + "\n\n" + "".join(lines[2:]))
    with pytest.raises(DataValidationError, match=rf"^{path.name}, line 7, column '[^']+': "
                                                  r"expected a number, found 'abc'"):
        run(fmt)
