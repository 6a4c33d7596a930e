"""Concordances: HS -> ISIC Rev.4 / BEC end use / Lall technology class / WIOD sector, and
conversion of values between HS vintages.

Tables (``datasets/conc_*.parquet``, built by ``scripts/build_bundled.py``):

- HS -> ISIC Rev.4 and HS -> ISIC Rev.3: WITS tables from the R package *concordance*
  (Liao, Kim, Miyano & Zhang, v2.1.0, 2023), keyed on "HS combined" (the union of the 1988/92-2022 HS
  codes), so any vintage's codes can be looked up. ISIC Rev.4 divisions equal NACE Rev.2
  divisions (NACE Rev.2 is ISIC Rev.4 refined below the division level).
- HS (each vintage) -> BEC Rev.4 basic categories (UN Statistics Division, via *concordance*).
- HS 2012 -> Lall (2000) technology classes (BRICS+ Trade Dashboard lookup via SITC Rev.3).
- Adjacent HS vintage links HS92 <-> HS96 <-> HS02 <-> HS07 <-> HS12 <-> HS17 <-> HS22
  (UN Statistics Division correlation tables, via *concordance*).

One HS code can map to several targets. Every function returns one row per (product, target)
with ``weight`` = the share of the product's links that point to that target (equal split over
links; weights of a product sum to 1) and ``primary`` = the target with the largest weight.

References: Lall, S. (2000) The technological structure and performance of developing country
manufactured exports, 1985-98, Oxford Development Studies 28(3), 337-369,
doi:10.1080/713688318. UN (2003) Classification by Broad Economic Categories, Statistical Papers
Series M No. 53 Rev.4. Timmer et al. (2015) doi:10.1111/roie.12178 (WIOD sectors).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from functools import cache
from typing import Any

import pandas as pd

from tradecoop.data.bundled import DATASETS_DIR
from tradecoop.errors import DataQualityWarning, DataValidationError, NotFoundError

#: HS vintages in order (HS92 = HS 1988/1992 ... HS22 = HS 2022)
VINTAGES: tuple[str, ...] = ("HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22")

#: BEC Rev.4 basic category -> end-use class (SNA basic classes, BEC Rev.4 manual, para 10):
#: 32 = processed fuels not split into 321 (motor spirit, unassigned) / 322 (intermediate)
BEC_CLASS: dict[str, str] = {
    **dict.fromkeys(("41", "521"), "capital"),
    **dict.fromkeys(("111", "121", "21", "22", "31", "322", "42", "53"), "intermediate"),
    **dict.fromkeys(("112", "122", "522", "61", "62", "63"), "consumption"),
    **dict.fromkeys(("32", "321", "51"), "mixed"),
    "7": "unclassified",
}
#: BEC categories that are parts and accessories (capital goods 42, transport equipment 53)
BEC_PARTS: frozenset[str] = frozenset({"42", "53"})

#: ISIC Rev.4 divisions that the WITS HS-ISIC4 table attaches to goods through service links
#: (33 repair and installation of machinery, 38 waste collection and materials recovery); they
#: are never chosen as the primary division when another division exists
ISIC4_SERVICE_DIVISIONS: frozenset[str] = frozenset({"33", "38"})

#: WIOD 2013 release, 35 industries: code, name, ISIC Rev.3 divisions (NACE Rev.1.1 = ISIC
#: Rev.3 at division level). Timmer et al. (2015), WIOD 2013 release industry list.
WIOD13_SECTORS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("AtB", "Agriculture, hunting, forestry and fishing", ("01", "02", "05")),
    ("C", "Mining and quarrying", ("10", "11", "12", "13", "14")),
    ("15t16", "Food, beverages and tobacco", ("15", "16")),
    ("17t18", "Textiles and textile products", ("17", "18")),
    ("19", "Leather, leather products and footwear", ("19",)),
    ("20", "Wood and products of wood and cork", ("20",)),
    ("21t22", "Pulp, paper, printing and publishing", ("21", "22")),
    ("23", "Coke, refined petroleum and nuclear fuel", ("23",)),
    ("24", "Chemicals and chemical products", ("24",)),
    ("25", "Rubber and plastics", ("25",)),
    ("26", "Other non-metallic minerals", ("26",)),
    ("27t28", "Basic metals and fabricated metal", ("27", "28")),
    ("29", "Machinery, n.e.c.", ("29",)),
    ("30t33", "Electrical and optical equipment", ("30", "31", "32", "33")),
    ("34t35", "Transport equipment", ("34", "35")),
    ("36t37", "Manufacturing n.e.c.; recycling", ("36", "37")),
    ("E", "Electricity, gas and water supply", ("40", "41")),
    ("F", "Construction", ("45",)),
    ("50", "Sale, maintenance and repair of motor vehicles; retail sale of fuel", ("50",)),
    ("51", "Wholesale trade and commission trade, except of motor vehicles", ("51",)),
    ("52", "Retail trade, except of motor vehicles; repair of household goods", ("52",)),
    ("H", "Hotels and restaurants", ("55",)),
    ("60", "Inland transport", ("60",)),
    ("61", "Water transport", ("61",)),
    ("62", "Air transport", ("62",)),
    ("63", "Other supporting and auxiliary transport activities; travel agencies", ("63",)),
    ("64", "Post and telecommunications", ("64",)),
    ("J", "Financial intermediation", ("65", "66", "67")),
    ("70", "Real estate activities", ("70",)),
    (
        "71t74",
        "Renting of machinery and equipment and other business activities",
        ("71", "72", "73", "74"),
    ),
    ("L", "Public administration and defence; compulsory social security", ("75",)),
    ("M", "Education", ("80",)),
    ("N", "Health and social work", ("85",)),
    ("O", "Other community, social and personal services", ("90", "91", "92", "93")),
    ("P", "Private households with employed persons", ("95", "96", "97")),
)
_ISIC3_TO_WIOD = {div: code for code, _, divs in WIOD13_SECTORS for div in divs}
_WIOD_ORDER = {code: i for i, (code, _, _) in enumerate(WIOD13_SECTORS)}
_HS = re.compile(r"^\d{4}(\d{2})?$")


@cache
def _table(name: str) -> pd.DataFrame:
    path = DATASETS_DIR / f"{name}.parquet"
    if not path.exists():
        raise NotFoundError(f"concordance table missing: {path}; rebuild it with `make bundle`")
    return pd.read_parquet(path)


def _check_vintage(vintage: str) -> str:
    key = str(vintage).upper()
    if key not in VINTAGES:
        raise DataValidationError(
            f"HS vintage must be one of {', '.join(VINTAGES)}; found {vintage!r}"
        )
    return key


def _codes(codes: str | Iterable[str]) -> list[str]:
    """Validated, de-duplicated HS4/HS6 codes in input order."""
    items = [codes] if isinstance(codes, str) else list(codes)
    out, bad = [], []
    for c in items:
        text = str(c).strip().replace(".", "")
        (out if _HS.match(text) else bad).append(text)
    if bad:
        raise DataValidationError(
            f"HS codes must have 4 or 6 digits; {len(bad)} do not (first: {bad[0]!r})"
        )
    return list(dict.fromkeys(out))


def _link_weights(links: pd.DataFrame, target: str, codes: list[str], what: str) -> pd.DataFrame:
    """Rows (product, target, weight) for the query codes; a 4-digit code pools the links of
    its subheadings. weight = share of the code's links (or of their ``weight``, if the link
    table has one) pointing at the target."""
    if "weight" not in links.columns:
        links = links.assign(weight=1.0)
    frames = []
    for width in (4, 6):
        wanted = [c for c in codes if len(c) == width]
        if not wanted:
            continue
        sub = links[links["product"].str[:width].isin(wanted)]
        frames.append(sub.assign(product=sub["product"].str[:width])[["product", target, "weight"]])
    if frames:
        hits = pd.concat(frames, ignore_index=True)
    else:
        hits = pd.DataFrame({"product": [], target: [], "weight": []})
    found = set(hits["product"])
    missing = [c for c in codes if c not in found]
    if missing:
        warnings.warn(
            f"{len(missing)} of {len(codes)} HS codes have no {what} link and are left out "
            f"(first: {missing[0]})",
            DataQualityWarning,
            stacklevel=3,
        )
    sums = hits.groupby(["product", target], as_index=False)["weight"].sum()
    sums["weight"] = sums["weight"] / sums.groupby("product")["weight"].transform("sum")
    order = {c: i for i, c in enumerate(codes)}
    sums["_o"] = sums["product"].map(order)
    return (
        sums.sort_values(["_o", target], kind="mergesort").drop(columns="_o").reset_index(drop=True)
    )


def _mark_primary(
    frame: pd.DataFrame, target: str, avoid: frozenset[str] = frozenset()
) -> pd.DataFrame:
    """primary = largest weight per product (targets in ``avoid`` only if nothing else); ties ->
    smallest code."""
    ranked = frame.assign(_avoid=frame[target].isin(avoid))
    ranked = ranked.sort_values(
        ["product", "_avoid", "weight", target], ascending=[True, True, False, True]
    )
    first = ranked.groupby("product", sort=False).head(1).index
    out = frame.copy()
    out["primary"] = out.index.isin(first)
    return out.reset_index(drop=True)


def hs_to_isic(codes: str | Iterable[str], vintage: str = "HS22") -> pd.DataFrame:
    """ISIC Rev.4 division (= NACE Rev.2 division) of HS codes.

    Parameters
    ----------
    codes : HS4 or HS6 codes (a 4-digit code pools the links of its subheadings)
    vintage : HS vintage of the codes (validated; the WITS table is keyed on HS combined, so
        codes of every vintage 1992-2022 can be looked up; 79 HS 2022 subheadings have no
        ISIC class upstream and are warned about)

    Returns
    -------
    DataFrame product, isic4_division, weight, primary. weight = share of the product's
    ISIC Rev.4 class links in the division; primary = largest weight, never divisions 33
    (repair) or 38 (waste) when another exists (the table links goods to them via services).
    Codes without a link are left out with a :class:`DataQualityWarning`.
    """
    _check_vintage(vintage)
    links = _table("conc_hs_isic4")
    out = _link_weights(links, "isic4_division", _codes(codes), "ISIC Rev.4")
    return _mark_primary(out, "isic4_division", ISIC4_SERVICE_DIVISIONS)


def hs_to_bec(codes: str | Iterable[str], vintage: str = "HS22") -> pd.DataFrame:
    """BEC Rev.4 end-use class of HS codes of one vintage.

    Returns
    -------
    DataFrame product, bec_code (basic category, e.g. '41', '521', '7'), bec_class
    ('capital', 'intermediate', 'consumption', 'mixed' for 32/321/51 which the SNA basic
    classes leave unassigned, 'unclassified' for 7), parts_components (BEC 42 and 53:
    intermediate goods used in production sharing), weight, primary.
    """
    key = _check_vintage(vintage)
    table = _table("conc_hs_bec4")
    links = table[table["vintage"] == key]
    out = _link_weights(links, "bec_code", _codes(codes), f"{key} -> BEC")
    out["bec_class"] = out["bec_code"].map(BEC_CLASS).fillna("unclassified")
    out["parts_components"] = out["bec_code"].isin(BEC_PARTS)
    out = _mark_primary(out, "bec_code")
    return out[["product", "bec_code", "bec_class", "parts_components", "weight", "primary"]]


def hs_to_lall(codes: str | Iterable[str], vintage: str = "HS12") -> pd.DataFrame:
    """Lall (2000) technology class of HS codes (HS4 pools its subheadings).

    The lookup is keyed on HS 2012 codes. Codes of another vintage are first bridged to HS 2012
    (:func:`vintage_links`, equal split), so ``weight`` is then the bridged share.

    Returns
    -------
    DataFrame product, lall_code ('LDC01'..'LDC10', 'LDC99' unclassified), lall_class, weight,
    primary.
    """
    key = _check_vintage(vintage)
    lall = _table("conc_hs_lall")[["product", "lall_code", "lall_class"]]
    links = lall[["product", "lall_code"]]
    if key != "HS12":
        bridge = vintage_links(key, "HS12").merge(links, left_on="target", right_on="product")
        links = bridge[["source", "lall_code", "weight"]].rename(columns={"source": "product"})
    out = _link_weights(links, "lall_code", _codes(codes), f"{key} -> Lall")
    names = lall.drop_duplicates("lall_code").set_index("lall_code")["lall_class"]
    out["lall_class"] = out["lall_code"].map(names)
    out = _mark_primary(out, "lall_code")
    return out[["product", "lall_code", "lall_class", "weight", "primary"]]


def hs_to_wiod_sector(codes: str | Iterable[str]) -> pd.DataFrame:
    """WIOD 2013 sector of HS codes via HS -> ISIC Rev.3 (WITS, HS combined): the WIOD 2013
    industries are ISIC Rev.3 divisions or groups of them (:data:`WIOD13_SECTORS`).

    Returns DataFrame product, wiod_sector, weight, primary.
    """
    links = _table("conc_hs_isic3")
    links = links.assign(wiod_sector=links["isic3_division"].map(_ISIC3_TO_WIOD)).dropna(
        subset=["wiod_sector"]
    )
    out = _link_weights(links, "wiod_sector", _codes(codes), "ISIC Rev.3 / WIOD")
    return _mark_primary(out, "wiod_sector")


def isic_to_wiod_links(division: str) -> pd.DataFrame:
    """WIOD 2013 sectors linked to an ISIC Rev.4 / NACE Rev.2 division, with weights.

    Each ISIC Rev.4 class of the division has weight 1, split equally over its ISIC Rev.3
    classes in the UN correspondence (via *concordance*); each ISIC Rev.3 class belongs to one
    WIOD sector. ``weight`` is the sector's share; ``hs_links`` counts HS6 codes linked both to
    the division (HS -> ISIC4) and to the sector (HS -> ISIC3), used to break exact ties.

    Raises
    ------
    NotFoundError
        If the division is unknown or links to no WIOD sector.
    """
    key = str(division).strip().zfill(2)
    links = _table("conc_isic4_isic3")
    sub = links[links["isic4_division"] == key].copy()
    sub["wiod_sector"] = sub["isic3_division"].map(_ISIC3_TO_WIOD)
    sub = sub.dropna(subset=["wiod_sector"])
    if sub.empty:
        known = ", ".join(sorted(links["isic4_division"].unique()))
        raise NotFoundError(
            f"ISIC Rev.4 division {division!r} links to no WIOD sector; divisions: {known}"
        )
    sub["weight"] = 1.0 / sub.groupby("isic4_class")["isic3_class"].transform("size")
    out = sub.groupby("wiod_sector", as_index=False)["weight"].sum()
    out["weight"] = out["weight"] / out["weight"].sum()
    hs4 = _table("conc_hs_isic4")
    hs3 = _table("conc_hs_isic3")
    products = set(hs4.loc[hs4["isic4_division"] == key, "product"])
    both = hs3[hs3["product"].isin(products)].assign(
        wiod_sector=lambda f: f["isic3_division"].map(_ISIC3_TO_WIOD)
    )
    counts = both.drop_duplicates(["product", "wiod_sector"])["wiod_sector"].value_counts()
    out["hs_links"] = out["wiod_sector"].map(counts).fillna(0).astype(int)
    out["_order"] = out["wiod_sector"].map(_WIOD_ORDER)
    out["_w"] = out["weight"].round(12)
    out = out.sort_values(["_w", "hs_links", "_order"], ascending=[False, False, True])
    return out.drop(columns=["_order", "_w"]).reset_index(drop=True)


def isic_to_wiod_sector(division: str) -> str:
    """WIOD 2013 sector code (e.g. '27t28', '29', '34t35') of an ISIC Rev.4 / NACE Rev.2 division.

    The sector with the largest weight in :func:`isic_to_wiod_links` (ties: more HS6 codes
    linked to both, then WIOD order). ISIC4 24 (basic metals) -> '27t28', 28 (machinery
    n.e.c.) -> '29', 29 (motor vehicles) -> '34t35'.
    """
    return str(isic_to_wiod_links(division)["wiod_sector"].iloc[0])


def wiod_sector_name(code: str) -> str:
    """English name of a WIOD 2013 sector code ('27t28' -> 'Basic metals and fabricated metal')."""
    for c, name, _ in WIOD13_SECTORS:
        if c == code:
            return name
    raise NotFoundError(
        f"no WIOD 2013 sector {code!r}; sectors: {', '.join(c for c, _, _ in WIOD13_SECTORS)}"
    )


@cache
def vintage_links(from_vintage: str, to_vintage: str) -> pd.DataFrame:
    """HS6 links between two vintages: source, target, weight (equal split, chained).

    Each step between adjacent vintages splits a source code equally over the codes it is
    linked to (1/n each); steps are chained by multiplying weights and summing over the
    intermediate codes, then renormalised so the weights of every source code sum to 1 (the
    upstream tables are not fully consistent: e.g. 26 HS 2017 codes deleted in HS 2022 have no
    HS 2022 link; a code whose every path ends there has no link and is absent).
    """
    a, b = _check_vintage(from_vintage), _check_vintage(to_vintage)
    bridges = _table("conc_hs_bridges")
    i, j = VINTAGES.index(a), VINTAGES.index(b)
    step = 1 if j > i else -1
    links: pd.DataFrame | None = None
    for k in range(i, j, step):
        src, dst = VINTAGES[k], VINTAGES[k + step]
        newer, older = (dst, src) if step == 1 else (src, dst)
        pair = bridges[(bridges["newer_vintage"] == newer) & (bridges["older_vintage"] == older)]
        s_col, t_col = ("older_code", "newer_code") if step == 1 else ("newer_code", "older_code")
        edge = pair[[s_col, t_col]].drop_duplicates().set_axis(["source", "target"], axis=1)
        edge["weight"] = 1.0 / edge.groupby("source")["target"].transform("size")
        if links is None:
            links = edge
        else:
            chained = links.merge(edge, left_on="target", right_on="source", suffixes=("", "_2"))
            chained["weight"] = chained["weight"] * chained["weight_2"]
            links = chained.groupby(["source", "target_2"], as_index=False)["weight"].sum()
            links = links.rename(columns={"target_2": "target"})
            # an intermediate code without a link in the next step (26 HS17 codes deleted in
            # HS22 are missing from the upstream HS22-HS17 table) loses its share: renormalise
            links["weight"] = links["weight"] / links.groupby("source")["weight"].transform("sum")
    if links is None:  # same vintage: identity is handled by the caller
        return pd.DataFrame(columns=["source", "target", "weight"])
    return links.sort_values(["source", "target"], kind="mergesort").reset_index(drop=True)


def convert_hs(
    frame: pd.DataFrame,
    from_vintage: str,
    to_vintage: str,
    *,
    product_col: str = "product",
    value_cols: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Re-express HS6 values in another HS vintage (HS92 ... HS22, chained through neighbours).

    Split rule: **equal split** — a source code linked to n target codes gives each 1/n of its
    value (:func:`vintage_links`); values arriving at the same target are summed. Totals are
    conserved for every code that has a link. Rows whose value was split are estimates, so an
    ``estimated`` column (if present) becomes True for them; ``hs_vintage`` (if present) is set
    to ``to_vintage``.

    Parameters
    ----------
    frame : tidy frame with an HS6 product column, value columns and any key columns
    value_cols : columns to split (default: those of value_usd, value, quantity present)

    Returns
    -------
    DataFrame with the same columns, one row per key columns x target product.
    Codes with no link in the source vintage are dropped with a :class:`DataQualityWarning`.
    """
    a, b = _check_vintage(from_vintage), _check_vintage(to_vintage)
    if product_col not in frame.columns:
        raise DataValidationError(
            f"column {product_col!r} not found; columns: {list(frame.columns)}"
        )
    values = (
        list(value_cols)
        if value_cols is not None
        else [c for c in ("value_usd", "value", "quantity") if c in frame.columns]
    )
    if not values:
        raise DataValidationError(
            "no value column to convert (expected value_usd, value or quantity)"
        )
    codes = frame[product_col].astype(str)
    bad = codes[~codes.str.fullmatch(r"\d{6}")]
    if not bad.empty:
        raise DataValidationError(
            f"convert_hs needs HS6 codes; {len(bad)} rows are not 6 digits (first: {bad.iloc[0]!r}, "
            f"row {bad.index[0]})"
        )
    out = frame.copy()
    if a == b:
        return out
    links = vintage_links(a, b)
    unknown = ~codes.isin(set(links["source"]))
    if unknown.any():
        warnings.warn(
            f"{int(unknown.sum())} rows ({codes[unknown].nunique()} codes, first "
            f"{codes[unknown].iloc[0]}) have no {a} -> {b} link and are dropped",
            DataQualityWarning,
            stacklevel=2,
        )
    merged = out.loc[~unknown].merge(links, left_on=product_col, right_on="source", how="inner")
    for col in values:
        merged[col] = merged[col] * merged["weight"]
    if "estimated" in merged.columns:
        merged["estimated"] = merged["estimated"].astype(bool) | (merged["weight"] < 1.0)
    merged[product_col] = merged["target"]
    if "hs_vintage" in merged.columns:
        merged["hs_vintage"] = b
    merged = merged.drop(columns=["source", "target", "weight"])
    keys = [c for c in frame.columns if c not in values and c != "estimated"]
    agg = {c: "sum" for c in values}
    if "estimated" in merged.columns:
        agg["estimated"] = "any"
    result = merged.groupby(keys, as_index=False, dropna=False, sort=True).agg(agg)
    return result[list(frame.columns)]


def describe_product(code: str, vintage: str = "HS22") -> dict[str, Any]:
    """One HS code with its names, section and concordances (for ``products show`` and the API).

    Returns a dict: code, level, name_en, name_ru, ru_fallback, section, description_vintage,
    vintage and, for HS4/HS6, isic4_division (primary), isic4_divisions_all ('28 (27%); ...'),
    bec_class, bec_code, bec_codes_all, lall_class, lall_code (None where no link exists).
    """
    from tradecoop.data.nomenclature.hs import hs_section, product_info

    info = product_info(code)
    key = str(info["code"])
    result: dict[str, Any] = {
        "code": key,
        "level": info["level"],
        "name_en": info["name_en"],
        "name_ru": info["name_ru"],
        "ru_fallback": info["ru_fallback"],
        "section": (hs_section(key) if info["section"] else None) if info["level"] else key,
        "description_vintage": info["vintage"],
        "vintage": vintage,
    }
    if info["level"] in (4, 6):
        with warnings.catch_warnings():  # a missing link is reported as null below
            warnings.simplefilter("ignore")
            isic = hs_to_isic([key], vintage)
            bec = hs_to_bec([key], vintage)
            lall = hs_to_lall([key], vintage)
        result["isic4_division"] = _primary(isic, "isic4_division")
        result["isic4_divisions_all"] = _shares(isic, "isic4_division")
        result["bec_class"] = _primary(bec, "bec_class")
        result["bec_code"] = _primary(bec, "bec_code")
        result["bec_codes_all"] = _shares(bec, "bec_code")
        result["lall_class"] = _primary(lall, "lall_class")
        result["lall_code"] = _primary(lall, "lall_code")
    return result


def _primary(frame: Any, col: str) -> Any:
    hit = frame.loc[frame["primary"], col] if not frame.empty else []
    return hit.iloc[0] if len(hit) else None


def _shares(frame: Any, col: str) -> str | None:
    if frame.empty:
        return None
    return "; ".join(f"{v} ({w:.0%})" for v, w in zip(frame[col], frame["weight"], strict=True))
