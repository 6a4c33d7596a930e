"""The raw value behind each criterion of an opportunity, in plain words, English and Russian.

The engine gives each criterion's raw value in natural units (``raw_value``, ``raw_unit``;
:mod:`tradecoop.opportunities.explain`); the brief prints it beside the criterion's bar:
"share of world exports held by Belarus: 20 %, 4.6x its average share". ``{src}`` is the supplying
(or capability-holding) side, ``{dst}`` the buying (or hosting) side.
"""

from __future__ import annotations

from tradecoop.reports import i18n

#: criterion -> (English, Russian) description of its raw value
RAW_LABELS: dict[str, tuple[str, str]] = {
    "exporter_rca": ("share of world exports held by {src}", "доля стороны «{src}» в мировом экспорте"),
    "exporter_market_share": ("share of world exports held by {src}", "доля стороны «{src}» в мировом экспорте"),
    "importer_demand": ("imports of {dst} from the world", "импорт стороны «{dst}» из всех стран"),
    "importer_third_country_share": ("share of the imports of {dst} from others than {src}",
                                     "доля импорта стороны «{dst}» не из «{src}»"),
    "distance": ("distance from the capabilities of {dst} (0 = all related products exported)",
                 "удалённость от компетенций стороны «{dst}» (0 — все близкие товары экспортируются)"),
    "pair_distance": ("distance from the pair's pooled capabilities",
                      "удалённость от совокупных компетенций пары"),
    "pci": ("product complexity (PCI, world mean 0)", "сложность товара (PCI, среднее по миру 0)"),
    "cog": ("complexity outlook gain for {dst}", "прирост перспектив сложности для стороны «{dst}»"),
    "pair_cog": ("complexity outlook gain for the pair", "прирост перспектив сложности для пары"),
    "feasibility": ("probability that {dst} becomes competitive", "вероятность, что «{dst}» станет конкурентоспособной"),
    "pair_feasibility": ("probability that the better-placed side becomes competitive",
                         "вероятность конкурентоспособности лучше подготовленной стороны"),
    "io_linkage": ("imported-input demand of the industries of {dst}", "импортный спрос отраслей стороны «{dst}» на ресурс"),
    "intermediate_good": ("intermediate good (1 = yes)", "промежуточный товар (1 — да)"),
    "intra_industry_trade": ("Grubel-Lloyd index of two-way trade (0-1)", "индекс Грубела–Ллойда встречной торговли (0–1)"),
    "two_way_value": ("two-way trade between {src} and {dst}", "встречная торговля «{src}» и «{dst}»"),
    "world_demand": ("world exports of the product", "мировой экспорт товара"),
}


def format_raw(value: float | None, unit: str, lang: str) -> str:
    """A raw value in its unit: shares and probabilities as percentages, money as money."""
    if value is None:
        return i18n.t("value.na", lang)
    if unit in ("share", "probability"):
        return i18n.format_share(value, lang)
    if unit == "usd":
        return i18n.format_money(value, lang)
    if unit == "flag":
        return i18n.t("value.yes" if value >= 0.5 else "value.no", lang)
    return i18n.format_number(value, lang, 2)


def raw_text(criterion: str, value: float | None, unit: str, lang: str, src: str, dst: str,
             rca: float | None = None) -> str:
    """'share of world exports held by Belarus: 20.1 %, 4.6x its average share' ('' if unknown)."""
    if criterion not in RAW_LABELS or value is None:
        return ""
    label = RAW_LABELS[criterion][1 if lang == "ru" else 0].format(src=src, dst=dst)
    text = f"{label}: {format_raw(value, unit, lang)}"
    if rca is not None and criterion == "exporter_rca":
        times = i18n.format_number(rca, lang, 1)
        text += f", в {times} раза выше средней доли" if lang == "ru" else f", {times}x its average share"
    return text


def side_names(src: str, dst: str, supplier: str, buyer: str, proxy: str | None, lang: str) -> tuple[str, str]:
    """The names to print for the two sides of a raw value. When the value is a country's standing
    in for a region (``proxy`` = the country's code), the region's side is named as the country,
    labelled "country level": never the country's number under the region's name."""
    if not proxy:
        return src, dst
    from tradecoop.data.nomenclature.locations import location_name

    label = i18n.t("region.proxy", lang, country=location_name(proxy, lang))
    return (label if "-" in supplier else src), (label if "-" in buyer else dst)
