"""Countries (ISO 3166-1) and subnational regions (ISO 3166-2) with English and Russian names.

Countries come from ``pycountry`` (ISO 3166-1 alpha-2, alpha-3, numeric; English names and the
Russian names of its gettext ``ru`` catalogue). Russia's federal subjects come from
``okato_regions.csv`` beside this file (OKATO prefix -> ISO 3166-2, English and Russian names,
see ``okato_regions.md``); other countries' subdivisions resolve by ISO 3166-2 code through
pycountry. ``aliases.csv`` adds common short names (``Russia``, ``Россия``, ``Белоруссия``).
Nothing is loaded at import time; the index is built on first use.

Canonical codes: ISO 3166-1 alpha-3 for countries (``BLR``), ISO 3166-2 for regions
(``RU-CHE``), ``WLD`` for the world.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tradecoop.errors import NotFoundError

_HERE = Path(__file__).resolve().parent
OKATO_CSV = _HERE / "okato_regions.csv"
ALIASES_CSV = _HERE / "aliases.csv"
WORLD = "WLD"
_STOP_WORDS = {
    "oblast", "krai", "kray", "region", "republic", "of", "the", "autonomous", "okrug",
    "область", "край", "республика", "автономный", "округ", "автономная", "обл", "респ",
}


@dataclass(frozen=True)
class Region:
    """One Russian federal subject: OKATO prefix, ISO 3166-2 code (None if ISO has none), names."""

    okato: str
    iso: str | None
    name_en: str
    name_ru: str


def _key(text: str) -> str:
    text = str(text).casefold().replace("ё", "е")
    text = re.sub(r"[\s\-'’`().,—–/]+", " ", text)
    return text.strip()


def _stem(key: str) -> str:
    return " ".join(w for w in key.split() if w not in _STOP_WORDS)


@cache
def okato_regions() -> tuple[Region, ...]:
    """Russia's federal subjects from ``okato_regions.csv`` (85 rows; 2 without an ISO code)."""
    with OKATO_CSV.open(encoding="utf-8") as fh:
        return tuple(
            Region(r["okato"], r["iso3166_2"] or None, r["name_en"], r["name_ru"])
            for r in csv.DictReader(fh)
        )


def okato_to_iso(code: str) -> Region | None:
    """The federal subject of an OKATO code (5-digit prefix first, then 2-digit); None if unknown."""
    code = str(code).strip()
    by_prefix = {r.okato: r for r in okato_regions()}
    return by_prefix.get(code[:5]) or by_prefix.get(code[:2])


def _ru_translator(domain: str):
    import gettext

    import pycountry

    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["ru"]).gettext
    except OSError:  # pragma: no cover - catalogue missing in a trimmed install
        return lambda s: s


@cache
def _index() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(key -> canonical code, canonical code -> (English name, Russian name))."""
    import pycountry

    ru1 = _ru_translator("iso3166-1")
    ru2 = _ru_translator("iso3166-2")
    index: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {WORLD: ("World", "Мир")}

    def add(text: str | None, code: str, *, stem: bool = False) -> None:
        if not text:
            return
        key = _key(text)
        index.setdefault(key, code)
        if stem and _stem(key):
            index.setdefault(_stem(key), code)

    for text in (WORLD, "World", "Мир", "000"):
        add(text, WORLD)
    for c in pycountry.countries:
        en = getattr(c, "common_name", None) or c.name
        names[c.alpha_3] = (en, ru1(c.name))
        for text in (c.alpha_3, c.alpha_2, c.numeric, str(int(c.numeric)), c.name, en,
                     getattr(c, "official_name", None), ru1(c.name)):
            add(text, c.alpha_3)
        if getattr(c, "official_name", None):
            add(ru1(c.official_name), c.alpha_3)
    for region in okato_regions():
        if region.iso is None:
            continue
        names[region.iso] = (region.name_en, region.name_ru)
        add(region.iso, region.iso)
        for text in (region.name_en, region.name_ru,
                     pycountry.subdivisions.get(code=region.iso).name):
            add(text, region.iso, stem=True)
    for sub in pycountry.subdivisions:
        if sub.code not in names:
            names[sub.code] = (sub.name, ru2(sub.name))
        add(sub.code, sub.code)
        if sub.country_code == "BY":
            add(sub.name, sub.code, stem=True)
    with ALIASES_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            index.setdefault(_key(row["alias"]), row["code"])
    return index, names


def resolve_location(code: str) -> str:
    """Canonical code of a country or region given any code or name.

    ``'by'``, ``'BLR'``, ``'112'``, ``'Belarus'``, ``'Беларусь'`` -> ``'BLR'``;
    ``'RU-CHE'``, ``'Chelyabinsk'``, ``'Челябинская область'`` -> ``'RU-CHE'``.

    Raises
    ------
    NotFoundError
        If nothing matches; the message lists close matches.
    """
    index, _ = _index()
    key = _key(code)
    found = index.get(key) or index.get(_stem(key))
    if found:
        return found
    from rapidfuzz import process

    close = process.extract(key, list(index), limit=3, score_cutoff=70)
    hint = ", ".join(f"{m!r} ({index[m]})" for m, _s, _i in close)
    raise NotFoundError(
        f"unknown location {code!r}: expected an ISO 3166-1 code (alpha-2, alpha-3 or numeric), "
        f"an ISO 3166-2 region code or a country/region name in English or Russian"
        + (f"; close matches: {hint}" if hint else "")
    )


def location_name(code: str, lang: str = "en") -> str:
    """English (``lang='en'``) or Russian (``lang='ru'``) name of a location code or name."""
    if lang not in ("en", "ru"):
        raise NotFoundError(f"unknown language {lang!r}; expected 'en' or 'ru'")
    _, names = _index()
    en, ru = names[resolve_location(code)]
    return en if lang == "en" else ru


def is_region(code: str) -> bool:
    """True for a subnational region (ISO 3166-2 code such as ``RU-CHE``)."""
    return "-" in resolve_location(code)


def parent_country(code: str) -> str:
    """Alpha-3 code of the country a region belongs to (``'RU-CHE'`` -> ``'RUS'``); a country maps to itself."""
    canonical = resolve_location(code)
    if "-" not in canonical:
        return canonical
    return resolve_location(canonical.split("-", 1)[0])
