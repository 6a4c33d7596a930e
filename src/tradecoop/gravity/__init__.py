"""Structural gravity (PPML with high-dimensional fixed effects via pyfixest) and trade potential.

Public API::

    from tradecoop.gravity import GravitySpec, fit_gravity, read_panel, trade_potential
"""

from __future__ import annotations

from tradecoop.gravity.estimate import GravityResult, fit_gravity
from tradecoop.gravity.io import read_panel
from tradecoop.gravity.spec import GravitySpec

__all__ = ["GravityResult", "GravitySpec", "fit_gravity", "read_panel"]
