"""Value-chain demand from the OECD ICIO 2022 extract: imported inputs of the buyer's industries.

For a buyer j, input sector r and using sector s (USD million in the table)::

    a^M_rs = sum_{o != j} Z_{o r -> j s} / x_js        imported input coefficient
    D_jr   = sum_s a^M_rs x_js                          imported-input demand for r (USD)

(Miller & Blair 2009, *Input-Output Analysis*, 2nd ed., Cambridge UP, ch. 2-3: the import
coefficients of a national table with imports shown separately). Domestic coefficients would
measure the demand that domestic suppliers serve, which a foreign supplier cannot win; this is
the demand that is already imported. D_jr is allocated to the HS products of sector r by their
shares of world exports of the sector, and the value chain's stake caps it at the buyer's imports
of the product from third countries (:mod:`tradecoop.opportunities.types`).

HS -> ICIO sector: the bundled HS -> ISIC Rev.3 class links (``conc_hs_isic3``), pooled over the
HS6 subheadings of a heading; the sector with the most links is the product's sector. Rev.3 is
used rather than the bundled Rev.4 links because the latter tie many headings across unrelated
classes (every 8708 subheading links to textiles 1392, machinery 2811 and vehicles 2930 alike).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

ICIO_INPUTS = "icio2022_inputs"
ICIO_OUTPUT = "icio2022_gross_output"
ICIO_YEAR = 2022
USD_PER_MN = 1e6

#: ISIC Rev.3 division (2 digits) -> OECD ICIO 2025 sector (ISIC Rev.4 based); classes refine below
_DIVISION_TO_ICIO: dict[str, str] = {
    "01": "A01", "02": "A02", "05": "A03", "10": "B05", "11": "B06", "12": "B07", "13": "B07", "14": "B08",
    "15": "C10T12", "16": "C10T12", "17": "C13T15", "18": "C13T15", "19": "C13T15", "20": "C16",
    "21": "C17_18", "22": "C17_18", "23": "C19", "24": "C20", "25": "C22", "26": "C23", "28": "C25",
    "29": "C28", "30": "C26", "31": "C27", "32": "C26", "33": "C26", "34": "C29", "35": "C302T309",
    "36": "C31T33", "37": "E", "40": "D", "41": "E", "92": "R",
}


def isic3_class_to_icio(isic_class: str) -> str | None:
    """ICIO sector of an ISIC Rev.3 class (``'2710'`` -> ``'C24A'``); None when it has none.

    Rev.3 -> Rev.4 at the level ICIO needs: basic metals 27 split into iron and steel (271, 2731 ->
    C24A) and non-ferrous (272, 2732 -> C24B); pharmaceuticals 2423 -> C21; publishing 221 ->
    J58T60; ships 351 -> C301; motor vehicles 34 -> C29; machinery 29 -> C28; office, radio and
    instruments 30, 32, 33 -> C26; electrical 31 -> C27.
    """
    c = str(isic_class).zfill(4)
    if c.startswith("27"):
        return "C24B" if c.startswith("272") or c == "2732" else "C24A"
    if c == "2423":
        return "C21"
    if c.startswith("221"):
        return "J58T60"
    if c.startswith("351"):
        return "C301"
    return _DIVISION_TO_ICIO.get(c[:2])


def hs_to_icio_sector(products: Sequence[str]) -> pd.Series:
    """ICIO sector of each HS4/HS6 code (index = product; '' where no ISIC link exists).

    Through the bundled HS -> ISIC Rev.3 class links (``conc_hs_isic3``, WITS), pooled over the
    subheadings of a heading; the sector with the most links wins (ties: alphabetical).
    """
    from tradecoop.data.bundled import DATASETS_DIR

    links = pd.read_parquet(DATASETS_DIR / "conc_hs_isic3.parquet", columns=["product", "isic3_class"])
    links["sector"] = links["isic3_class"].astype(str).map(isic3_class_to_icio)
    links = links.dropna(subset=["sector"])
    out = {}
    for d in {len(str(p)) for p in products}:
        cut = links.assign(product=links["product"].astype(str).str[:d])
        counts = cut.groupby(["product", "sector"]).size().rename("n").reset_index()
        counts = counts.sort_values(["product", "n", "sector"], ascending=[True, False, True], kind="mergesort")
        out.update(counts.drop_duplicates("product").set_index("product")["sector"].to_dict())
    return pd.Series([out.get(str(p), "") for p in products], index=[str(p) for p in products], dtype=object)


def imported_input_demand(inputs: pd.DataFrame, gross_output: pd.DataFrame, buyer: str) -> pd.Series:
    """USD of the buyer's imported-input demand by input sector, sum_s a^M_rs x_s.

    ``inputs``: ``location, output_sector, input_country, input_sector, value_usd_mn``;
    ``gross_output``: ``location, sector, gross_output_usd_mn``. Using sectors without output
    are left out (their coefficients are undefined).

    Examples
    --------
    Buyer B with sectors S1, S2; supplier A. Imported inputs: A.S1 -> B.S2 30, A.S1 -> B.S1 5;
    domestic B.S1 -> B.S2 50 (not counted). Output B.S1 100, B.S2 200: a^M = 5/100, 30/200, so
    D_S1 = 0.05 x 100 + 0.15 x 200 = 35 (USD mn) = 35e6 USD.

    >>> z = pd.DataFrame({"location": ["B", "B", "B"], "output_sector": ["S2", "S1", "S2"],
    ...     "input_country": ["A", "A", "B"], "input_sector": ["S1", "S1", "S1"], "value_usd_mn": [30., 5., 50.]})
    >>> x = pd.DataFrame({"location": ["B", "B"], "sector": ["S1", "S2"], "gross_output_usd_mn": [100., 200.]})
    >>> imported_input_demand(z, x, "B").to_dict()
    {'S1': 35000000.0}
    """
    sub = inputs[(inputs["location"] == buyer) & (inputs["input_country"] != buyer)]
    if sub.empty:
        return pd.Series(dtype=np.float64)
    zm = sub.pivot_table(index="input_sector", columns="output_sector", values="value_usd_mn",
                         aggfunc="sum", fill_value=0.0)
    x = gross_output[gross_output["location"] == buyer].set_index("sector")["gross_output_usd_mn"]
    x = x.reindex(zm.columns).fillna(0.0)
    ok = (x > 0).to_numpy()
    coefficients = zm.loc[:, ok].to_numpy() / x[ok].to_numpy()[None, :]  # a^M_rs
    demand = coefficients @ x[ok].to_numpy()
    return pd.Series(demand * USD_PER_MN, index=zm.index)


def observed_sector_flows(inputs: pd.DataFrame, src: str, dst: str) -> pd.DataFrame:
    """Observed intermediate sales of ``src`` to ``dst``'s industries: ``input_sector, output_sector, usd``."""
    sub = inputs[(inputs["location"] == dst) & (inputs["input_country"] == src)]
    out = sub.groupby(["input_sector", "output_sector"], as_index=False)["value_usd_mn"].sum()
    return out.assign(usd=out["value_usd_mn"] * USD_PER_MN).drop(columns="value_usd_mn")


def covered(inputs: pd.DataFrame) -> set[str]:
    """Buyers whose inputs the extract holds (BLR and RUS)."""
    return set(inputs["location"].astype(str))
