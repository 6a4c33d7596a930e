"""The built-in criteria, registered through the public extension point.

Each function takes an oriented :class:`~tradecoop.opportunities.context.PairView` (``src`` ->
``dst``) and the positions ``idx`` of the candidate products, and returns one raw value per
candidate (NaN = unknown). Heavy-tailed USD amounts enter in logs (``log1p``), shares as shares.
"""

from __future__ import annotations

import numpy as np

from tradecoop.opportunities.context import PairView
from tradecoop.opportunities.criteria import register_criterion

_RCA_FLOOR = 1e-3  # log RCA is floored here so that zero exports do not give -inf


def _log_rca(rca: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(rca, _RCA_FLOOR))


@register_criterion(
    "exporter_rca", direction=+1,
    description_en="Supplier's revealed comparative advantage in the product (log RCA, Balassa)",
    description_ru="Выявленное сравнительное преимущество поставщика в товаре (log RCA, Балашша)",
)
def exporter_rca(v: PairView, idx: np.ndarray) -> np.ndarray:
    return _log_rca(v.src.rca[idx])


@register_criterion(
    "exporter_market_share", direction=+1,
    description_en="Supplier's share of world exports of the product",
    description_ru="Доля поставщика в мировом экспорте товара",
)
def exporter_market_share(v: PairView, idx: np.ndarray) -> np.ndarray:
    world = v.pair.world_exports[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(world > 0, v.src.exports[idx] / world, np.nan)


@register_criterion(
    "importer_demand", direction=+1,
    description_en="Buyer's imports of the product from the world (log USD)",
    description_ru="Импорт товара покупателем из всего мира (log долл. США)",
)
def importer_demand(v: PairView, idx: np.ndarray) -> np.ndarray:
    return np.log1p(np.maximum(v.dst.imports[idx], 0.0))


@register_criterion(
    "importer_third_country_share", direction=+1,
    description_en="Share of the buyer's imports of the product that come from third countries (room to substitute)",
    description_ru="Доля импорта товара покупателем из третьих стран (потенциал замещения)",
)
def importer_third_country_share(v: PairView, idx: np.ndarray) -> np.ndarray:
    imports = v.dst.imports[idx]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = 1.0 - v.flow[idx] / imports
    return np.where(imports > 0, np.clip(share, 0.0, 1.0), np.nan)


@register_criterion(
    "distance", direction=-1,
    description_en="Distance of the host's (or the pair's pooled) capabilities from the product (1 - density); nearer is better",
    description_ru="Удалённость возможностей принимающей стороны (или пары) от товара (1 - плотность); ближе — лучше",
)
def distance(v: PairView, idx: np.ndarray) -> np.ndarray:
    return v.dst.distance[idx]


@register_criterion(
    "pair_distance", direction=-1,
    description_en="Distance of the pair's pooled capabilities max(M_A, M_B) from the product; nearer is better",
    description_ru="Удалённость объединённых возможностей пары max(M_A, M_B) от товара; ближе — лучше",
)
def pair_distance(v: PairView, idx: np.ndarray) -> np.ndarray:
    return v.pair.pair_distance[idx]


@register_criterion(
    "pci", direction=+1,
    description_en="Product complexity index (PCI)",
    description_ru="Индекс сложности товара (PCI)",
)
def pci(v: PairView, idx: np.ndarray) -> np.ndarray:
    return v.pair.pci[idx]


@register_criterion(
    "cog", direction=+1,
    description_en="Complexity outlook gain for the host: new paths opened by entering the product",
    description_ru="Прирост перспектив сложности для принимающей стороны: новые возможности после освоения товара",
)
def cog(v: PairView, idx: np.ndarray) -> np.ndarray:
    return v.dst.cog[idx]


@register_criterion(
    "pair_cog", direction=+1,
    description_en="Complexity outlook gain for the pair's pooled capabilities",
    description_ru="Прирост перспектив сложности для объединённых возможностей пары",
)
def pair_cog(v: PairView, idx: np.ndarray) -> np.ndarray:
    return v.pair.pair_cog[idx]


@register_criterion(
    "feasibility", direction=+1,
    description_en="Engine's feasibility score: how likely the host is to become competitive in the product",
    description_ru="Оценка реализуемости: вероятность, что принимающая сторона станет конкурентоспособной в товаре",
)
def feasibility(v: PairView, idx: np.ndarray) -> np.ndarray:
    return v.dst.feasibility[idx]


@register_criterion(
    "pair_feasibility", direction=+1,
    description_en="Feasibility for the better-placed side of the pair (max of the two scores)",
    description_ru="Реализуемость для лучше подготовленной стороны пары (максимум двух оценок)",
)
def pair_feasibility(v: PairView, idx: np.ndarray) -> np.ndarray:
    return np.fmax(v.src.feasibility[idx], v.dst.feasibility[idx])


@register_criterion(
    "io_linkage", direction=+1,
    description_en="Buyer's industries' intermediate demand for the product as an input (input-output, log USD)",
    description_ru="Промежуточный спрос отраслей покупателя на товар как ресурс (межотраслевой баланс, log долл. США)",
)
def io_linkage(v: PairView, idx: np.ndarray) -> np.ndarray:
    return np.log1p(np.maximum(v.dst.io_demand[idx], 0.0))


@register_criterion(
    "intermediate_good", direction=+1,
    description_en="Intermediate good (BEC parts, components, processed supplies) = 1, else 0",
    description_ru="Промежуточный товар (BEC: части, комплектующие, полуфабрикаты) = 1, иначе 0",
)
def intermediate_good(v: PairView, idx: np.ndarray) -> np.ndarray:
    return v.pair.intermediate[idx].astype(np.float64)


@register_criterion(
    "intra_industry_trade", direction=+1,
    description_en="Grubel-Lloyd index of the pair's two-way trade in the product",
    description_ru="Индекс Грубеля-Ллойда внутриотраслевой торговли пары товаром",
)
def intra_industry_trade(v: PairView, idx: np.ndarray) -> np.ndarray:
    x, m = v.flow[idx], v.reverse_flow[idx]
    total = x + m
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, 1.0 - np.abs(x - m) / total, np.nan)


@register_criterion(
    "two_way_value", direction=+1,
    description_en="Value of the pair's two-way trade in the product (log USD)",
    description_ru="Объём двусторонней торговли пары товаром (log долл. США)",
)
def two_way_value(v: PairView, idx: np.ndarray) -> np.ndarray:
    return np.log1p(v.flow[idx] + v.reverse_flow[idx])


@register_criterion(
    "world_demand", direction=+1,
    description_en="World exports of the product (log USD): the size of the market to enter",
    description_ru="Мировой экспорт товара (log долл. США): размер рынка",
)
def world_demand(v: PairView, idx: np.ndarray) -> np.ndarray:
    return np.log1p(v.pair.world_exports[idx])
