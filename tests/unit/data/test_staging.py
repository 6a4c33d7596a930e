"""Staging: an import deletes only what it created; stale staging from killed runs is cleaned."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
import warnings
from pathlib import Path

import pytest

from tradecoop.data.sources import import_files
from tradecoop.data.sources._stage import run_import
from tradecoop.data.store import open_store
from tradecoop.errors import DataQualityWarning, DataValidationError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"
BACI = FIXTURES / "baci" / "BACI_HS17_Y2022_V202401.csv"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _import_baci(store, name: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return import_files("baci", [BACI], store=store, name=name)


def test_failed_import_into_new_store_keeps_what_another_import_saved(tmp_path):
    """The store did not exist; while import A runs, import B saves a dataset; A fails."""
    root = tmp_path / "new" / "store"
    store = open_store(root)

    def build(stage):
        _import_baci(open_store(root), "saved_meanwhile")  # another import, same store
        raise DataValidationError("bad row")

    with pytest.raises(DataValidationError, match="bad row"):
        run_import("baci", [BACI], build, store=store, name="failing", options={})
    assert [i.name for i in open_store(root).datasets() if not i.bundled] == ["saved_meanwhile"]
    assert sorted(p.name for p in root.iterdir()) == ["datasets"]  # .staging removed: empty


def test_failed_import_into_new_store_leaves_no_folder(tmp_path):
    root = tmp_path / "fresh" / "store"

    def build(stage):
        raise DataValidationError("bad row")

    with pytest.raises(DataValidationError):
        run_import("baci", [BACI], build, store=open_store(root), name="x", options={})
    assert not (tmp_path / "fresh").exists()  # only what the import created, and it was empty


def test_failed_import_keeps_unrelated_files_in_new_parent(tmp_path):
    """A parent created by the import is kept when someone else put a file in it meanwhile."""
    root = tmp_path / "parent" / "store"

    def build(stage):
        (tmp_path / "parent" / "notes.txt").write_text("mine")
        raise DataValidationError("bad row")

    with pytest.raises(DataValidationError):
        run_import("baci", [BACI], build, store=open_store(root), name="x", options={})
    assert (tmp_path / "parent" / "notes.txt").read_text() == "mine"
    assert not root.exists()


def _staging_dir(root: Path, *, locked: bool) -> tuple[Path, object]:
    path = root / ".staging" / uuid.uuid4().hex
    path.mkdir(parents=True)
    (path / "tmp").mkdir()
    (path / "tmp" / "spill.bin").write_bytes(b"x" * 1000)
    fh = (path / ".lock").open("w")
    if locked:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        fh.close()
    return path, fh


def test_stale_staging_cleaned_at_start_live_one_kept(store_dir):
    stale, _ = _staging_dir(store_dir, locked=False)
    live, live_lock = _staging_dir(store_dir, locked=True)
    try:
        _import_baci(open_store(store_dir), "a")
        assert not stale.exists()
        assert live.exists() and (live / "tmp" / "spill.bin").exists()
    finally:
        live_lock.close()
    _import_baci(open_store(store_dir), "b")
    assert list((store_dir / ".staging").iterdir()) == []  # it existed before: kept, empty


def test_commit_killed_between_renames_is_repaired(store_dir):
    """A kill after the old version was moved aside and before the new one moved in."""
    store = open_store(store_dir)
    _import_baci(store, "a")
    before = snapshot(store.dataset_dir("a"))
    stale, _ = _staging_dir(store_dir, locked=False)
    os.replace(store.dataset_dir("a"), stale / "old")
    assert "a" not in {i.name for i in store.datasets()}
    assert store.clean_stale_staging() == [stale.name]
    assert snapshot(store.dataset_dir("a")) == before
    assert not stale.exists()


def test_sigkilled_import_leaves_staging_that_the_next_import_removes(store_dir):
    """A real SIGKILL during an import: the lock dies with the process."""
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from tradecoop.data.sources._stage import run_import
        from tradecoop.data.store import open_store

        def build(stage):
            (stage.dir / "tmp").mkdir(exist_ok=True)
            (stage.dir / "tmp" / "big.bin").write_bytes(b"x" * 100000)
            print("staged", flush=True)
            time.sleep(60)

        run_import("baci", [Path({str(BACI)!r})], build, store=open_store({str(store_dir)!r}),
                   name="killed", options={{}})
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "staged"
        staged = [p for p in (store_dir / ".staging").iterdir()]
        assert len(staged) == 1 and (staged[0] / "tmp" / "big.bin").exists()
        assert open_store(store_dir).clean_stale_staging() == []  # alive: kept
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
    assert staged[0].exists()  # SIGKILL cannot clean up
    _import_baci(open_store(store_dir), "next")
    assert list((store_dir / ".staging").iterdir()) == []
    names = {i.name for i in open_store(store_dir).datasets() if not i.bundled}
    assert names == {"next"}


def test_remove_uses_private_staging(store_dir):
    store = open_store(store_dir)
    _import_baci(store, "a")
    _import_baci(store, "b")
    store.remove("a")
    assert [i.name for i in store.datasets() if not i.bundled] == ["b"]
    assert not (store_dir / ".staging").exists()
    info = json.loads((store.dataset_dir("b") / "info.json").read_text())
    assert info["name"] == "b"


def test_young_half_created_staging_is_left_alone(store_dir):
    """``new-<uuid>`` is a staging directory being created by another process right now."""
    young = store_dir / ".staging" / f"new-{uuid.uuid4().hex}"
    young.mkdir(parents=True)
    old = store_dir / ".staging" / f"new-{uuid.uuid4().hex}"
    old.mkdir()
    past = time.time() - 3600
    os.utime(old, (past, past))
    open_store(store_dir).clean_stale_staging()
    assert young.exists() and not old.exists()


def test_duckdb_interrupt_becomes_interrupted_and_changes_nothing(store_dir):
    """DuckDB's Python client turns a signal during a query into RuntimeError('Query interrupted')."""
    from tradecoop.errors import Interrupted

    store = open_store(store_dir)
    _import_baci(store, "a")
    before = snapshot(store_dir)

    def build(stage):
        raise RuntimeError("Query interrupted")

    with pytest.raises(Interrupted, match="the import stopped; the store is as it was"):
        run_import("baci", [BACI], build, store=store, name="a", options={"x": 1})
    assert snapshot(store_dir) == before


@pytest.mark.skipif(signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
                    reason="SIGINT is ignored in this process (a background job): Ctrl-C cannot be delivered")
def test_signal_during_commit_is_held_until_the_swap_is_done(store_dir, monkeypatch):
    """Ctrl-C between the two renames of a replacement: held back, then delivered."""
    from tradecoop.data import store as store_mod
    from tradecoop.errors import Interrupted

    store = open_store(store_dir)
    _import_baci(store, "a")
    real_replace = os.replace
    calls = []

    def replace(src, dst):
        real_replace(src, dst)
        if Path(dst).name in ("old", "a"):  # the commit's two renames
            calls.append(dst)
            if len(calls) == 1:  # the old version is aside, the new one not yet in place
                signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(store_mod.os, "replace", replace)
    with (pytest.raises(Interrupted, match="dataset 'a' was saved before the signal took effect"),
          warnings.catch_warnings()):
        warnings.simplefilter("ignore", DataQualityWarning)
        import_files("baci", [BACI], store=store, name="a", hs_vintage="HS17")
    assert len(calls) == 2
    assert store.import_meta("a")["options"] == {"hs_vintage": "HS17"}  # the new version
    assert not (store_dir / ".staging").exists()


def test_dataset_left_aside_by_an_earlier_version_is_put_back(store_dir):
    """Earlier versions moved the replaced dataset to .staging/old-<uuid> during a commit."""
    store = open_store(store_dir)
    _import_baci(store, "a")
    before = snapshot(store.dataset_dir("a"))
    legacy = store_dir / ".staging" / f"old-{uuid.uuid4().hex}"
    legacy.parent.mkdir(exist_ok=True)
    os.replace(store.dataset_dir("a"), legacy)
    store.clean_stale_staging()
    assert snapshot(store.dataset_dir("a")) == before and not legacy.exists()


def test_duckdb_progress_bar_is_off(tmp_path):
    """DuckDB drew its own progress bar on stdout for queries over 2 s, through ours."""
    from tradecoop.data.sources._stage import Stage

    (tmp_path / "s").mkdir()
    stage = Stage(tmp_path / "s", lambda *a, **k: None)
    try:
        assert stage.con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] \
            is False
    finally:
        stage.close()
