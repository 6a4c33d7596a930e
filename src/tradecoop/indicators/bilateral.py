"""Aggregate bilateral indicators: turnover, balance, coverage, relative balance, CAGR.

Definitions follow ITC Trade Map / WITS (docs/methods.md section 1). ``x`` is one side's exports to
the partner, ``m`` its imports from the partner, both in current USD unless stated otherwise.
Functions take scalars or arrays and return float arrays (scalars for scalar input); undefined
values are NaN and the ``*_note`` helpers say why (never ``inf``).

Reference: WITS, *Trade Indicators* online help (https://wits.worldbank.org/wits/wits/witshelp/);
ITC Trade Map user guide.
"""

from __future__ import annotations

import numpy as np

#: reasons attached to undefined values
NOTE_NO_IMPORTS = "undefined: imports are 0 (coverage X/M has no finite value)"
NOTE_NO_TRADE = "undefined: no trade either way (X + M = 0)"
NOTE_CAGR_NONPOSITIVE = "undefined: CAGR needs positive values at both ends"
NOTE_CAGR_SPAN = "undefined: CAGR needs end year > start year"


def _f(value):
    return np.asarray(value, dtype=float)


def _out(result: np.ndarray):
    return float(result) if result.ndim == 0 else result


def turnover(x, m):
    """Turnover ``T = X + M``.

    >>> turnover(3.0, 1.0)
    4.0
    """
    return _out(_f(x) + _f(m))


def balance(x, m):
    """Trade balance ``B = X - M`` (positive: surplus).

    >>> balance(3.0, 1.0)
    2.0
    """
    return _out(_f(x) - _f(m))


def coverage(x, m):
    """Import coverage ``X / M``; NaN where ``M = 0`` (see :data:`NOTE_NO_IMPORTS`).

    >>> coverage(3.0, 2.0)
    1.5
    """
    x, m = np.broadcast_arrays(_f(x), _f(m))
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(np.where(m > 0, x / np.where(m > 0, m, 1.0), np.nan))


def coverage_note(m) -> str | None:
    """Why coverage is undefined for a scalar ``m`` (None when it is defined)."""
    return NOTE_NO_IMPORTS if float(m) <= 0 else None


def relative_balance(x, m):
    """Relative (normalised) trade balance ``(X - M) / (X + M)`` in [-1, 1]; NaN if ``X + M = 0``.

    >>> relative_balance(3.0, 1.0)
    0.5
    """
    x, m = np.broadcast_arrays(_f(x), _f(m))
    total = x + m
    with np.errstate(divide="ignore", invalid="ignore"):
        return _out(np.where(total > 0, (x - m) / np.where(total > 0, total, 1.0), np.nan))


def cagr(v0, vt, years):
    """Compound annual growth rate ``(V_T / V_0)^(1/T) - 1``, ``T = end year - start year``.

    Undefined (NaN) when ``V_0 <= 0``, ``V_T <= 0`` or ``T <= 0``: never apply it to balances.
    Values are in whatever unit they come in; tradecoop reports it in **current USD** because no
    deflator is bundled.

    >>> round(cagr(100.0, 121.0, 2), 12)   # sqrt(1.21) - 1 = 0.1
    0.1
    """
    v0, vt, t = np.broadcast_arrays(_f(v0), _f(vt), _f(years))
    ok = (v0 > 0) & (vt > 0) & (t > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(ok, vt / np.where(ok, v0, 1.0), 1.0)
        return _out(np.where(ok, ratio ** (1.0 / np.where(ok, t, 1.0)) - 1.0, np.nan))


def cagr_note(v0: float, vt: float, years: float) -> str | None:
    """Why :func:`cagr` is undefined for scalar inputs (None when it is defined)."""
    if years <= 0:
        return NOTE_CAGR_SPAN
    if v0 <= 0 or vt <= 0:
        return NOTE_CAGR_NONPOSITIVE
    return None
