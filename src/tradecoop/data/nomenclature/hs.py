"""Harmonized System descriptions in English and Russian, and product search.

The table ``datasets/hs_nomenclature.parquet`` (built by ``scripts/build_bundled.py``) holds:

- HS 2022 sections (level 0, Roman numerals), chapters (HS2), headings (HS4) and subheadings
  (HS6) with their English descriptions (UN Comtrade via datasets/harmonized-system, ODC-PDDL);
- HS4/HS6 codes that HS 2022 no longer has, with the description of the latest vintage that had
  them (R package concordance; column ``vintage``);
- Russian names of sections, chapters and headings from the TN VED EAEU classifier (Russian
  Federal Tax Service files, 2019 edition, currently valid rows; names of deleted headings for
  codes HS 2022 no longer has). Where no Russian name exists (all HS6, ~300 headings)
  ``name_ru`` holds the English text and ``ru_fallback`` is True.

TN VED EAEU is built on the HS (its first six digits are HS codes), so its group and heading
names describe the same HS chapters and headings (for the HS edition in force in 2019, HS 2017).

Nothing is read at import time; the table is loaded once, on first use.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

import pandas as pd

from tradecoop.data.bundled import DATASETS_DIR
from tradecoop.errors import DataValidationError, NotFoundError

NOMENCLATURE_FILE = DATASETS_DIR / "hs_nomenclature.parquet"
LEVEL_ORDER = {4: 0, 6: 1, 2: 2, 0: 3}  # search ranking: headings, subheadings, chapters, sections
#: Russian inflectional endings stripped by the search stemmer, longest first
_RU_ENDINGS = tuple(
    sorted(
        [
            "иями",
            "ями",
            "ами",
            "ого",
            "его",
            "ому",
            "ему",
            "ыми",
            "ими",
            "ией",
            "ий",
            "ый",
            "ой",
            "ая",
            "яя",
            "ое",
            "ее",
            "ые",
            "ие",
            "ых",
            "их",
            "ую",
            "юю",
            "ов",
            "ев",
            "ей",
            "ам",
            "ям",
            "ах",
            "ях",
            "ом",
            "ем",
            "ию",
            "ья",
            "ье",
            "ьи",
            "ы",
            "и",
            "а",
            "я",
            "о",
            "е",
            "у",
            "ю",
            "ь",
        ],
        key=len,
        reverse=True,
    )
)
_EN_ENDINGS = ("ies", "es", "s", "ing", "ed")
#: rapidfuzz ratio (0-100) above which a word counts as a misspelling of the query word:
#: one wrong letter in a 7-letter word scores 85.7, two wrong letters score 71.4
FUZZY_CUTOFF = 80
_WORD = re.compile(r"\w+", re.UNICODE)
_CODE = re.compile(r"^[0-9][0-9 .]*$")
_ROMAN = re.compile(r"^[IVXL]+$")


@cache
def nomenclature() -> pd.DataFrame:
    """The whole HS nomenclature table (one row per code; see the module docstring)."""
    if not NOMENCLATURE_FILE.exists():
        raise NotFoundError(
            f"HS nomenclature file missing: {NOMENCLATURE_FILE}; rebuild it with `make bundle`"
        )
    frame = pd.read_parquet(NOMENCLATURE_FILE)
    frame.index = pd.Index(frame["code"].to_numpy(), name=None)
    return frame


def normalize_code(code: str) -> str:
    """'8701', '87.01', '8701 90', ' 870190 ' -> digits only; Roman section numbers upper-cased."""
    text = str(code).strip()
    if _ROMAN.match(text.upper()):
        return text.upper()
    digits = re.sub(r"[ .]", "", text)
    if not digits.isdigit() or len(digits) not in (2, 4, 6):
        raise DataValidationError(
            f"HS code must be 2, 4 or 6 digits (or a section number I-XXI); found {code!r}"
        )
    return digits


@cache
def _names() -> dict[str, tuple[str, str]]:
    """code -> (name_en, name_ru), for lookups without a pandas row per call (~50x faster)."""
    table = nomenclature()
    return dict(zip(table["code"].tolist(),
                    zip(table["name_en"].astype(str).tolist(), table["name_ru"].astype(str).tolist(),
                        strict=True),
                    strict=True))


def _row(code: str) -> pd.Series:
    key = normalize_code(code)
    table = nomenclature()
    if key not in table.index:
        raise NotFoundError(f"HS code {key!r} is not in the HS 1992-2022 nomenclature")
    return table.loc[key]


def product_name(code: str, lang: Literal["en", "ru"] = "en") -> str:
    """Description of an HS section, chapter, heading or subheading.

    Parameters
    ----------
    code : HS code with 2, 4 or 6 digits ('8701', '870190') or a section number ('XVII')
    lang : 'en' or 'ru'. Russian exists for sections, chapters and most headings (TN VED EAEU);
        otherwise the English text is returned (see :func:`product_info` ``ru_fallback``).

    Raises
    ------
    NotFoundError
        If the code is in no HS vintage 1992-2022.
    DataValidationError
        If ``code`` is not a code or ``lang`` is not 'en'/'ru'.
    """
    if lang not in ("en", "ru"):
        raise DataValidationError(f"lang must be 'en' or 'ru'; found {lang!r}")
    names = _names().get(normalize_code(code))
    if names is None:
        _row(code)  # raises NotFoundError with the usual message
    return names[1] if lang == "ru" else names[0]


def product_info(code: str) -> dict[str, object]:
    """All nomenclature fields of one code: code, level, section, parent, name_en, name_ru,
    ru_fallback (True when name_ru is the English text), vintage (of the description)."""
    row = _row(code)
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.drop("source").items()}


def hs_section(code: str) -> str:
    """HS section (Roman numeral 'I'..'XXI') of a chapter, heading or subheading code.

    >>> hs_section("870190")
    'XVII'
    """
    key = normalize_code(code)
    if _ROMAN.match(key):
        return str(_row(key)["code"])
    table = nomenclature()
    chapter = key[:2]
    if chapter not in table.index:
        raise NotFoundError(f"HS chapter {chapter!r} (of code {code!r}) does not exist")
    section = str(table.loc[chapter, "section"])
    if not section:
        raise NotFoundError(
            f"chapter {chapter!r} (UN Comtrade 'not specified') is in no HS section"
        )
    return section


def stem(word: str) -> str:
    """Light suffix-stripping stemmer for search (not linguistics): 'тракторы' -> 'трактор',
    'tractors' -> 'tractor'. Stems keep at least 3 letters."""
    word = word.lower().replace("ё", "е")
    endings = _RU_ENDINGS if re.search("[а-я]", word) else _EN_ENDINGS
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


@cache
def _word_index() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    table = nomenclature()

    def words(text: str) -> tuple[str, ...]:
        return tuple(w.lower().replace("ё", "е") for w in _WORD.findall(text))

    return [words(t) for t in table["name_en"]], [words(t) for t in table["name_ru"]]


def search_products(text: str, limit: int = 20) -> pd.DataFrame:
    """Find HS codes by words in English or Russian, or by code prefix.

    Every word of ``text`` is reduced to a stem (:func:`stem`) and must start some word of the
    English or the Russian name, so 'tractor', 'tractors', 'трактор' and 'тракторы' all find
    8701. Ranking: names that begin with the first query word first, then headings before
    subheadings before chapters, then earlier matches, then code. Only if no name matches by
    words, close spellings are tried (rapidfuzz ratio >= 80 between stems: 'tracter'), marked
    ``match = 'fuzzy'``. Digits ('8701', '87.01') list that code and the
    codes below it.

    Returns
    -------
    DataFrame with columns code, level, name_en, name_ru, ru_fallback, match ('code', 'word',
    'fuzzy'), at most ``limit`` rows (empty when nothing matches).
    """
    cols = ["code", "level", "name_en", "name_ru", "ru_fallback"]
    if limit < 1:
        raise DataValidationError(f"limit must be >= 1; found {limit}")
    query = str(text).strip()
    if not query:
        raise DataValidationError(
            "search text is empty; give a word ('tractor') or a code ('8701')"
        )
    table = nomenclature()
    if _CODE.match(query):
        prefix = re.sub(r"[ .]", "", query)
        hits = table[table["level"].gt(0) & table["code"].str.startswith(prefix)]
        hits = hits.sort_values(["level", "code"], kind="mergesort").head(limit)
        return hits[cols].assign(match="code").reset_index(drop=True)
    stems = [stem(w) for w in _WORD.findall(query)]
    if not stems:
        raise DataValidationError(f"search text {text!r} contains no word")
    en_words, ru_words = _word_index()
    levels, codes = table["level"].tolist(), table["code"].tolist()
    ranked = []
    for i, (en, ru) in enumerate(zip(en_words, ru_words, strict=True)):
        best = None
        for words in (en, ru):
            positions = []
            for s in stems:
                pos = next((j for j, w in enumerate(words) if w.startswith(s)), None)
                if pos is None:
                    break
                positions.append(pos)
            else:
                key = (0 if positions[0] == 0 else 1, min(positions))
                best = key if best is None or key < best else best
        if best is not None:
            ranked.append((best[0], LEVEL_ORDER[levels[i]], best[1], codes[i], i))
    ranked.sort()
    rows = [r[-1] for r in ranked[:limit]]
    out = table.iloc[rows][cols].assign(match="word")
    if out.empty:
        out = _fuzzy(stems, limit, cols)
    return out.reset_index(drop=True)


@cache
def _vocabulary() -> tuple[list[str], list[str]]:
    """Every word of 4+ letters in the names, and its stem (same order)."""
    en_words, ru_words = _word_index()
    vocab = sorted({w for words in (*en_words, *ru_words) for w in words if len(w) >= 4})
    return vocab, [stem(w) for w in vocab]


def _fuzzy(stems: list[str], n: int, cols: list[str]) -> pd.DataFrame:
    """Rows with, for every query stem, a word whose stem is spelt closely (rapidfuzz ratio
    >= FUZZY_CUTOFF, words of 4+ letters: 'tracter' ~ 'tractor'), best total similarity first."""
    from rapidfuzz import fuzz, process

    en_words, ru_words = _word_index()
    vocab, stemmed = _vocabulary()
    close: list[dict[str, float]] = []
    for s in stems:
        hits = process.extract(s, stemmed, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None)
        close.append({vocab[k]: score for _, score, k in hits})
    table = nomenclature()
    levels, codes = table["level"].tolist(), table["code"].tolist()
    scored = []
    for i, (en, ru) in enumerate(zip(en_words, ru_words, strict=True)):
        words = set(en) | set(ru)
        scores = [max((m[w] for w in words if w in m), default=None) for m in close]
        if all(sc is not None for sc in scores):
            scored.append((-sum(scores), LEVEL_ORDER[levels[i]], codes[i], i))
    scored.sort()
    rows = [r[-1] for r in scored[:n]]
    return table.iloc[rows][cols].assign(match="fuzzy")
