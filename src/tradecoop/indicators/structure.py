"""Structure of a trade flow by product group, and the top products.

A flow is a frame with columns ``product`` (zero-padded HS code) and ``value_usd``. Groups:
HS section (21 sections of the Harmonized System), HS2 chapter, Lall (2000) technology class
(doi:10.1080/713688318) and BEC end-use class (UN Classification by Broad Economic Categories).
Shares are of the flow's total; products without a class are kept as ``"unclassified"`` so shares
add to 1.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd

from tradecoop.errors import DataValidationError, TradecoopError

UNCLASSIFIED = "unclassified"
#: tolerance on "class weights sum to 1 per product" (float sums of a few shares)
WEIGHT_TOL = 1e-9

_ROMAN = frozenset(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI"])


@functools.lru_cache(maxsize=8192)  # a pure lookup in the bundled nomenclature; called per row
def hs_section_of(code: str) -> str:
    """HS section (roman numeral) of an HS2/HS4/HS6 code, from the bundled HS nomenclature.

    Codes outside the 21 sections (chapter 77, 98-99 special codes such as 9999) are
    ``unclassified``.

    >>> hs_section_of("8479"), hs_section_of("8701"), hs_section_of("9999")
    ('XVI', 'XVII', 'unclassified')
    """
    from tradecoop.data.nomenclature.hs import hs_section

    try:
        section = hs_section(str(code))
    except TradecoopError:
        return UNCLASSIFIED
    return section if section in _ROMAN else UNCLASSIFIED


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
    """Structure by a product classification given as a frame ``product, <column>[, weight]``.

    Used for Lall technology classes and BEC end-use (the frames of
    ``tradecoop.data.nomenclature.concordances``). Without ``weight`` each product needs exactly
    one class. With ``weight`` a product may link to several classes and its value is split by
    the weights (an HS4 heading pooling HS6 subheadings of different classes); each product's
    weights must sum to 1.

    >>> f = pd.DataFrame({"product": ["8701"], "value_usd": [10.0]})
    >>> c = pd.DataFrame({"product": ["8701", "8701"], "bec": ["capital", "consumption"],
    ...                   "weight": [0.75, 0.25]})
    >>> by_class(f, c, "bec", "bec")["value_usd"].tolist()
    [7.5, 2.5]
    """
    if column not in classes.columns or "product" not in classes.columns:
        raise DataValidationError(f"classes need columns product, {column}; found {list(classes.columns)}")
    _check(flow)
    if "weight" not in classes.columns:
        dup = classes["product"].duplicated()
        if dup.any():
            raise DataValidationError(
                f"{level}: each product needs exactly one class (or a weight column); "
                f"{int(dup.sum())} duplicates (first: {classes.loc[dup, 'product'].iloc[0]})")
        classes = classes.assign(weight=1.0)
    sums = classes.groupby("product")["weight"].sum()
    off = (sums - 1.0).abs() > WEIGHT_TOL
    if off.any():
        raise DataValidationError(
            f"{level}: class weights must sum to 1 per product; {int(off.sum())} do not "
            f"(first: {sums[off].index[0]} sums to {sums[off].iloc[0]:.6g})")
    flow = flow.assign(product=flow["product"].astype(str))
    split = flow.merge(classes[["product", column, "weight"]], on="product", how="left")
    split["weight"] = split["weight"].fillna(1.0)
    split["value_usd"] = split["value_usd"] * split["weight"]
    split["product"] = split[column].fillna(UNCLASSIFIED).astype(str)
    return structure(split[["product", "value_usd"]], lambda p: p, level)


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
