"""Sector presets of the brief (``--sectors``): the themes a delegation visit is organised around.

Each preset is a set of HS prefixes (chapters of two digits, headings of four); a product belongs
to a preset when its code starts with one of them. The presets follow the HS nomenclature's own
grouping (chapters 72-83 are base metals, 84 machinery, 87 vehicles) with the headings that a
visit's theme adds from elsewhere (tyres 4011 to vehicles; cement 2523 to construction).
"""

from __future__ import annotations

from tradecoop.errors import DataValidationError

#: preset -> (English name, Russian name, HS prefixes)
SECTOR_PRESETS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "engineering": (
        "engineering and machine tools", "машиностроение и станкостроение",
        ("84", "85", "90"),
    ),
    "agri_machinery": (
        "agricultural machinery", "сельскохозяйственная техника",
        ("8432", "8433", "8434", "8435", "8436", "8437", "8701", "8716"),
    ),
    "vehicles": (
        "vehicles and components", "транспортные средства и комплектующие",
        ("8701", "8702", "8703", "8704", "8705", "8706", "8707", "8708", "8709", "8716",
         "4011", "8408", "8409"),
    ),
    "metallurgy": (
        "metallurgy", "металлургия",
        ("26", "72", "73", "74", "75", "76", "78", "79", "80", "81"),
    ),
    "construction": (
        "construction and building materials", "строительство и стройматериалы",
        ("2523", "68", "69", "7308", "7610", "8426", "8427", "8429", "8430", "8474"),
    ),
    "agri_food": (
        "agriculture and food", "сельское хозяйство и продовольствие",
        tuple(f"{c:02d}" for c in range(1, 25)),
    ),
}


def parse_sectors(text: str | None) -> tuple[str, ...]:
    """``"vehicles,metallurgy"`` -> ``("vehicles", "metallurgy")``; None or "" -> () (all sectors).

    Raises
    ------
    DataValidationError
        For a name that is not a preset (the message lists the presets).
    """
    if not text:
        return ()
    names = tuple(dict.fromkeys(n.strip().lower().replace("-", "_") for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in SECTOR_PRESETS]
    if unknown:
        raise DataValidationError(
            f"unknown sector {', '.join(unknown)}; expected a comma-separated list of "
            f"{', '.join(SECTOR_PRESETS)}")
    return names


def in_sectors(product: str, sectors: tuple[str, ...]) -> bool:
    """True when HS code ``product`` belongs to one of ``sectors`` (every product when empty).

    >>> in_sectors("7208", ("metallurgy",)), in_sectors("7208", ("vehicles",)), in_sectors("7208", ())
    (True, False, True)
    """
    if not sectors:
        return True
    code = str(product)
    return any(code.startswith(prefix) for s in sectors for prefix in SECTOR_PRESETS[s][2])


def sector_names(sectors: tuple[str, ...], lang: str) -> str:
    """The presets' names in ``lang``, joined with commas."""
    index = 1 if lang == "ru" else 0
    return ", ".join(SECTOR_PRESETS[s][index] for s in sectors)
