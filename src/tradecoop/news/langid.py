"""Language identification restricted to Russian, English, Belarusian and Ukrainian (lingua).

Restricting lingua to four languages keeps its load to ~10 ms and ~25 MB (all languages: 13 s,
1.3 GB). Belarusian and Russian share most letters; lingua tells them apart by n-grams, and a
text with the letters that only Belarusian has (ў, і with Russian-looking words) is Belarusian
even when short.
"""

from __future__ import annotations

import re
from functools import cache

LANGUAGES = ("ru", "en", "be", "uk")
_BE_ONLY = re.compile(r"ў")
_UK_ONLY = re.compile(r"[їєґ]")


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.RUSSIAN, Language.ENGLISH, Language.BELARUSIAN, Language.UKRAINIAN).build()


def detect(text: str) -> str | None:
    """ISO 639-1 code of the text's language among :data:`LANGUAGES`, or None if undecided."""
    sample = text[:4000]
    if not sample.strip():
        return None
    if _BE_ONLY.search(sample) and not _UK_ONLY.search(sample):
        return "be"
    lang = _detector().detect_language_of(sample)
    if lang is None:
        return None
    return lang.iso_code_639_1.name.lower()
