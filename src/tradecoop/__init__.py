"""tradecoop: inter-regional industrial cooperation analytics.

Nothing is created at import time: no engine, no settings, no connection.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tradecoop")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
