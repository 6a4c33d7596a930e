"""Weights of the opportunity criteria: named presets and user files.

The diversification triple (docs/opportunities.md, "Scoring and explanation", after the Growth
Lab's country strategies) is ``distance`` (negated, so nearer is better) / ``pci`` / ``cog`` (and
their pooled-pair variants ``pair_distance`` / ``pair_cog`` for joint entry):

============== ======== ===== =====
preset         distance  pci   cog
============== ======== ===== =====
low_hanging      0.60    0.15  0.25
balanced         0.50    0.15  0.35   (Strategic Bets countries; the default)
long_jump        0.45    0.20  0.35
parsimonious     0.55    0.20  0.25
light_touch      0.60    0.20  0.20
============== ======== ===== =====

Every other criterion has a documented default weight (``BASE_WEIGHTS``) that the presets keep.
A user file (JSON or TOML) gives ``{criterion: weight}`` for all types, or
``{type: {criterion: weight}}`` per type; unknown names are an error (with the known ones listed).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path

from tradecoop.errors import DataValidationError, NotFoundError

#: (distance, pci, cog) per preset — docs/opportunities.md
DIVERSIFICATION_PRESETS: Mapping[str, tuple[float, float, float]] = {
    "low_hanging": (0.60, 0.15, 0.25),
    "balanced": (0.50, 0.15, 0.35),
    "long_jump": (0.45, 0.20, 0.35),
    "parsimonious": (0.55, 0.20, 0.25),
    "light_touch": (0.60, 0.20, 0.20),
}
DEFAULT_PRESET = "balanced"

#: default weights of the non-diversification criteria (same in every preset)
BASE_WEIGHTS: Mapping[str, float] = {
    "exporter_rca": 0.30,
    "exporter_market_share": 0.20,  # registered, but no built-in type uses it (log-collinear with exporter_rca)
    "importer_demand": 0.30,
    "importer_third_country_share": 0.20,
    "feasibility": 0.40,
    "pair_feasibility": 0.40,
    "io_linkage": 0.40,
    "intermediate_good": 0.20,
    "intra_industry_trade": 0.40,
    "two_way_value": 0.20,
    "world_demand": 0.20,
}


def preset_weights(name: str = DEFAULT_PRESET) -> dict[str, float]:
    """Weights of preset ``name`` for every built-in criterion."""
    try:
        dist, pci, cog = DIVERSIFICATION_PRESETS[name]
    except KeyError:
        known = ", ".join(DIVERSIFICATION_PRESETS)
        raise NotFoundError(f"no weight preset named {name!r}; presets: {known}") from None
    return {
        **BASE_WEIGHTS,
        "distance": dist, "pair_distance": dist,
        "pci": pci,
        "cog": cog, "pair_cog": cog,
    }


def load_weights(spec: str | Path | None, known_criteria: set[str], known_types: set[str]) -> dict[str, dict[str, float]] | dict[str, float]:
    """Weights from a preset name or a JSON/TOML file, validated against the known names.

    Returns either one mapping ``{criterion: weight}`` (all types) or ``{type: {criterion: w}}``.
    """
    if spec is None:
        return preset_weights()
    path = Path(spec)
    if not path.suffix and not path.exists():
        return preset_weights(str(spec))
    if not path.exists():
        raise NotFoundError(f"weights file {path} does not exist (or give a preset: {', '.join(DIVERSIFICATION_PRESETS)})")
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataValidationError(f"{path}: not valid {path.suffix.lstrip('.').upper() or 'JSON'}: {exc}") from exc
    if not isinstance(data, dict):
        raise DataValidationError(f"{path}: expected a mapping of criterion -> weight, found {type(data).__name__}")
    if all(isinstance(v, dict) for v in data.values()) and data:
        out: dict[str, dict[str, float]] = {}
        for type_name, inner in data.items():
            if type_name not in known_types:
                raise DataValidationError(f"{path}: unknown opportunity type {type_name!r}; known: {', '.join(sorted(known_types))}")
            out[type_name] = _validate(inner, known_criteria, path)
        return out
    return {**preset_weights(), **_validate(data, known_criteria, path)}


def _validate(data: Mapping[str, object], known: set[str], path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, value in data.items():
        if name not in known:
            raise DataValidationError(f"{path}: unknown criterion {name!r}; known: {', '.join(sorted(known))}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise DataValidationError(f"{path}: weight of {name!r} must be a non-negative number, found {value!r}")
        out[name] = float(value)
    return out
