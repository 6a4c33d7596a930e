"""Cooperation facts from one news text: entities, then facts per sentence.

:func:`extract` returns the JSON shape of ``tradecoop news extract`` (docs/news.md):
``{"document": {...}, "entities": [...], "facts": [...]}``, offsets into the text.

Order of evidence: the gazetteer (places, registry enterprises) decides type and identity; natasha
(Russian only) adds persons and organisations the gazetteer does not know; rules add persons
("first name + surname"), quoted enterprise names after a legal form («Кузбассразрезуголь»), and
acronyms. An organisation name the gazetteer does not know is looked up in the registry's search
(transliteration, abbreviations) and kept unresolved (id null) when nothing scores
:data:`ORG_SEARCH_MIN_SCORE`.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from tradecoop.errors import DataValidationError
from tradecoop.news import dates as _dates
from tradecoop.news import facts as _facts
from tradecoop.news import numbers as _numbers
from tradecoop.news import persons as _persons
from tradecoop.news.gazetteer import match
from tradecoop.news.text import sentences, tokenize

#: registry search score (0-100) an unknown organisation name needs to resolve to an enterprise
ORG_SEARCH_MIN_SCORE = 92.0
LANG_CHOICES = ("auto", "ru", "en", "be", "uk")
#: organisations natasha reports that are authorities, events or media, not enterprises
_NOT_ENTERPRISE = re.compile(
    r"облисполком|горисполком|исполком|правительств|администрац|министерств|минпром|совет|"
    r"госсовет|пресс-служб|служб|форум|союзн\w* государств|парламент|дум|собрани|курултай|хурал|"
    r"белта|тасс|риа|интерфакс|телеграм|вуз|университет|академи|посольств|ведомств|комитет|"
    r"палат|дворц|союз|ЕАЭС|СНГ|ООН",
    re.IGNORECASE)
_LEGAL_QUOTED = re.compile(
    r"(?:ОАО|ООО|АО|ПАО|ЗАО|ПО|ААТ|ТАА|УП|РУП|компани\w*|кампані\w*|предприяти\w*|прадпрыемств\w*|"
    r"агрокомбинат\w*|холдинг\w*|завод\w*|company|plant)\s+[«\"“]([^»\"”]{2,60})[»\"”]")
_ACRONYM = re.compile(r"(?<![\w-])([A-ZА-ЯЁ]{3,6})(?![\w-])")
_ACRONYM_STOP = {
    "USD", "BYN", "RUB", "EUR", "CIS", "EAEU", "GDP", "VAT", "OJSC", "JSC", "CEO", "TASS", "BELTA",
    "РФ", "ЕАЭС", "СНГ", "ЖКХ", "АПК", "США", "ОАО", "ООО", "ЗАО", "ПАО", "БЕЛТА", "ТАСС", "СМИ",
    "ВВП", "НДС", "ООН", "ОДКБ", "МВД", "МИД", "ААТ", "РУП", "XI", "XII", "III", "IV", "VI", "VII",
    "VIII", "IX", "BELARUS", "USSR", "СССР", "ВТО", "WTO", "UAE", "ОАЭ", "HS", "ТН", "ВЭД",
}


def _published(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError as exc:
        raise DataValidationError(f"published date {value!r} is not YYYY-MM-DD") from exc


@cache
def _org_index():
    from tradecoop.registry.search import SearchIndex, search_key
    from tradecoop.registry.seed import enterprise_rows

    rows = enterprise_rows()
    keys = [(i, search_key([r["name_en"], r["name_ru"], r["name_be"], *r["aliases"].split(";")]))
            for i, r in enumerate(rows)]
    return SearchIndex(keys), rows


def resolve_organization(name: str) -> tuple[str | None, str]:
    """(``enterprise:<seed key>`` or None, canonical English name) of an organisation name."""
    index, rows = _org_index()
    # the registry search rejects a min_score above 90 (its partial-ratio cutoff is min_score / 0.9)
    hits = index.rank(name, limit=1, min_score=min(ORG_SEARCH_MIN_SCORE, 90.0))
    if hits and hits[0].score >= ORG_SEARCH_MIN_SCORE:
        row = rows[hits[0].id]
        return f"enterprise:{row['key']}", row["name_en"]
    from tradecoop.registry.search import transliterate

    return None, transliterate(name)


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def entities(text: str, lang: str) -> list[dict[str, Any]]:
    """Locations, organisations and persons of a text, in order of appearance."""
    tokens = tokenize(text)
    out: list[dict[str, Any]] = []
    for m in match(tokens):
        start, end = tokens[m.start_token].start, tokens[m.end_token - 1].end
        out.append({"type": m.entry.kind, "text": text[start:end], "start": start, "end": end,
                    "id": m.entry.id, "name": m.entry.name_en, "role": None, "of": None})
    taken = [(e["start"], e["end"]) for e in out]
    extra_orgs: list[tuple[int, int]] = []
    person_spans: list[tuple[int, int]] = []
    if lang == "ru":
        for s in _persons.natasha_spans(text):
            if _overlaps((s.start, s.end), taken):
                continue
            if s.type == "PER":
                person_spans.append((s.start, s.end))
            elif s.type == "ORG" and not _NOT_ENTERPRISE.search(text[s.start:s.end]):
                extra_orgs.append((s.start, s.end))
    for p in _persons.rule_persons(text):
        if not _overlaps((p.start, p.end), taken) and not _overlaps((p.start, p.end), person_spans):
            person_spans.append((p.start, p.end))
    for m in _LEGAL_QUOTED.finditer(text):
        extra_orgs.append(m.span(1))
    for m in _ACRONYM.finditer(text):
        if m.group(1).upper() not in _ACRONYM_STOP:
            extra_orgs.append(m.span(1))
    seen_orgs: list[tuple[int, int]] = []
    for span in sorted(extra_orgs):
        if _overlaps(span, taken) or _overlaps(span, seen_orgs) or _overlaps(span, person_spans):
            continue
        surface = text[span[0]:span[1]]
        code, name = resolve_organization(surface)
        seen_orgs.append(span)
        out.append({"type": "organization", "text": surface, "start": span[0], "end": span[1],
                    "id": code, "name": name, "role": None, "of": None})
    locations = [e for e in out if e["type"] == "location"]
    for a, b in sorted(person_spans):
        role, role_start = _persons.role_before(text, a)
        of = None
        if role:
            inside = [e for e in locations if role_start <= e["start"] and e["end"] <= a]
            regional = [e for e in inside if "-" in (e["id"] or "")]
            pick = (regional or inside)
            if pick:
                of = pick[-1]["id"]
            elif role == "president":
                window = text[max(0, role_start - 30):a]
                of = ("BLR" if re.search(r"белорус|беларус|belarus", window, re.IGNORECASE)
                      else "RUS" if re.search(r"росси|расі|russia", window, re.IGNORECASE) else None)
        out.append({"type": "person", "text": text[a:b], "start": a, "end": b, "id": None,
                    "name": _persons.canonical_name(text[a:b]), "role": role, "of": of})
    return sorted(out, key=lambda e: e["start"])


def _value_for(kind: str, money, percents, counts) -> tuple[float | None, str | None]:
    if kind in ("trade_figure", "target"):
        pick = money or percents
    elif kind in ("investment", "agreement", "project"):
        pick = money
    elif kind in ("supply", "purchase"):
        pick = money or counts
    else:
        pick = []
    if not pick:
        return None, None
    return pick[0].value, pick[0].unit


_PERIOD_YEARLY = re.compile(r"\b(?:в год|за год|a year|per year|annual\w*|у год|за год)\b", re.IGNORECASE)
_PERIOD_WITHIN = re.compile(
    r"(?:в течение|за|within|over|in|на працягу)\s+(?:the\s+)?(?:(\d+)|(\w+))\s+(?:лет|года|год|years?|гадоў|гады)",
    re.IGNORECASE)


def _period(sentence: str, date_mentions: list[_dates.DateMention]) -> str | None:
    years = [d.value for d in date_mentions if d.precision == 1]
    if years:
        return years[0]
    m = _PERIOD_WITHIN.search(sentence)
    if m:
        n = m.group(1) or m.group(2)
        return f"within {n} years"
    if _PERIOD_YEARLY.search(sentence):
        return "year"
    return None


def extract(text: str, *, lang: str = "auto", title: str | None = None,
            published: str | dt.date | None = None) -> dict[str, Any]:
    """Entities and facts of ``text`` (see the module docstring for the shape)."""
    if lang not in LANG_CHOICES:
        raise DataValidationError(f"language {lang!r} is not one of {', '.join(LANG_CHOICES)}")
    pub = _published(published)
    if lang == "auto":
        from tradecoop.news.langid import detect

        lang = detect(text) or "ru"
    ents = entities(text, lang)
    all_dates = _dates.find_dates(text, pub)
    facts: list[dict[str, Any]] = []
    for s, e in sentences(text):
        sentence = text[s:e]
        money, percents = _numbers.money(sentence), _numbers.percents(sentence)
        counts = _numbers.counts(sentence)
        candidates = _facts.classify(sentence, bool(money or percents))
        if not candidates:
            continue
        in_sentence = [d for d in all_dates if s <= d.start < e]
        inside = [x for x in ents if s <= x["start"] < e]
        for c in candidates:
            value, unit = _value_for(c.type, money, percents, counts)
            facts.append({
                "type": c.type, "text": sentence, "start": s, "end": e,
                "date": _dates.best_date(in_sentence),
                "locations": sorted({x["id"] for x in inside if x["type"] == "location" and x["id"]}),
                "organizations": sorted({x["id"] or x["name"] for x in inside if x["type"] == "organization"}),
                "persons": sorted({x["name"] for x in inside if x["type"] == "person"}),
                "products": _facts.products(sentence), "value": value, "unit": unit,
                "period": _period(sentence, in_sentence) if c.type in ("trade_figure", "target", "investment")
                else None,
                "polarity": c.polarity,
            })
    return {"document": {"language": lang, "title": title,
                         "published": pub.isoformat() if pub else None},
            "entities": ents, "facts": facts}
