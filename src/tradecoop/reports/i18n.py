"""English and Russian labels of the briefing pack, and number/date formatting per language.

Every label and heading the template or the charts print comes from :data:`CATALOGUES`
(``t(key, lang, **fields)``); a test fails if a key is missing in either language. Names of
places and products are not here: they come from the model (``Pair``, ``name_en``/``name_ru``).

Number formatting follows each language's typography: English ``1,234.5`` and ``USD 1.23 bn``;
Russian ``1 234,5`` (non-breaking space between thousands, comma decimals) and
``1,23 млрд долл. США``. The minus sign is U+2212 in both.
"""

from __future__ import annotations

import difflib
import math
from datetime import datetime

from tradecoop.errors import DataValidationError, NotFoundError
from tradecoop.reports.i18n_summary import SUMMARY_LABELS

NBSP = "\u00a0"
MINUS = "\u2212"

# key -> (English, Russian). One line per key keeps both languages in step; placeholders in
# braces are filled by ``t``: {a}/{b} are the pair's names in the brief's language.
_LABELS: dict[str, tuple[str, str]] = {
    # --- document -------------------------------------------------------------------------
    "doc.title": ("Briefing: {a} – {b}", "Справка: {a} – {b}"),
    "doc.subtitle": ("Bilateral trade and cooperation opportunities, reference year {year}",
                     "Двусторонняя торговля и возможности сотрудничества, базовый год {year}"),
    "doc.generated": ("Prepared {date}", "Подготовлено {date}"),
    "doc.contains_estimates": (
        "Figures marked ESTIMATED rest on estimated, not observed, data.",
        "Показатели с пометкой ОЦЕНКА основаны на оценочных, а не наблюдаемых данных."),
    "doc.all_observed": ("All figures rest on observed data.",
                         "Все показатели основаны на наблюдаемых данных."),
    "doc.merchandise_only": (
        "Merchandise trade only: services and investment are not in these data.",
        "Только товарная торговля: услуги и инвестиции в этих данных не отражены."),
    "doc.contents": ("Contents", "Содержание"),
    "doc.notes": ("Notes", "Примечания"),
    "doc.footer_sources": ("Sources", "Источники"),
    "doc.page": ("page", "стр."),
    "badge.estimated": ("ESTIMATED", "ОЦЕНКА"),
    "badge.estimated_title": ("This figure rests on estimated data",
                              "Показатель основан на оценочных данных"),
    "value.na": ("n/a", "н/д"),
    "value.yes": ("yes", "да"),
    "value.no": ("no", "нет"),
    "not_available": ("Not available: {reason}", "Нет данных: {reason}"),
    "source": ("Source: {source}", "Источник: {source}"),
    "source_year": ("Source: {source}, {year}", "Источник: {source}, {year}"),
    "date.format": ("{day} {month} {year}", "{day} {month} {year} г."),
    # --- units ----------------------------------------------------------------------------
    "unit.usd_amount": ("USD {number} {scale}", "{number} {scale} долл. США"),
    "unit.usd": ("USD", "долл. США"),
    "unit.usd_scaled": ("USD {scale}", "{scale} долл. США"),
    "unit.percent": ("%", "%"),
    "unit.index": ("index", "индекс"),
    "scale.thousand": ("thousand", "тыс."),
    "scale.million": ("mn", "млн"),
    "scale.billion": ("bn", "млрд"),
    # --- sections -------------------------------------------------------------------------
    "section.headline": ("Headline numbers", "Основные показатели"),
    "section.turnover": ("Turnover and balance over time", "Товарооборот и сальдо в динамике"),
    "section.structure": ("Structure of trade each way", "Структура взаимной торговли"),
    "section.complementarity": ("Complementarity, similarity and intra-industry trade",
                                "Взаимодополняемость, сходство и внутриотраслевая торговля"),
    "section.dependencies": ("Dependencies", "Зависимости"),
    "section.opportunities": ("Cooperation opportunities", "Возможности сотрудничества"),
    "section.potential": ("Trade potential (gravity model)",
                          "Потенциал торговли (гравитационная модель)"),
    "section.agreements": ("Treaties and agreements in force",
                           "Действующие договоры и соглашения"),
    "section.provenance": ("Data provenance", "Происхождение данных"),
    "intro.headline": ("Trade between the pair in the reference year.",
                       "Взаимная торговля в базовом году."),
    "intro.turnover": (
        "Exports each way, turnover (their sum) and the balance of {a} (exports minus imports). "
        "Shaded years have no report: they are missing, not zero.",
        "Экспорт в каждом направлении, товарооборот (их сумма) и сальдо (сторона {a}: экспорт "
        "минус импорт). Затенённые годы без отчётности: это пропуск данных, а не ноль."),
    "intro.structure": ("What each side sells to the other, by product group (shares of the total).",
                        "Что каждая сторона продаёт другой, по товарным группам (доли в итоге)."),
    "intro.complementarity": (
        "Complementarity: how well one side's exports match the other's imports (0–100). "
        "Similarity: how alike the two export baskets are (high means competitors). "
        "Intra-industry trade: two-way trade in the same products.",
        "Взаимодополняемость: насколько экспорт одной стороны соответствует импорту другой "
        "(0–100). Сходство: насколько похожи экспортные корзины (высокое значение означает "
        "конкурентов). Внутриотраслевая торговля: встречная торговля одними и теми же товарами."),
    "intro.dependencies": (
        "Products where one side relies on the other for a large share of its imports, and how "
        "many other suppliers could replace it.",
        "Товары, по которым одна сторона получает от другой большую долю импорта, и сколько "
        "других поставщиков могли бы её заменить."),
    "intro.opportunities": (
        "Ranked candidates of each type. Each score is the sum of weighted criteria, each criterion "
        "standardised among the candidates of its type (0 = an average candidate; scores compare "
        "only within a type). The chart under each candidate shows what raised it (right) and "
        "what lowered it (left); the table beside it gives each criterion's raw value.",
        "Ранжированные кандидаты каждого типа. Балл — сумма взвешенных критериев, каждый из "
        "которых стандартизован среди кандидатов своего типа (0 — средний кандидат; баллы "
        "сравнимы только внутри типа). Диаграмма под каждым кандидатом показывает, что его "
        "повышает (вправо) и что понижает (влево); таблица — исходные значения критериев."),
    "intro.potential": (
        "Trade predicted by a structural gravity model (PPML with fixed effects) against actual "
        "trade; the bar shows the predicted range.",
        "Торговля, предсказанная структурной гравитационной моделью (PPML с фиксированными "
        "эффектами), в сравнении с фактической; полоса показывает диапазон прогноза."),
    "intro.agreements": ("Agreements in force between the pair.",
                         "Соглашения, действующие между сторонами."),
    "intro.provenance": (
        "Every dataset this brief rests on, with its source, years and licence. Estimates are "
        "named as estimates.",
        "Все наборы данных, на которых основана справка, с источником, годами и лицензией. "
        "Оценки обозначены как оценки."),
    # --- figures (headline and indices) ---------------------------------------------------
    "figure.turnover": ("Turnover {a} – {b}", "Товарооборот {a} – {b}"),
    "figure.exports_ab": ("Exports {a} → {b}", "Экспорт {a} → {b}"),
    "figure.exports_ba": ("Exports {b} → {a}", "Экспорт {b} → {a}"),
    "figure.balance": ("Trade balance of {a}", "Сальдо торговли ({a})"),
    "figure.coverage": ("Export/import coverage of {a}", "Покрытие импорта экспортом ({a})"),
    "figure.turnover_growth": ("Turnover growth per year in current USD (CAGR)",
                               "Среднегодовой прирост товарооборота в текущих долларах"),
    "figure.share_in_a_trade": ("Share of {b} in the trade of {a}", "{a}: доля партнёра ({b}) во внешней торговле"),
    "figure.share_in_b_trade": ("Share of {a} in the trade of {b}", "{b}: доля партнёра ({a}) во внешней торговле"),
    "figure.trade_complementarity_ab": ("Complementarity: exports of {a}, imports of {b}",
                                        "Взаимодополняемость: экспорт — {a}, импорт — {b}"),
    "figure.trade_complementarity_ba": ("Complementarity: exports of {b}, imports of {a}",
                                        "Взаимодополняемость: экспорт — {b}, импорт — {a}"),
    "figure.export_similarity": ("Export similarity (Finger–Kreinin)",
                                 "Сходство экспорта (Фингер–Крейнин)"),
    "figure.grubel_lloyd": ("Intra-industry trade (Grubel–Lloyd)",
                            "Внутриотраслевая торговля (Грубел–Ллойд)"),
    "figure.trade_intensity_ab": ("Trade intensity {a} → {b}", "Интенсивность торговли {a} → {b}"),
    "figure.trade_intensity_ba": ("Trade intensity {b} → {a}", "Интенсивность торговли {b} → {a}"),
    "figure.hhi_ab": ("Concentration of exports {a} → {b} (HHI)",
                      "Концентрация экспорта {a} → {b} (HHI)"),
    "figure.hhi_ba": ("Concentration of exports {b} → {a} (HHI)",
                      "Концентрация экспорта {b} → {a} (HHI)"),
    "figure.eci_a": ("Economic complexity index of {a}", "Индекс экономической сложности: {a}"),
    "figure.eci_b": ("Economic complexity index of {b}", "Индекс экономической сложности: {b}"),
    # --- table columns --------------------------------------------------------------------
    "col.indicator": ("Indicator", "Показатель"),
    "col.value": ("Value", "Значение"),
    "col.year": ("Year", "Год"),
    "col.code": ("Code", "Код"),
    "col.product": ("Product", "Товар"),
    "col.group": ("Product group", "Товарная группа"),
    "col.share": ("Share", "Доля"),
    "col.importer": ("Importer", "Импортёр"),
    "col.supplier": ("Supplier", "Поставщик"),
    "col.supplier_share": ("Supplier's share of imports", "Доля поставщика в импорте"),
    "col.imports": ("Imports", "Импорт"),
    "col.other_suppliers_hhi": ("Concentration of other suppliers (HHI)",
                                "Концентрация прочих поставщиков (HHI)"),
    "col.alternative_suppliers": ("Alternative suppliers (RCA ≥ 1)",
                                  "Альтернативные поставщики (RCA ≥ 1)"),
    "col.agreement": ("Agreement", "Соглашение"),
    "col.type": ("Type", "Тип"),
    "col.parties": ("Parties", "Стороны"),
    "col.signed": ("Signed", "Подписано"),
    "col.in_force": ("In force since", "Действует с"),
    "col.rank": ("Rank", "Место"),
    "col.score": ("Score", "Балл"),
    "col.value_at_stake": ("Value at stake", "Стоимостной объём"),
    "col.value_method": ("Method", "Метод"),
    "col.partners": ("Possible partners", "Возможные партнёры"),
    "col.dataset": ("Dataset", "Набор данных"),
    "col.source": ("Source", "Источник"),
    "col.years": ("Years", "Годы"),
    "col.licence": ("Licence", "Лицензия"),
    "col.status": ("Status", "Статус"),
    "col.note": ("Note", "Примечание"),
    "col.direction": ("Direction", "Направление"),
    "col.actual": ("Actual", "Фактически"),
    "col.predicted": ("Predicted", "Прогноз модели"),
    "col.range": ("Range", "Диапазон"),
    "status.observed": ("observed", "наблюдаемые"),
    "status.estimated": ("estimated", "оценка"),
    # --- structure ------------------------------------------------------------------------
    "direction.ab": ("{a} → {b}", "{a} → {b}"),
    "direction.ba": ("{b} → {a}", "{b} → {a}"),
    "level.hs_section": ("by HS section", "по разделам ТН ВЭД"),
    "level.lall": ("by technology class (Lall)", "по технологическому уровню (Лалл)"),
    "level.bec": ("by end use (BEC)", "по конечному использованию (ШЭК)"),
    "structure.title": ("Exports {direction}, {level}, {year}",
                        "Экспорт {direction}, {level}, {year}"),
    # --- opportunities --------------------------------------------------------------------
    "opptype.supply_ab": ("Supply {a} → {b}", "Поставки {a} → {b}"),
    "opptype.supply_ba": ("Supply {b} → {a}", "Поставки {b} → {a}"),
    "opptype.localisation_jv": ("Localisation joint venture", "Совместное предприятие по локализации"),
    "opptype.value_chain": ("Value-chain link", "Звено производственной цепочки"),
    "opptype.joint_entry": ("Joint entry into complex products",
                            "Совместный выход на рынки сложной продукции"),
    "opptype.co_production": ("Co-production", "Производственная кооперация"),
    "oppdesc.supply_ab": (
        "{a} is competitive in the product and {b} buys it from others.",
        "Производитель — {a} (конкурентоспособен по товару), покупатель — {b} (закупает его "
        "у других поставщиков)."),
    "oppdesc.supply_ba": (
        "{b} is competitive in the product and {a} buys it from others.",
        "Производитель — {b} (конкурентоспособен по товару), покупатель — {a} (закупает его "
        "у других поставщиков)."),
    "oppdesc.localisation_jv": (
        "One side imports the product heavily, the other makes it competitively, and the "
        "importer has related capabilities nearby: a candidate for local assembly.",
        "Одна сторона много импортирует товар, другая производит его конкурентоспособно, а у "
        "импортёра есть близкие компетенции: кандидат на локализацию производства."),
    "oppdesc.value_chain": (
        "One side is strong in an input of a product the other makes (input-output links).",
        "Одна сторона сильна в производстве ресурса для товара, который выпускает другая "
        "(межотраслевые связи)."),
    "oppdesc.joint_entry": (
        "A complex product neither side exports competitively yet, close to their combined "
        "capabilities.",
        "Сложный товар, который пока ни одна сторона не экспортирует конкурентоспособно, но "
        "близкий к их совокупным компетенциям."),
    "oppdesc.co_production": (
        "Both sides export the product and trade intermediate goods of it both ways.",
        "Обе стороны экспортируют товар и встречно торгуют его промежуточными товарами."),
    "opp.rank": ("No. {rank}", "№ {rank}"),
    "opp.score": ("score {score}", "балл {score}"),
    "opp.value_at_stake": ("Value at stake: {value} ({method})", "Объём: {value} ({method})"),
    "opp.partners": ("Possible partners: {partners}", "Возможные партнёры: {partners}"),
    # criteria of the opportunity engine (tradecoop.opportunities.builtin_criteria)
    "criterion.exporter_rca": ("Supplier's comparative advantage (RCA, log scale)",
                               "Сравнительное преимущество поставщика (RCA, логарифм)"),
    "criterion.exporter_market_share": ("Supplier's world market share", "Доля поставщика на мировом рынке"),
    "criterion.importer_demand": ("Buyer's import demand", "Импортный спрос покупателя"),
    "criterion.importer_third_country_share": ("Share of imports from third countries",
                                               "Доля импорта из третьих стран"),
    "criterion.pair_distance": ("Nearness of the pair's pooled capabilities",
                                "Близость совокупных компетенций пары"),
    "criterion.pair_cog": ("Complexity outlook gain for the pair", "Прирост перспектив сложности для пары"),
    "criterion.feasibility": ("Feasibility (model)", "Реализуемость (модель)"),
    "criterion.pair_feasibility": ("Feasibility, better-placed side", "Реализуемость (лучшая из сторон)"),
    "criterion.io_linkage": ("Input-output demand of the buyer's industries",
                             "Межотраслевой спрос отраслей покупателя"),
    "criterion.intermediate_good": ("Intermediate good (BEC)", "Промежуточный товар (BEC)"),
    "criterion.intra_industry_trade": ("Intra-industry trade (Grubel–Lloyd)",
                                       "Внутриотраслевая торговля (Грубел–Ллойд)"),
    "criterion.two_way_value": ("Value of two-way trade", "Объём встречной торговли"),
    "criterion.rca": ("Revealed comparative advantage (RCA)",
                      "Сравнительное преимущество (RCA)"),
    "criterion.market_share": ("World market share", "Доля на мировом рынке"),
    "criterion.import_demand": ("Partner's import demand", "Импортный спрос партнёра"),
    "criterion.third_country_imports": ("Imports from third countries", "Импорт из третьих стран"),
    "criterion.density": ("Density (related capabilities)", "Плотность (близкие компетенции)"),
    "criterion.distance": ("Nearness to existing capabilities", "Близость к имеющимся компетенциям"),
    "criterion.pci": ("Product complexity (PCI)", "Сложность товара (PCI)"),
    "criterion.cog": ("Complexity outlook gain (COG)", "Прирост перспектив сложности (COG)"),
    "criterion.io_link": ("Input-output link", "Межотраслевая связь"),
    "criterion.intra_industry": ("Intra-industry trade (Grubel–Lloyd)",
                                 "Внутриотраслевая торговля (Грубел–Ллойд)"),
    "criterion.intermediate_share": ("Share of intermediate goods", "Доля промежуточных товаров"),
    "criterion.world_demand": ("World demand", "Мировой спрос"),
    "criterion.untapped_potential": ("Untapped export potential",
                                     "Неиспользованный экспортный потенциал"),
    "criterion.reexport_risk": ("Re-export risk", "Риск реэкспорта"),
    "criterion.dependency": ("Dependency on one supplier", "Зависимость от одного поставщика"),
    "method.untapped_potential": ("untapped export potential, ITC method",
                                  "неиспользованный экспортный потенциал, метод ITC"),
    "method.third_country_imports": ("imports from third countries, a ceiling",
                                     "импорт из третьих стран, верхняя граница"),
    "method.io_weighted_flow": ("input flow weighted by input-output coefficients",
                                "поток ресурсов, взвешенный по коэффициентам затрат"),
    "method.world_demand": ("world exports of the product (world demand)", "мировой экспорт товара (мировой спрос)"),
    "method.two_way_flow": ("two-way bilateral flow", "встречный двусторонний поток"),
    # --- potential ------------------------------------------------------------------------
    "potential.title": ("Exports: actual and predicted, {years}",
                        "Экспорт: факт и прогноз модели, {years}"),
    "potential.over": ("Actual trade is above the model's range: the pair over-trades.",
                       "Фактическая торговля выше диапазона модели: стороны торгуют больше "
                       "предсказанного."),
    "potential.under": ("Actual trade is below the model's range: untapped potential.",
                        "Фактическая торговля ниже диапазона модели: есть неиспользованный "
                        "потенциал."),
    "potential.within": ("Actual trade is within the model's range.",
                         "Фактическая торговля в пределах диапазона модели."),
    "caveat.residuals_sum_to_zero": (
        "With exporter-year and importer-year fixed effects, predicted trade adds up to each "
        "side's totals, so 'potential' across one exporter's partners sums to about zero.",
        "С фиксированными эффектами экспортёр-год и импортёр-год прогноз модели в сумме "
        "совпадает с итогами каждой стороны, поэтому «потенциал» по всем партнёрам одного "
        "экспортёра в сумме близок к нулю."),
    "caveat.structural_breaks": (
        "2014 and 2022 are structural breaks; the model does not extrapolate across them.",
        "2014 и 2022 годы — структурные разрывы; модель не экстраполирует через них."),
    "caveat.region_estimate": (
        "A region's figure from a country-level model is an estimate.",
        "Показатель региона, полученный из модели по странам, является оценкой."),
    "caveat.merchandise_only": (
        "Merchandise trade only: services and investment are not in these data.",
        "Только товарная торговля: услуги и инвестиции в этих данных не отражены."),
    "caveat.reexports": (
        "Re-exports can inflate a hub's apparent competitiveness (Belarus to Russia after 2014).",
        "Реэкспорт может завышать видимую конкурентоспособность транзитной страны (Беларусь "
        "в Россию после 2014 года)."),
    "caveat.missing_reports": (
        "Some years have no report for one direction; they are shown as gaps, not zeros.",
        "За некоторые годы нет отчётности по одному направлению; они показаны как пропуски, "
        "а не нули."),
    # --- charts ---------------------------------------------------------------------------
    "chart.turnover_title": ("Trade between {a} and {b}, {first}–{last}",
                             "Взаимная торговля: {a} – {b}, {first}–{last}"),
    "chart.turnover_desc": (
        "Line chart of exports each way, turnover and the balance of {a} by year.",
        "Линейная диаграмма по годам: экспорт в каждом направлении, товарооборот и сальдо ({a})."),
    "chart.year": ("Year", "Год"),
    "chart.series_exports_ab": ("Exports {a} → {b}", "Экспорт {a} → {b}"),
    "chart.series_exports_ba": ("Exports {b} → {a}", "Экспорт {b} → {a}"),
    "chart.series_turnover": ("Turnover", "Товарооборот"),
    "chart.series_balance": ("Balance of {a}", "Сальдо ({a})"),
    "chart.missing": ("no report (missing, not zero)", "нет отчётности (пропуск, не ноль)"),
    "chart.share_axis": ("Share of exports, %", "Доля в экспорте, %"),
    "chart.structure_desc": ("Horizontal bar chart of the shares of product groups.",
                             "Горизонтальная столбчатая диаграмма долей товарных групп."),
    "chart.contrib_title": ("Why {product} scores {score}", "Почему у {product} балл {score}"),
    "chart.contrib_desc": (
        "Bars show each criterion's contribution to the score; bars to the right raise it, "
        "bars to the left lower it; together they add up to the score.",
        "Столбцы показывают вклад каждого критерия в балл: вправо — повышает, влево — "
        "понижает; в сумме они дают балл."),
    "chart.contrib_axis": ("Contribution to the score", "Вклад в балл"),
    "chart.score_total": ("Score (sum)", "Балл (сумма)"),
    "chart.potential_desc": (
        "Range chart: the bar is the model's predicted range, the diamond the prediction, the "
        "circle actual trade.",
        "Диапазонная диаграмма: полоса — диапазон прогноза, ромб — прогноз, круг — фактическая "
        "торговля."),
    "chart.actual": ("Actual", "Факт"),
    "chart.predicted": ("Predicted", "Прогноз"),
    "chart.range": ("Predicted range", "Диапазон прогноза"),
}

_LABELS.update(SUMMARY_LABELS)

#: one catalogue per language, built from ``_LABELS`` (identical keys by construction)
CATALOGUES: dict[str, dict[str, str]] = {
    "en": {k: v[0] for k, v in _LABELS.items()},
    "ru": {k: v[1] for k, v in _LABELS.items()},
}

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    # genitive case, as in a date: "29 ноября 2026 г."
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
}


def _catalogue(lang: str) -> dict[str, str]:
    try:
        return CATALOGUES[lang]
    except KeyError:
        raise DataValidationError(
            f"language must be one of {', '.join(CATALOGUES)}; found {lang!r}"
        ) from None


def has(key: str, lang: str = "en") -> bool:
    """True when ``key`` is in the catalogue of ``lang``."""
    return key in _catalogue(lang)


def t(key: str, lang: str, **fields: object) -> str:
    """The label ``key`` in ``lang``, with ``{placeholders}`` filled from ``fields``.

    Raises
    ------
    NotFoundError
        When the key is not in the catalogue (the message lists close matches).
    """
    cat = _catalogue(lang)
    try:
        text = cat[key]
    except KeyError:
        close = difflib.get_close_matches(key, list(cat), n=3)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise NotFoundError(f"label {key!r} is not in the {lang!r} catalogue{hint}") from None
    return text.format(**fields) if fields else text


def t_or(key: str, lang: str, fallback: str, **fields: object) -> str:
    """Like :func:`t` but returns ``fallback`` for a key that is not in the catalogue.

    Used for open vocabularies that come from the model (criterion names, caveats): a known
    name is translated, an unknown one is printed as the model gave it.
    """
    return t(key, lang, **fields) if has(key, lang) else fallback


# --- numbers ------------------------------------------------------------------------------
def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """``value`` with the language's thousands separator and decimal mark.

    >>> format_number(1234567.891, "en", 2)
    '1,234,567.89'
    >>> format_number(-1234.5, "ru", 1) == "\u22121\u00a0234,5"
    True
    """
    _catalogue(lang)
    if value is None or not math.isfinite(value):
        return "–"
    text = f"{abs(value):,.{decimals}f}"
    if lang == "ru":
        text = text.replace(",", NBSP).replace(".", ",")
    # no "-0": a value that rounds to zero is printed without a sign
    negative = value < 0 and any(ch not in "0.,\u00a0" for ch in text)
    return (MINUS if negative else "") + text


#: (threshold, catalogue key of the scale word) from the largest down
_SCALES = ((1e9, "scale.billion"), (1e6, "scale.million"), (1e3, "scale.thousand"))


def money_scale(magnitude: float, lang: str) -> tuple[float, str]:
    """Divisor and scale word for amounts around ``magnitude`` USD (``(1e9, 'bn')``)."""
    for threshold, key in _SCALES:
        if abs(magnitude) >= threshold:
            return threshold, t(key, lang)
    return 1.0, ""


def _decimals_for(scaled: float) -> int:
    # three significant digits: 1.23, 12.3, 123
    a = abs(scaled)
    return 2 if a < 10 else 1 if a < 100 else 0


def format_money(value: float | None, lang: str) -> str:
    """An amount in USD at a readable scale: ``USD 1.23 bn`` / ``1,23 млрд долл. США``."""
    if value is None or not math.isfinite(value):
        return t("value.na", lang)
    divisor, word = money_scale(value, lang)
    scaled = value / divisor
    number = format_number(scaled, lang, _decimals_for(scaled) if divisor > 1 else 0)
    text = t("unit.usd_amount", lang, number=number, scale=word).replace("  ", " ").strip()
    return text.replace(" ", NBSP)  # an amount never breaks across lines


def format_share(value: float | None, lang: str, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.123 -> ``12.3%`` / ``12,3 %``."""
    if value is None:
        return t("value.na", lang)
    return format_percent(value * 100.0, lang, decimals)


def format_percent(value: float | None, lang: str, decimals: int = 1) -> str:
    """A number already in percent: 12.3 -> ``12.3%`` / ``12,3 %`` (Russian puts a space)."""
    if value is None:
        return t("value.na", lang)
    sep = NBSP if lang == "ru" else ""
    return f"{format_number(value, lang, decimals)}{sep}%"


def format_value(value: object, unit: str, lang: str) -> str:
    """Format one cell or figure by its unit (see ``tradecoop.reports.model.UNITS``)."""
    if value is None:
        return t("value.na", lang)
    if unit == "text" or isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return t("value.yes" if value else "value.no", lang)
    number = float(value)  # type: ignore[arg-type]
    if unit == "usd":
        return format_money(number, lang)
    if unit == "share":
        return format_share(number, lang)
    if unit == "percent":
        return format_percent(number, lang)
    if unit == "count":
        return format_number(number, lang, 0)
    if unit in ("index", "ratio"):
        return format_number(number, lang, 2)
    raise DataValidationError(f"unknown unit {unit!r} for value {value!r}")


# --- dates --------------------------------------------------------------------------------
def format_date(iso: str, lang: str, *, with_time: bool = False) -> str:
    """An ISO 8601 timestamp as a date: ``29 November 2026`` / ``29 ноября 2026 г.``."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        raise DataValidationError(
            f"generated_at must be an ISO 8601 timestamp such as 2026-11-29T09:40:00+00:00; "
            f"found {iso!r}"
        ) from None
    month = _MONTHS[lang][moment.month - 1] if lang in _MONTHS else _catalogue(lang)
    text = t("date.format", lang, day=moment.day, month=month, year=moment.year)
    if with_time:
        zone = " UTC" if moment.utcoffset() is not None and not moment.utcoffset() else ""
        text += f", {moment:%H:%M}{zone}"
    return text
