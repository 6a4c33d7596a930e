"""Fixtures for the data-store tests: fixture paths and a store snapshot (listing + hashes)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "data"


def snapshot(root: Path) -> dict[str, str]:
    """Every file and directory under ``root`` with the sha256 of its bytes (dirs: 'dir')."""
    if not root.exists():
        return {}
    out = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        out[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def baci_dir(tmp_path: Path) -> Path:
    """A writable copy of the tiny BACI fixture (data + country and product codes)."""
    target = tmp_path / "baci"
    shutil.copytree(FIXTURES / "baci", target)
    return target


@pytest.fixture
def store(store_dir: Path):
    from tradecoop.data.store import open_store

    return open_store(store_dir)


@pytest.fixture
def snap(store_dir: Path):
    """Call to get the store directory's listing + hashes (compare before/after a failure)."""
    return lambda: snapshot(store_dir)
