"""Structure of a trade flow by product group, and the top products.

A flow is a frame with columns ``product`` (zero-padded HS code) and ``value_usd``. Groups:
HS section (21 sections of the Harmonized System), HS2 chapter, Lall (2000) technology class
(doi:10.1080/713688318) and BEC end-use class (UN Classification by Broad Economic Categories).
Shares are of the flow's total; products without a class are kept as ``"unclassified"`` so shares
add to 1.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from tradecoop.errors import DataValidationError

UNCLASSIFIED = "unclassified"

#: HS sections by their first chapter (WCO Harmonized System nomenclature, 2022 edition)
_SECTION_FIRST_CHAPTER = (
    ("I", 1), ("II", 6), ("III", 15), ("IV", 16), ("V", 25), ("VI", 28), ("VII", 39),
    ("VIII", 41), ("IX", 44), ("X", 47), ("XI", 50), ("XII", 64), ("XIII", 68), ("XIV", 71),
    ("XV", 72), ("XVI", 84), ("XVII", 86), ("XVIII", 90), ("XIX", 93), ("XX", 94), ("XXI", 97),
)


def hs_section_of(code: str) -> str:
    """HS section (roman numeral) of an HS2/HS4/HS6 code; ``unclassified`` for chapters 77, 98-99.

    >>> hs_section_of("8479"), hs_section_of("8701"), hs_section_of("270900")
    ('XVI', 'XVII', 'V')
    """
    try:
        chapter = int(str(code)[:2])
    except ValueError:
        return UNCLASSIFIED
    if chapter < 1 or chapter == 77 or chapter > 97:
        return UNCLASSIFIED
    section = UNCLASSIFIED
    for name, first in _SECTION_FIRST_CHAPTER:
        if chapter >= first:
            section = name
    return section


def _check(flow: pd.DataFrame) -> None:
    missing = {"product", "value_usd"} - set(flow.columns)
    if missing:
        raise DataValidationError(
            f"a flow needs columns product, value_usd; missing {sorted(missing)} "
            f"(found {list(flow.columns)})"
        )


def structure(flow: pd.DataFrame, group_of: Callable[[pd.Series], pd.Series], level: str) -> pd.DataFrame:
    """Value and share of a flow by group.

    ``group_of`` maps the product column to group labels (missing -> ``unclassified``).
    Returns ``level, group, value_usd, share`` sorted by value, descending.

    >>> f = pd.DataFrame({"product": ["0101", "0201", "8701"], "value_usd": [1.0, 1.0, 2.0]})
    >>> structure(f, lambda p: p.str[:2], "hs2")["share"].tolist()
    [0.5, 0.25, 0.25]
    """
    _check(flow)
    groups = group_of(flow["product"].astype(str)).fillna(UNCLASSIFIED)
    out = flow.assign(group=groups.to_numpy()).groupby("group", as_index=False)["value_usd"].sum()
    total = out["value_usd"].sum()
    out["share"] = out["value_usd"] / total if total > 0 else float("nan")
    out.insert(0, "level", level)
    return out.sort_values(["value_usd", "group"], ascending=[False, True], ignore_index=True)


def by_hs_section(flow: pd.DataFrame) -> pd.DataFrame:
    """Structure by HS section."""
    return structure(flow, lambda p: p.map(hs_section_of), "hs_section")


def by_hs2(flow: pd.DataFrame) -> pd.DataFrame:
    """Structure by HS2 chapter."""
    return structure(flow, lambda p: p.str[:2], "hs2")


def by_class(flow: pd.DataFrame, classes: pd.DataFrame, column: str, level: str) -> pd.DataFrame:
    """Structure by a product classification given as a frame ``product, <column>``.

    Used for Lall technology classes and BEC end-use (the concordance frames of
    ``tradecoop.data.nomenclature.concordances``). Duplicate products in ``classes`` are an error.
    """
    if column not in classes.columns or "product" not in classes.columns:
        raise DataValidationError(f"classes need columns product, {column}; found {list(classes.columns)}")
    dup = classes["product"].duplicated()
    if dup.any():
        raise DataValidationError(
            f"{level}: each product needs exactly one class; {int(dup.sum())} duplicates "
            f"(first: {classes.loc[dup, 'product'].iloc[0]})")
    mapping = classes.set_index("product")[column]
    return structure(flow, lambda p: p.map(mapping), level)


def top_products(flow: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The ``n`` largest products with their share of the flow (ties broken by code).

    >>> f = pd.DataFrame({"product": ["a", "b", "c"], "value_usd": [1.0, 3.0, 1.0]})
    >>> top_products(f, 2)["product"].tolist()
    ['b', 'a']
    """
    _check(flow)
    total = flow["value_usd"].sum()
    out = flow.groupby("product", as_index=False)["value_usd"].sum()
    out = out.sort_values(["value_usd", "product"], ascending=[False, True]).head(n)
    out["share"] = out["value_usd"] / total if total > 0 else float("nan")
    return out.reset_index(drop=True)
