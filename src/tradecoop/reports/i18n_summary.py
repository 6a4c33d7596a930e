"""English and Russian labels of the brief's summary page, region section and reasons.

Merged into :data:`tradecoop.reports.i18n.CATALOGUES` (one line per key, both languages).
"""

from __future__ import annotations

SUMMARY_LABELS: dict[str, tuple[str, str]] = {
    # --- document -------------------------------------------------------------------------
    "doc.subtitle_year": (
        "Bilateral trade and cooperation opportunities · trade statistics of {year}, the latest "
        "in the bundled data",
        "Двусторонняя торговля и возможности сотрудничества · торговая статистика за {year} г., "
        "последний год в имеющихся данных"),
    "doc.subtitle_noyear": ("Cooperation opportunities and registered enterprises",
                            "Возможности сотрудничества и зарегистрированные предприятия"),
    "doc.stale": (
        "The newest trade statistics in this brief are from {year}, {age} years before it was "
        "prepared. For current levels read the reported figures on this page.",
        "Самая свежая торговая статистика в справке — за {year} г., на {age} лет старше даты "
        "подготовки. Текущие значения — в разделе опубликованных данных на этой странице."),
    "doc.sectors": ("Sectors: {names}", "Отрасли: {names}"),
    "doc.annex": ("Annex: trade statistics and methods", "Приложение: торговая статистика и методы"),
    # --- sections -------------------------------------------------------------------------
    "section.glance": ("At a glance: five ideas", "Кратко: пять идей"),
    "section.reported": ("Latest reported figures", "Последние опубликованные показатели"),
    "section.region": ("What is known about the region", "Что известно о регионе"),
    "intro.glance": (
        "Each idea: the enterprises that could act on it (makers supply, buyers buy), why, the "
        "value at stake, a next step.",
        "Для каждой идеи: предприятия (производители поставляют, покупатели закупают), "
        "обоснование, объём, следующий шаг."),
    "intro.reported": (
        "Figures stated by officials and news agencies, newest first, each with its source. "
        "They are reports, not statistics: conflicting reports are shown side by side.",
        "Показатели, названные официальными лицами и информагентствами, начиная с последних, "
        "каждый со ссылкой на источник. Это сообщения, а не статистика: расходящиеся данные "
        "приводятся рядом."),
    "intro.region": (
        "Registered enterprises of the region, what they make and what they buy (HS headings), "
        "with the source of each record.",
        "Зарегистрированные предприятия региона: что они производят и что закупают (товарные "
        "позиции ТН ВЭД), с источником каждой записи."),
    "region.no_data": (
        "The store holds no regional trade statistics for {region}: the trade sections are "
        "left out rather than filled with {country}'s numbers. Import the region's customs file "
        "to add them:",
        "Региональной торговой статистики по субъекту «{region}» нет: торговые разделы "
        "опущены, а не заполнены данными по стране ({country}). Чтобы добавить их, загрузите "
        "таможенную статистику региона:"),
    "region.has_data": ("Regional trade statistics for {region} are in the store.",
                        "Региональная торговая статистика по субъекту «{region}» загружена."),
    "region.proxy": ("{country} (country level)", "{country} (уровень страны)"),
    # --- ideas ----------------------------------------------------------------------------
    "ideakind.registry_link": ("supply link between registered enterprises",
                               "связь поставщик — покупатель по реестру предприятий"),
    "ideakind.supply_ab": ("supply {a} → {b}", "поставки {a} → {b}"),
    "ideakind.supply_ba": ("supply {b} → {a}", "поставки {b} → {a}"),
    "ideakind.localisation_jv": ("localisation joint venture", "совместное предприятие по локализации"),
    "ideakind.value_chain": ("value-chain link", "звено производственной цепочки"),
    "ideakind.joint_entry": ("joint entry into complex products", "совместный выход на рынки сложной продукции"),
    "ideakind.co_production": ("co-production", "производственная кооперация"),
    "idea.direction": ("{supplier} supplies {buyer}", "Поставки: {supplier} → {buyer}"),
    "idea.value": ("Value at stake: {value}, {year} ({method})", "Стоимостной объём: {value}, {year} г. ({method})"),
    "idea.value_short": ("Value at stake: {value}, {year}", "Стоимостной объём: {value}, {year} г."),
    "idea.method": ("method", "метод"),
    "idea.makers": ("Makers ({place})", "Производители ({place})"),
    "idea.buyers": ("Buyers ({place})", "Покупатели ({place})"),
    "idea.source_short": ("source", "источник"),
    "idea.why": ("Why", "Почему"),
    "idea.value_label": ("Value", "Объём"),
    "idea.next": ("Next step", "Следующий шаг"),
    "idea.enterprises": ("Enterprises", "Предприятия"),
    "no_value.registry_only": ("no reliable value: the registry shows who, not how much",
                               "нет надёжной оценки объёма: реестр показывает, кто, но не сколько"),
    "no_value.region": ("no reliable value: no trade statistics for the region (its country's are not its own)",
                        "нет надёжной оценки объёма: нет статистики по региону (данные страны — не его)"),
    "no_value.engine": ("no reliable value: the flows behind it are estimated from one allocation",
                        "нет надёжной оценки объёма: потоки оценены одним и тем же распределением"),
    "role.maker": ("maker", "производитель"),
    "role.buyer": ("buyer", "покупатель"),
    "role.partner": ("partner", "партнёр"),
    # --- reported figures -----------------------------------------------------------------
    "col.metric": ("Figure", "Показатель"),
    "col.criterion": ("Criterion", "Критерий"),
    "col.raw_value": ("Raw value", "Исходное значение"),
    "col.contribution": ("Contribution to the score", "Вклад в балл"),
    "col.period": ("Period", "Период"),
    "col.reporter": ("Stated by", "Кем заявлено"),
    "col.publisher": ("Published by", "Где опубликовано"),
    "col.date": ("Date", "Дата"),
    "col.enterprise": ("Enterprise", "Предприятие"),
    "col.city": ("City", "Город"),
    "col.nace": ("NACE", "ОКВЭД (NACE)"),
    "col.makes": ("Makes (HS)", "Производит (ТН ВЭД)"),
    "col.needs": ("Buys (HS)", "Закупает (ТН ВЭД)"),
    "col.website": ("Website", "Сайт"),
    "col.role": ("Role", "Роль"),
    "metric.turnover": ("Trade turnover", "Товарооборот"),
    "metric.target_turnover": ("Target turnover", "Целевой товарооборот"),
    "metric.turnover_forecast": ("Expected turnover", "Ожидаемый товарооборот"),
    "metric.exports": ("Exports", "Экспорт"),
    "metric.imports": ("Imports", "Импорт"),
    "metric.investment": ("Investment", "Инвестиции"),
    "metric.jobs": ("Jobs", "Рабочие места"),
    "metric.localisation_share": ("Localisation share", "Уровень локализации"),
    "metric.delivered_units": ("Delivered units", "Поставлено единиц"),
    "period.current": ("current annual level", "текущий годовой уровень"),
    "period.h1": ("first half of {year}", "I полугодие {year} г."),
    "period.months": ("January–{month} {year}", "январь–{month} {year} г."),
    "period.five_years": ("within five years of {year}", "в течение пяти лет с {year} г."),
    "reported.country_level": ("country level", "уровень стран"),
    # --- figures --------------------------------------------------------------------------
    "figure.turnover_growth_real": ("Turnover growth per year in constant 2017 USD (CAGR)",
                                    "Среднегодовой прирост товарооборота в постоянных долларах 2017 г."),
    "figure.turnover_growth_last": ("Turnover growth per year in current USD, last interval (CAGR)",
                                    "Среднегодовой прирост товарооборота в текущих долларах, последний интервал"),
    "period.span": ("{first}–{last}", "{first}–{last} гг."),
    "note.parties_count": ("number of parties in the last column", "в последнем столбце — число сторон"),
    "note.structure_reconcile": (
        "Shares of estimated {year} product flows (total {total}); the headline's {headline} is "
        "the reported total of {headline_year}: different year and source.",
        "Доли в оценочных товарных потоках {year} г. (итого {total}); в основных показателях — "
        "отчётный итог {headline_year} г. ({headline}): другие год и источник."),
    "note.breaks": ("Dashed vertical lines: structural breaks ({years}).",
                    "Пунктирные вертикальные линии — структурные разрывы ({years})."),
    "chart.every_years": ("Points mark the years that exist in the data (every {step} years).",
                          "Точки — годы, за которые есть данные (каждые {step} года)."),
    "potential.lead": (
        "In {years}, exports {direction} were {actual} a year on average; a gravity model that "
        "knows only the two economies' size, distance and common features predicts {predicted} "
        "(range {low} – {high}). {verdict} The model leaves out the Union State's depth of "
        "integration, re-exports and energy pricing, so read a gap as a question, not a target.",
        "В {years} гг. экспорт {direction} составлял в среднем {actual} в год; гравитационная "
        "модель, учитывающая только размер экономик, расстояние и общие черты, предсказывает "
        "{predicted} (диапазон {low} – {high}). {verdict} Модель не учитывает глубину интеграции "
        "Союзного государства, реэкспорт и цены на энергоносители, поэтому расхождение — повод "
        "для вопроса, а не целевой показатель."),
    # --- reasons (Brief.unavailable) ------------------------------------------------------
    "reason.region_no_data": ("no regional trade statistics (see the region section)",
                              "нет региональной торговой статистики (см. раздел о регионе)"),
    "reason.potential_skipped": ("the gravity model was skipped (--no-potential)",
                                 "гравитационная модель не рассчитывалась (--no-potential)"),
    "reason.potential_region": (
        "the gravity model is country-level; a region's figure would be its country's, so none "
        "is shown",
        "гравитационная модель строится по странам; показатель региона был бы показателем "
        "страны, поэтому он не приводится"),
    "reason.no_import_data": ("no import data for the pair", "нет данных об импорте пары"),
    "reason.no_agreements": ("the bundled treaty list (DESTA) has no agreement in force between the pair",
                             "в перечне договоров (DESTA) нет действующих соглашений между сторонами"),
    "reason.no_ideas": ("no idea with a named enterprise for the pair", "нет идей с названными предприятиями"),
    "reason.no_reported": ("the registry holds no reported figures for the pair",
                           "в реестре нет опубликованных показателей по паре"),
    "reason.no_region": ("both sides are countries", "обе стороны — страны"),
    "reason.no_candidates": ("no candidate products of this type in the data (or in the chosen sectors)",
                             "нет товаров-кандидатов этого типа в данных (или в выбранных отраслях)"),
}
