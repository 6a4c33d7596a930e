"""tradecoop: inter-regional industrial cooperation analytics.

Nothing is created at import time: no engine, no settings, no connection. ``__version__`` is
read from the installed metadata on first access (``importlib.metadata`` and the ``email``
package it pulls in cost ~25 ms, a sixth of ``tradecoop --help``).
"""

from __future__ import annotations

__all__ = ["__version__"]


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tradecoop")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        value = _installed_version()
        globals()["__version__"] = value  # cached: later reads are plain attribute reads
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
