"""Suite-wide fixtures. Feature-specific fixtures live in the conftest.py of their folder.

Every test runs against a fresh, temporary data store (``TRADECOOP_STORE``) and registry database
(``TRADECOOP_DATABASE_URL``, a SQLite file) so the suite never reads or writes the user's real data
directory; tests that need another database set their own.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples (no flaky reds from a new random
# draw); locally each run explores new examples. Found failures are kept in .hypothesis/.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO_ROOT = Path(__file__).resolve().parents[1]

# Module- and session-scoped fixtures run before the per-test store below is set: without this,
# they would read and write the user's real data directory (its registry, its caches). Every test
# process gets its own temporary store and registry first; each test then gets a fresh one.
_SESSION_STORE = Path(tempfile.mkdtemp(prefix="tradecoop-tests-"))
atexit.register(shutil.rmtree, _SESSION_STORE, ignore_errors=True)
os.environ["TRADECOOP_STORE"] = str(_SESSION_STORE)
os.environ["TRADECOOP_DATABASE_URL"] = f"sqlite:///{_SESSION_STORE / 'registry.db'}"
FIXTURES = REPO_ROOT / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    store = tmp_path_factory.mktemp("store")
    monkeypatch.setenv("TRADECOOP_STORE", str(store))
    monkeypatch.setenv("TRADECOOP_DATABASE_URL", f"sqlite:///{store / 'registry.db'}")
    return store


@pytest.fixture
def store_dir(_isolated_store: Path) -> Path:
    """The temporary store directory of this test."""
    return _isolated_store
