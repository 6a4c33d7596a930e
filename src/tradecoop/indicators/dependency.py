"""Import dependency of one side on the other, and the pool of substitute suppliers.

    dependency of j on i in k:  d_ijk = m_jk(from i) / m_jk(from all)

Substitute supplier pool for k (docs/methods.md section 1): the HHI of j's *other* suppliers of k
(concentrated = few alternatives) and the number and world exports of countries other than i with
RCA >= 1 in k (Balassa 1965, doi:10.1111/j.1467-9957.1965.tb00050.x).

Reference: WITS / ITC Trade Map "share in partner's imports".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tradecoop.errors import DataValidationError
from tradecoop.indicators.concentration import hhi


def dependency_share(imports_from_partner: pd.Series, imports_total: pd.Series) -> pd.Series:
    """The partner's share in imports of each product ``m_jk(i) / m_jk``.

    NaN where total imports are 0. Raises if the partner supplies more than the total (the two
    inputs then do not come from one consistent table).

    >>> dependency_share(pd.Series({"a": 30.0}), pd.Series({"a": 120.0, "b": 0.0})).tolist()
    [0.25, nan]
    """
    part, total = imports_from_partner.astype(float).align(imports_total.astype(float), fill_value=0.0)
    part, total = part.fillna(0.0), total.fillna(0.0)
    over = part > total * (1 + 1e-9) + 1e-9
    if over.any():
        k = over.idxmax()
        raise DataValidationError(
            f"imports from the partner exceed total imports for {int(over.sum())} products "
            f"(first: product={k}, partner={part[k]:.6g}, total={total[k]:.6g}); use one table"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        return (part / total.where(total > 0)).rename("dependency")


def substitute_suppliers(
    imports_by_supplier: pd.DataFrame, world_rca: pd.DataFrame, partner: str
) -> pd.DataFrame:
    """Substitute supplier pool for every product an importer buys from ``partner``.

    Parameters
    ----------
    imports_by_supplier : one importer's imports; columns ``supplier, product, value_usd``
    world_rca : columns ``location, product, rca, value_usd`` (world exports and Balassa RCA)
    partner : the supplier whose substitutes are sought

    Returns
    -------
    frame ``product, other_suppliers_hhi, n_competitive_exporters, competitive_exports_usd``.
    ``other_suppliers_hhi`` is NaN when the importer has no other supplier of k.

    Examples
    --------
    Other suppliers of "a" with 30 and 10: shares 0.75, 0.25 -> HHI = 0.5625 + 0.0625 = 0.625.
    """
    need = {"supplier", "product", "value_usd"}
    if missing := need - set(imports_by_supplier.columns):
        raise DataValidationError(f"imports_by_supplier: missing columns {sorted(missing)}")
    products = imports_by_supplier.loc[imports_by_supplier["supplier"] == partner, "product"].unique()
    others = imports_by_supplier[
        (imports_by_supplier["supplier"] != partner) & imports_by_supplier["product"].isin(products)
    ]
    conc = others.groupby("product")["value_usd"].agg(hhi).rename("other_suppliers_hhi")
    comp = world_rca[(world_rca["location"] != partner) & (world_rca["rca"] >= 1.0)
                     & world_rca["product"].isin(products)]
    pool = comp.groupby("product").agg(
        n_competitive_exporters=("location", "nunique"), competitive_exports_usd=("value_usd", "sum"))
    out = pd.DataFrame(index=pd.Index(products, name="product")).join(conc).join(pool)
    out["n_competitive_exporters"] = out["n_competitive_exporters"].fillna(0).astype(int)
    out["competitive_exports_usd"] = out["competitive_exports_usd"].fillna(0.0)
    return out.reset_index()
