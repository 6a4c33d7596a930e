"""Date expressions in Russian, Belarusian and English, resolved against the document date.

Found by patterns (never by a free-text date search, which reads "we" as Wednesday and "1,5" as
5 January): ``15 ноября``, ``11 жніўня``, ``on 15 November``, ``April 27``, ``5 декабря 2024
года``, ``2024-05-06``, ``06.05.2024``; months (``в мае``, ``в конце января``, ``у маі``); years
(``в 2017 году``, ``к 2033 году``, ``In 2021``, ``since 2000``); relative expressions (``сегодня``,
``вчера``, ``три дня назад``, ``three days ago``, ``во вторник``, ``on Tuesday``, ``в этом году``,
``last year``). A day and month without a year takes the document's year, or the year before when
that date would lie after the document; without a document date it stays ``--MM-DD``. A span of
years (``на 2024–2026 годы``) is a period, not a date.

Each expression has a precision (day 3, month 2, year 1); a fact takes the most precise one in its
sentence (the first of equals).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    1: r"январ\w*|студзен\w*|january|jan\.?",
    2: r"феврал\w*|лют\w*|february|feb\.?",
    3: r"март\w*|сакавік\w*|march|mar\.",
    4: r"апрел\w*|красавік\w*|april|apr\.?",
    5: r"ма[яйеюі]|май|траўн\w*|травен\w*|may",
    6: r"июн\w*|чэрвен\w*|june|jun\.?",
    7: r"июл\w*|ліпен\w*|july|jul\.?",
    8: r"август\w*|жнів\w*|жніўн\w*|august|aug\.?",
    9: r"сентябр\w*|верас\w*|september|sept?\.?",
    10: r"октябр\w*|кастрычнік\w*|october|oct\.?",
    11: r"ноябр\w*|лістапад\w*|november|nov\.?",
    12: r"декабр\w*|снеж\w*|december|dec\.?",
}
_MONTH_RE = "|".join(f"(?P<m{k}>{v})" for k, v in _MONTHS.items())
_ANY_MONTH = "|".join(_MONTHS.values())
_YEAR = r"(?:19|20)\d\d"
_YEAR_WORD = r"(?:год\w*|г\.|гг\.|годзе|года)"
_WEEKDAYS = {
    0: r"понедельник|панядзелак|monday", 1: r"вторник|аўторак|tuesday", 2: r"среду|серад|wednesday",
    3: r"четверг|чацвер|thursday", 4: r"пятницу|пятніцу|friday", 5: r"субботу|суботу|saturday",
    6: r"воскресенье|нядзелю|sunday",
}
_WEEKDAY_RE = "|".join(f"(?P<w{k}>{v})" for k, v in _WEEKDAYS.items())
_SMALL = {"один": 1, "одного": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3,
          "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "тры": 3, "чатыры": 4, "пяць": 5,
          "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}

_PATTERNS = [
    ("iso", re.compile(rf"(?<![\d-])(?P<y>{_YEAR})-(?P<mo>\d\d)-(?P<d>\d\d)(?!\d)")),
    ("dotted", re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})\.(?P<mo>\d{{1,2}})\.(?P<y>{_YEAR})(?!\d)")),
    ("day_month", re.compile(
        rf"(?<![\w-])(?P<d>\d{{1,2}})(?:\s*[–—-]\s*\d{{1,2}})?\s+(?:{_MONTH_RE})\b"
        rf"(?:\s*,?\s*(?P<y>{_YEAR}))?", re.IGNORECASE)),
    ("month_day", re.compile(
        rf"\b(?:{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?!\d)(?:\s*,\s*(?P<y>{_YEAR}))?", re.IGNORECASE)),
    ("relative_days", re.compile(
        r"\b(?P<n>\d+|" + "|".join(_SMALL) + r")\s+(?:дн\w*|сут\w*|дзён|дні|days?)\s+(?:назад|таму|ago)",
        re.IGNORECASE)),
    ("today", re.compile(r"\b(?:сегодня|сёння|today)\b", re.IGNORECASE)),
    ("yesterday", re.compile(r"\b(?:вчера|учора|yesterday)\b", re.IGNORECASE)),
    ("weekday", re.compile(rf"\b(?:во?|у|on|last)\s+(?:{_WEEKDAY_RE})\b", re.IGNORECASE)),
    ("month_year", re.compile(rf"\b(?:{_MONTH_RE})(?P<range>\s*[–—-]\s*(?:{_ANY_MONTH}))?\s+(?P<y>{_YEAR})\b",
                              re.IGNORECASE)),
    ("month", re.compile(rf"\b(?:в|во|у|in|of|конце|начале|середине|канцы|пачатку)\s+(?:{_MONTH_RE})\b",
                         re.IGNORECASE)),
    ("this_year", re.compile(r"\b(?:в\s+этом\s+году|this\s+year|у\s+гэтым\s+годзе|текущего\s+года)\b",
                             re.IGNORECASE)),
    ("last_year", re.compile(r"\b(?:в\s+прошлом\s+году|прошлого\s+года|last\s+year|the\s+year\s+before|"
                             r"у\s+мінулым\s+годзе|мінулага\s+года)\b", re.IGNORECASE)),
    ("year", re.compile(
        rf"(?:\b(?:в|во|к|до|с|со|на|за|по|у|да|з|in|by|since|from|of|to|until)\s+|^|(?<=\s))"
        rf"(?P<y>{_YEAR})(?![\d–—-])(?:\s+{_YEAR_WORD}|(?=[\s,.;:)]|$))", re.IGNORECASE)),
]
_YEAR_SPAN = re.compile(rf"{_YEAR}\s*[–—-]\s*{_YEAR}")


@dataclass(frozen=True)
class DateMention:
    value: str  # YYYY-MM-DD | YYYY-MM | YYYY | --MM-DD
    precision: int
    start: int
    end: int
    kind: str = ""


def _month(m: re.Match) -> int | None:
    for k in _MONTHS:
        if m.groupdict().get(f"m{k}"):
            return k
    return None


def _anchor_year(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    try:
        if dt.date(year, month, day) > published:
            year -= 1
    except ValueError:
        return None
    return year


def find_dates(text: str, published: dt.date | None = None) -> list[DateMention]:
    """Date expressions of ``text`` resolved against ``published``, in order, non-overlapping."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = [m.span() for m in _YEAR_SPAN.finditer(text)]

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            a, b = m.span()
            if not free(a, b):
                continue
            value, precision = _resolve(kind, m, published)
            if value is None:
                continue
            taken.append((a, b))
            found.append(DateMention(value, precision, a, b, kind))
    found.sort(key=lambda d: d.start)
    # "во вторник, 15 ноября": the weekday only names the explicit date that follows it
    return [d for i, d in enumerate(found)
            if not (d.kind == "weekday" and i + 1 < len(found) and found[i + 1].precision == 3
                    and found[i + 1].start - d.end <= 3)]


def _resolve(kind: str, m: re.Match, published: dt.date | None) -> tuple[str | None, int]:
    g = m.groupdict()
    if kind in ("iso", "dotted"):
        try:
            return dt.date(int(g["y"]), int(g["mo"]), int(g["d"])).isoformat(), 3
        except ValueError:
            return None, 0
    if kind in ("day_month", "month_day"):
        month, day = _month(m), int(g["d"])
        if month is None or not 1 <= day <= 31:
            return None, 0
        year = int(g["y"]) if g.get("y") else _anchor_year(month, day, published)
        if year is None:
            return f"--{month:02d}-{day:02d}", 3
        try:
            return dt.date(year, month, day).isoformat(), 3
        except ValueError:
            return None, 0
    if kind == "month_year":
        if g.get("range"):  # "January-November 2024": a period within the year
            return g["y"], 1
        return f"{int(g['y']):04d}-{_month(m):02d}", 2
    if kind == "month":
        month = _month(m)
        if published is None or month is None:
            return None, 0
        year = published.year - (1 if month > published.month else 0)
        return f"{year:04d}-{month:02d}", 2
    if kind == "year":
        return g["y"], 1
    if published is None:
        return None, 0
    if kind == "this_year":
        return str(published.year), 1
    if kind == "last_year":
        return str(published.year - 1), 1
    if kind == "today":
        return published.isoformat(), 3
    if kind == "yesterday":
        return (published - dt.timedelta(days=1)).isoformat(), 3
    if kind == "relative_days":
        n = g["n"]
        days = int(n) if n.isdigit() else _SMALL.get(n.lower(), 0)
        return (published - dt.timedelta(days=days)).isoformat(), 3
    if kind == "weekday":
        wd = next(k for k in _WEEKDAYS if g.get(f"w{k}"))
        back = (published.weekday() - wd) % 7
        return (published - dt.timedelta(days=back)).isoformat(), 3
    return None, 0


def best_date(mentions: list[DateMention]) -> str | None:
    """The most precise date (the first of equals), or None."""
    if not mentions:
        return None
    top = max(d.precision for d in mentions)
    return next(d.value for d in mentions if d.precision == top)
