"""View builders of the summary page and the region section (model -> plain dicts).

Also the translation of the brief's own source and note strings: the library writes its notes in
English; a note with a Russian rendering here is printed in Russian, any other is printed as
written and marked ``lang="en"`` in the HTML so readers (and screen readers) know it is quoted.
"""

from __future__ import annotations

import re
from typing import Any

from tradecoop.reports import i18n
from tradecoop.reports.model import Brief, Idea, RegionProfile
from tradecoop.reports.names_ru import city_name

#: English phrases of source strings -> Russian (longest first when applied)
_SOURCE_RU: dict[str, str] = {
    "estimated bilateral flows (proportional allocation)": "оценочные двусторонние потоки (пропорциональное распределение)",
    "(proportional allocation)": "(пропорциональное распределение)",
    "proportional allocation": "пропорциональное распределение",
    "economic complexity, HS4": "экономическая сложность, HS4",
    "UN Comtrade aggregate bilateral exports (penppml), observed": "UN Comtrade, совокупный двусторонний экспорт (penppml), наблюдаемые данные",
    "estimated imports by product (proportional allocation)": "оценочный импорт по товарам (пропорциональное распределение)",
    "PPML on bundled bilateral totals and CEPII GeoDist covariates": "PPML по двусторонним итогам и переменным CEPII GeoDist",
    "tradecoop enterprise registry (curated; each row with its source)": "реестр предприятий tradecoop (курируемый; у каждой строки есть источник)",
    "registry: statements of officials and news agencies": "реестр: заявления официальных лиц и информагентств",
    "observed product-level flows": "наблюдаемые товарные потоки",
    "regional customs statistics": "региональная таможенная статистика",
    "observed": "наблюдаемые данные",
    "dataset": "набор данных",
    "see DATA.md": "см. DATA.md",
    "cited with URL": "со ссылкой",
    "exports to the world (bundled HS4)": "экспорт в мир (HS4)",
    "FCS of Russia": "ФТС России",
    "US GDP deflator (World Bank, via tradestatistics)": "дефлятор ВВП США (Всемирный банк, через tradestatistics)",
    "UN Comtrade via Open Trade Statistics (R package economiccomplexity)": "UN Comtrade (Open Trade Statistics, пакет R economiccomplexity)",
    " via ": " через ",
    "(R package ": "(пакет R ",
    "bilateral_totals (UN Comtrade via penppml)": "bilateral_totals (UN Comtrade, пакет penppml)",
}
#: one pass over a source string: longest phrase first, whole words only (so "observed" never
#: matches inside "unobserved" and a translated phrase is never translated again)
_SOURCE_RU_PATTERN = re.compile("|".join(
    (r"\b" if p[0].isalnum() else "") + re.escape(p) + (r"\b" if p[-1].isalnum() else "")
    for p in sorted(_SOURCE_RU, key=len, reverse=True)))

#: notes of the library with a Russian rendering (regular expression -> Russian template)
_NOTES_RU: tuple[tuple[str, str], ...] = (
    (r"values in current USD; growth also in constant 2017 USD \(US GDP deflator\)",
     "значения в текущих долларах США; темпы роста также в постоянных долларах 2017 г. (дефлятор ВВП США)"),
    (r"regional trade as reported by (\S+) \((.*)\); the partner's own statistics may differ \(mirror-flow gap\)",
     r"региональная торговля по данным отчитывающейся стороны (\1; \2); статистика партнёра может отличаться"),
    (r"TC and dependency need every supplier's flows: not computed from a pair-only file",
     "взаимодополняемость и зависимость требуют данных по всем поставщикам: по файлу одной пары не рассчитываются"),
    (r"registry not read: (.*)", r"реестр не прочитан: \1"),
)


def source_text(text: str, lang: str) -> str:
    """A source string in ``lang`` (known phrases translated; dataset and package names kept)."""
    if lang != "ru" or not text:
        return text
    return _SOURCE_RU_PATTERN.sub(lambda m: _SOURCE_RU[m.group(0)], text)


#: labels of the brief's own provenance rows (datasets are otherwise named by their identifiers)
_DATASETS_RU = {"opportunities": "модель возможностей", "gravity": "гравитационная модель",
                "reported figures": "опубликованные показатели"}


#: names that stay Latin in a Russian text (sources and packages)
_LATIN_NAMES = re.compile(r"\b(UN|Comtrade|Open|Trade|Statistics|economiccomplexity|penppml|CEPII|GeoDist|DESTA|"
                          r"OECD|ICIO|WIOD|BACI|PPML|DATA\.md|tradecoop|Dür|Baccini|Elsig)\b")


def text_lang(text: str, lang: str) -> str:
    """``lang`` when ``text`` is written in it, else "en": a Russian text with English words left
    (beyond names of sources and identifiers) is quoted English."""
    if lang != "ru":
        return lang
    rest = _LATIN_NAMES.sub("", re.sub(r"\S*[0-9_']\S*", "", text))
    return "en" if re.search(r"\b[A-Za-z]{3,}\b", rest) else lang


def provenance_view(item: Any, lang: str) -> dict[str, Any]:
    """A provenance row: the source translated where we can, the library's notes quoted."""
    view = item.to_dict()
    if lang == "ru":
        view["dataset"] = _DATASETS_RU.get(item.dataset, item.dataset)
    view["source"] = source_text(item.source, lang)
    view["licence"] = source_text(item.licence, lang)
    view["source_lang"] = text_lang(view["source"], lang)
    view["note_lang"] = text_lang(item.note, lang)
    return view


def note_view(note: str, tr: Any) -> dict[str, str]:
    """``{"text": ..., "lang": ...}`` of a note: translated when known, else quoted in English."""
    if tr.lang == "en":
        return {"text": tr.maybe(f"caveat.{note}", note), "lang": "en"}
    if i18n.has(f"caveat.{note}", tr.lang):
        return {"text": tr(f"caveat.{note}"), "lang": tr.lang}
    for pattern, ru in _NOTES_RU:
        if re.fullmatch(pattern, note):
            return {"text": source_text(re.sub(pattern, ru, note), "ru"), "lang": "ru"}
    return {"text": note, "lang": "en"}


def _period(period: str, tr: Any) -> str:
    """'2025H1' -> 'first half of 2025'; '2025M01-M10' -> 'January-October 2025'; 'current'."""
    if period == "current":
        return tr("period.current")
    if m := re.fullmatch(r"(\d{4})H1", period):
        return tr("period.h1", year=m.group(1))
    if m := re.fullmatch(r"(\d{4})M01-M(\d{2})", period):
        month = i18n.format_date(f"{m.group(1)}-{m.group(2)}-01", tr.lang).split(" ")[1]
        if tr.lang == "ru":  # nominative for a range: "январь–октябрь"
            month = _RU_NOMINATIVE.get(month, month)
        return tr("period.months", month=month, year=m.group(1))
    if m := re.fullmatch(r"within five years of (\d{4})", period):
        return tr("period.five_years", year=m.group(1))
    return period


_RU_NOMINATIVE = {"января": "январь", "февраля": "февраль", "марта": "март", "апреля": "апрель",
                  "мая": "май", "июня": "июнь", "июля": "июль", "августа": "август",
                  "сентября": "сентябрь", "октября": "октябрь", "ноября": "ноябрь", "декабря": "декабрь"}


def _amount(value: float, unit: str, lang: str) -> str:
    if unit.upper() == "USD":
        return i18n.format_money(value, lang)
    if unit == "%":
        return i18n.format_percent(value, lang)
    return f"{i18n.format_number(value, lang, 0)} {unit}".strip()


#: how a statement bounds its number (from the figure's note, where the quote is kept)
_QUALIFIERS = ((r"\b(more than|exceeds?)\b", "more than ", "более "),
               (r"\b(almost|nearly|close to)\b", "almost ", "почти "),
               (r"\b(about|around|approximately)\b", "about ", "около "))


def _qualifier(note: str, lang: str) -> str:
    """'more than ' / 'almost ' / 'about ' when the source's wording bounds the number."""
    for pattern, en, ru in _QUALIFIERS:
        if re.search(pattern, note, re.I):
            return ru if lang == "ru" else en
    return ""


def reported_view(brief: Brief, tr: Any) -> list[dict[str, Any]]:
    """Rows of the reported figures: metric, period, value, who stated it, where, when, link."""
    pair = {brief.pair.a, brief.pair.b}
    rows = []
    for f in brief.reported:
        metric = tr.maybe(f"metric.{f.metric}", f.metric)
        if set(f.parties) != pair:
            metric += f" ({' – '.join(f.parties)}, {tr('reported.country_level')})"
        # who stated it and where: quoted from the registry as recorded (marked lang="en" when English)
        rows.append({"metric": metric, "period": _period(f.period, tr),
                     "value": _qualifier(f.note, tr.lang) + _amount(f.value, f.unit, tr.lang),
                     "reporter": f.reporter, "publisher": f.publisher, "url": f.url,
                     "date": i18n.format_date(f.date, tr.lang) if f.date else "", "note": f.note,
                     "pair": set(f.parties) == pair,
                     "text_lang": "ru" if re.search("[а-яё]", f.reporter + f.publisher, re.I) else "en"})
    return rows


def idea_view(idea: Idea, brief: Brief, tr: Any) -> dict[str, Any]:
    """One idea of the summary page, translated and formatted."""
    lang = tr.lang
    names = {brief.pair.a: brief.pair.name("a", lang), brief.pair.b: brief.pair.name("b", lang)}
    method = ""
    if idea.value is not None:
        method = tr.maybe(f"method.{idea.value_method}", idea.value_method)
        value = tr("idea.value_short", value=i18n.format_money(idea.value, lang), year=idea.value_year or brief.year)
    else:
        value = tr.maybe(idea.value_note, idea.value_note)
    firms = [{"name": e.name(lang), "city": city_name(e.city, lang), "location": names.get(e.location, e.location),
              "role": tr(f"role.{e.role}"), "website": e.website, "source": e.source}
             for e in idea.enterprises]
    sides = [{"label": tr(f"idea.{role}s", place=names.get(place, place)),
              "firms": [f for f, e in zip(firms, idea.enterprises, strict=True) if e.role == role]}
             for role, place in (("maker", idea.supplier), ("buyer", idea.buyer))]
    return {
        "product": idea.product, "name": idea.name_ru if lang == "ru" else idea.name_en,
        "kind": tr.maybe(f"ideakind.{idea.kind}", idea.kind),
        "direction": tr("idea.direction", supplier=names.get(idea.supplier, idea.supplier),
                        buyer=names.get(idea.buyer, idea.buyer)),
        "enterprises": firms, "sides": [x for x in sides if x["firms"]], "why": idea.why[lang], "next": idea.next_step[lang], "value": value,
        "method": method, "method_lang": text_lang(method, lang),
        "estimated": idea.estimated,
    }


def region_view(region: RegionProfile, brief: Brief, tr: Any) -> dict[str, Any]:
    """The region section: the data situation said once, and its registered enterprises."""
    from tradecoop.data.nomenclature.locations import location_name

    lang = tr.lang
    name = region.name_ru if lang == "ru" else region.name_en
    country = location_name(region.proxy_of, lang) if region.proxy_of else ""
    table = None
    if region.enterprises is not None:
        t = region.enterprises
        table = {"columns": [tr(c) for c in t.columns], "numeric": [False] * len(t.columns),
                 "rows": [[(cell.get(lang) or cell.get("en")) if isinstance(cell, dict) else cell for cell in row]
                          for row in t.rows],
                 "estimated": False, "source": source_text(t.source, lang), "year": None, "note": ""}
    return {"name": name, "has_data": region.has_trade_data,
            "status": (tr("region.has_data", region=name) if region.has_trade_data
                       else tr("region.no_data", region=name, country=country)),
            "command": "" if region.has_trade_data else "tradecoop data import fcs-region FILE",
            "enterprises": table}
