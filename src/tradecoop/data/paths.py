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
