"""``tradecoop data import|list|show|remove`` end to end through the Typer app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"
runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_import_list_show_remove(store_dir):
    baci = FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"
    result = _run("data", "import", "baci", str(baci), "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    assert "baci_hs17_v202401: imported; 4 rows" in result.output
    assert "warning: dropped 1 rows whose exporter code" in result.output

    again = _run("data", "import", "baci", str(baci), "--store", str(store_dir))
    assert "already imported (store unchanged)" in again.output

    listed = json.loads(_run("data", "list", "--format", "json").stdout)  # TRADECOOP_STORE
    listed = [r for r in listed if r["origin"] == "imported"]  # the bundled datasets are listed too
    assert [r["name"] for r in listed] == ["baci_hs17_v202401"]
    assert listed[0] | {"name": "x"} == {"name": "x", "table": "bilateral_flows", "rows": 4,
                                         "years": "2022-2022", "hs_vintage": "HS17",
                                         "source": "CEPII BACI HS17 V202401", "kind": "observed",
                                         "origin": "imported"}

    shown = json.loads(_run("data", "show", "baci_hs17_v202401", "--format", "json").stdout)
    for key in ("source", "files", "content_hash", "rows", "years", "hs_vintage", "licence",
                "imported_at", "kind", "notes"):
        assert key in shown
    assert shown["files"][0] == "BACI_HS17_Y2022_V202401.csv"
    assert shown["kind"] == "observed" and "Gaulier" in shown["licence"]

    table = _run("data", "show", "baci_hs17_v202401")
    assert table.exit_code == 0 and "content_hash" in table.output

    removed = _run("data", "remove", "baci_hs17_v202401")
    assert removed.exit_code == 0 and "removed baci_hs17_v202401" in removed.output
    after = json.loads(_run("data", "list", "--format", "json").stdout)
    assert [r["name"] for r in after if r["origin"] == "imported"] == []
    assert "world_hs4_2017" in {r["name"] for r in after}  # bundled datasets stay


def test_csv_import_with_map_and_unit(store_dir):
    result = _run("data", "import", "csv", str(FIXTURES / "csv" / "flows.csv"), "--name", "flows",
                  "--map", "year=Year,exporter=From,importer=To,product=HS6,value=Value",
                  "--unit", "thousand_usd", "--hs-vintage", "HS17", "--format", "json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["status"] == "imported" and record["rows"] == 4


def test_bad_input_exits_1_with_one_line_and_leaves_store(tmp_path, store_dir):
    path = tmp_path / "BACI_HS17_Y2022_V202401.csv"
    shutil.copytree(FIXTURES / "baci", tmp_path, dirs_exist_ok=True)
    path.write_text(path.read_text().replace("10.25", "abc"))
    result = _run("data", "import", "baci", str(path))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "error: BACI_HS17_Y2022_V202401.csv, line 4, column 'v': expected a number, found 'abc' "
        "(1 non-numeric rows)")
    assert not any(store_dir.iterdir())


@pytest.mark.parametrize("args", [["data", "show", "nope"], ["data", "remove", "nope"]])
def test_unknown_dataset(args):
    result = _run(*args)
    assert result.exit_code == 1 and "no dataset named 'nope'" in result.output


def test_csv_needs_map():
    result = _run("data", "import", "csv", str(FIXTURES / "csv" / "flows.csv"))
    assert result.exit_code == 1 and "csv import needs --map" in result.output


def test_help_teaches_with_examples():
    result = _run("data", "import", "--help")
    assert result.exit_code == 0 and "tradecoop data import baci" in result.output


def test_read_only_store_is_one_line(tmp_path, monkeypatch):
    """Permission denied creating the store (tests run as root, so chmod cannot show it)."""
    import errno

    real_mkdir = Path.mkdir
    locked = tmp_path / "locked"

    def mkdir(self, *args, **kwargs):
        if self == locked or locked in self.parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    result = _run("data", "import", "baci", str(FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"),
                  "--store", str(locked / "store"))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: cannot create the data store {locked / 'store'}: permission denied ({locked}); "
        "choose a writable store with --store DIR or TRADECOOP_STORE"]


def test_read_only_file_system_at_commit_is_one_line_and_changes_nothing(store_dir, monkeypatch):
    import errno
    import os

    from tradecoop.data import store as store_mod

    baci = FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"
    assert _run("data", "import", "baci", str(baci), "--name", "a").exit_code == 0
    before = sorted(p.relative_to(store_dir).as_posix() for p in store_dir.rglob("*"))
    real_replace = os.replace

    def replace(src, dst):
        if Path(dst).parent.name == "datasets":
            raise OSError(errno.EROFS, "Read-only file system", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(store_mod.os, "replace", replace)
    result = _run("data", "import", "baci", str(baci), "--name", "b")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith(
        f"error: cannot write to the data store {store_dir}: read-only file system")
    after = sorted(p.relative_to(store_dir).as_posix() for p in store_dir.rglob("*"))
    assert after == before


_SLOW_IMPORT = """
import sys, time
from tradecoop.data.sources import baci
from tradecoop.cli.main import run

real_build = baci.build

def build(stage, files, **options):
    result = real_build(stage, files, **options)  # staged and validated, not yet committed
    print("staged", flush=True)
    time.sleep(60)
    return result

baci.build = build
sys.argv = ["tradecoop", *sys.argv[1:]]
run()
"""


@pytest.mark.parametrize("sig, code, what", [
    ("SIGINT", 130, "interrupted (Ctrl-C)"), ("SIGTERM", 143, "terminated (SIGTERM)")])
def test_ctrl_c_and_sigterm_leave_the_store_as_it_was(sig, code, what, store_dir):
    """A real signal to a real CLI process in the middle of an import that replaces a dataset."""
    import hashlib
    import signal
    import subprocess
    import sys

    baci = FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"
    other = FIXTURES / "csv" / "flows.csv"
    assert _run("data", "import", "csv", str(other), "--name", "ds", "--map",
                "year=Year,exporter=From,importer=To,product=HS6,value=Value",
                "--hs-vintage", "HS17").exit_code == 0

    def snap():
        return {p.relative_to(store_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(store_dir.rglob("*")) if p.is_file()}

    before = snap()
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_IMPORT, "data", "import", "baci", str(baci), "--name", "ds",
         "--store", str(store_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler))
    try:
        assert proc.stdout.readline().strip() == "staged"
        assert any((store_dir / ".staging").iterdir())  # the import is in progress
        proc.send_signal(getattr(signal, sig))
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == code
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines == [f"error: {what}; the import stopped; the store is as it was"]
    assert snap() == before
    assert not (store_dir / ".staging").exists()  # created by this import, removed by it


def test_data_list_is_readable_at_80_columns(store_dir):
    baci = FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"
    assert _run("data", "import", "baci", str(baci)).exit_code == 0
    infos = json.loads(_run("data", "list", "--format", "json").stdout)
    result = runner.invoke(app, ["data", "list"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    for info in infos:  # each dataset on one line, with its table kind, rows and years in full
        row = next(line.split() for line in lines if line.split()[:1] == [info["name"]])
        assert row[1:4] == [info["table"], f"{info['rows']:,}", info["years"]], row
    imported = lines.index("Imported, in " + str(store_dir) + ":")
    bundled = lines.index("Bundled with tradecoop (read-only):")
    assert imported < [i for i, ln in enumerate(lines) if ln.startswith("baci_hs17_v202401")][0] \
        < bundled
    wide = runner.invoke(app, ["data", "list"], env={"COLUMNS": "160"})
    assert "CEPII BACI HS17 V202401" in wide.stdout  # the source where there is room


@pytest.mark.parametrize("content, expected", [
    (bytes(range(256)) * 12, "not a CSV text file: binary data"),
    (b"t,i,j,k,v,q\n", "no data rows"),
    (b"t,i,j,k,v,q\n2022,112,643,870192,1500.5\n", "line 2: expected 6 fields"),
])
def test_bad_files_are_one_line_at_the_cli(content, expected, tmp_path, store_dir):
    shutil.copytree(FIXTURES / "baci", tmp_path / "b")
    path = tmp_path / "b" / "BACI_HS17_Y2022_V202401.csv"
    path.write_bytes(content)
    result = _run("data", "import", "baci", str(path))
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1 and expected in result.output
    assert result.output.startswith("error: BACI_HS17_Y2022_V202401.csv")
