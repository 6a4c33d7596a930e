"""The only place tradecoop's exceptions and warnings are defined.

Messages say what was expected, what was found and where, for example::

    `value` must be non-negative; 3 rows are negative
    (first: exporter=DEU, product=870323, year=2019, line 1042)

A parameter is named in backticks as the library calls it (`hs_vintage`, `top`), never as a
command-line flag: the CLI shows each as the flag the user typed (`--hs-vintage`,
``tradecoop.cli.main.speak_flags``). The CLI maps these errors to exit codes in one place
(``tradecoop.cli.main``) and the API maps them to HTTP status codes in one place
(``tradecoop.api.errors``).
"""

from __future__ import annotations


class TradecoopError(Exception):
    """Root of every error tradecoop raises on purpose."""


class DataValidationError(TradecoopError, ValueError):
    """Input data does not have the expected shape, types, codes or values."""


class ConvergenceError(TradecoopError, RuntimeError):
    """An iterative method did not converge; no half-converged answer is returned."""


class EstimationError(TradecoopError):
    """A statistical model could not be estimated on the given data and specification."""


class NotFoundError(TradecoopError, LookupError):
    """A named dataset, location, product, record or user does not exist."""


class StoreError(TradecoopError, OSError):
    """The data store cannot be written (permissions, read-only file system, disk full)."""


class ConflictError(TradecoopError):
    """A write conflicts with the stored state (stale version, duplicate key)."""


class AuthError(TradecoopError):
    """Missing or invalid credentials, or a role without the needed permission."""


class PermissionDeniedError(AuthError):
    """Authenticated, but the role lacks the permission (HTTP 403)."""


class ConfigurationError(TradecoopError):
    """Settings are missing, contradictory or unsafe (e.g. a default secret in production)."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM stopped a command.

    A :class:`KeyboardInterrupt` (not a :class:`TradecoopError`), so that every ``finally`` and
    cleanup runs on the way out; ``detail`` says what the interruption left behind (e.g. "the
    store is as it was"). The CLI prints one line and exits 130 (SIGINT) or 143 (SIGTERM).
    """

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail


class DataQualityWarning(UserWarning):
    """Rows were dropped or codes left unmapped; the message gives counts."""


__all__ = [
    "AuthError",
    "ConfigurationError",
    "ConflictError",
    "ConvergenceError",
    "DataQualityWarning",
    "DataValidationError",
    "EstimationError",
    "Interrupted",
    "NotFoundError",
    "PermissionDeniedError",
    "StoreError",
    "TradecoopError",
]
