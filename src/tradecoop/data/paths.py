"""Where the data store lives: ``--store DIR`` > env ``TRADECOOP_STORE`` > per-user data dir."""

from __future__ import annotations

import os
from pathlib import Path

STORE_ENV = "TRADECOOP_STORE"


def default_store_dir() -> Path:
    """The per-user data directory (``platformdirs.user_data_dir('tradecoop')``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("tradecoop", appauthor=False))


def resolve_store_dir(path: Path | str | None = None) -> Path:
    """The store directory to use: ``path`` if given, else ``$TRADECOOP_STORE``, else the default."""
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    return default_store_dir()


#: sub-folder of the store for derived, recomputable results (safe to delete at any time)
CACHE_SUBDIR = "cache"


def cache_dir(path: Path | str | None = None) -> Path:
    """The store's cache folder (``<store>/cache``); not created here.

    Everything in it can be recomputed from the store's datasets: deleting it only costs time.
    Callers treat a missing or read-only folder as "no cache", never as an error.
    """
    return resolve_store_dir(path) / CACHE_SUBDIR
