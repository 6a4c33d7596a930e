"""HS 6-digit code lists per Harmonized System vintage (HS92 ... HS22).

The lists come from ``datasets/hs_codes.parquet`` (built by ``scripts/build_hs_codes.py`` from the
MIT-licensed R package ``concordance``; see ``datasets/hs_codes.md``). Read on first use only.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tradecoop.errors import NotFoundError

HS_CODES_PARQUET = Path(__file__).resolve().parents[1] / "datasets" / "hs_codes.parquet"
HS_VINTAGES: tuple[str, ...] = ("HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22")


def normalise_vintage(vintage: str) -> str:
    """``'hs17'``, ``'HS2017'``, ``'H5'`` (Comtrade) -> ``'HS17'``; NotFoundError if unknown."""
    text = str(vintage).strip().upper().replace(" ", "")
    comtrade = {"H0": "HS92", "H1": "HS96", "H2": "HS02", "H3": "HS07", "H4": "HS12",
                "H5": "HS17", "H6": "HS22"}
    if text in comtrade:
        return comtrade[text]
    if text.startswith("HS") and len(text) == 6 and text[2:].isdigit():  # HS2017
        text = "HS" + text[4:]
    if text == "HS88":
        text = "HS92"
    if text not in HS_VINTAGES:
        raise NotFoundError(
            f"unknown HS vintage {vintage!r}; expected one of {', '.join(HS_VINTAGES)}"
        )
    return text


@cache
def _codes() -> dict[str, frozenset[str]]:
    import pyarrow.parquet as pq

    table = pq.read_table(HS_CODES_PARQUET).to_pydict()
    out: dict[str, set[str]] = {}
    for vintage, code in zip(table["vintage"], table["code"], strict=True):
        out.setdefault(vintage, set()).add(code)
    return {k: frozenset(v) for k, v in out.items()}


def hs6_codes(vintage: str) -> frozenset[str]:
    """All valid 6-digit product codes of one HS vintage (zero-padded strings).

    Parameters
    ----------
    vintage : ``'HS92'``, ``'HS96'``, ``'HS02'``, ``'HS07'``, ``'HS12'``, ``'HS17'`` or ``'HS22'``
        (also accepted: ``'HS2017'``, Comtrade's ``'H5'``).

    Raises
    ------
    NotFoundError
        For an unknown vintage.
    """
    return _codes()[normalise_vintage(vintage)]
