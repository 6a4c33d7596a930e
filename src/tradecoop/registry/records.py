"""Plain-dict views of registry records and their validation (the shape of the JSON API,
the export files and the audit log).

``to_dict(obj)`` gives the public JSON form; ``apply(obj, data)`` validates a (partial) dict and
writes it onto a model instance, replacing child collections that are present in ``data``.
Field names of enterprises are a public contract: ``id, version, name_en, name_ru, name_be,
aliases, location, city, nace, products, inputs, size_band, description_en, description_ru,
website, sources``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tradecoop.errors import DataValidationError
from tradecoop.registry import models as m

ENTERPRISE_FIELDS = (
    "id", "version", "name_en", "name_ru", "name_be", "aliases", "location", "city", "nace",
    "products", "inputs", "size_band", "description_en", "description_ru", "website", "sources",
)
_HS = re.compile(r"^\d{2}(\d{2}){0,4}$")
_NACE = re.compile(r"^\d{2}(\.\d{1,2})?$")
_COUNTRY = re.compile(r"^[A-Z]{3}$")
_REGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
#: a metric name: lower-case words joined by underscores ("turnover", "localisation_share")
_METRIC = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
#: periods of a reported figure: a year, a span of years, a half-year, a quarter, a month, a
#: span of months within a year (cumulative reports: "January-September 2025" is 2025M01-M09),
#: or "current" (a stock at the source's date)
_PERIOD = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<to_year>\d{4})|H(?P<half>[12])|Q(?P<quarter>[1-4])"
    r"|M(?P<month>0[1-9]|1[0-2])(?:-M(?P<to_month>0[1-9]|1[0-2]))?)?$"
)
PERIOD_FORMS = "YYYY, YYYY-YYYY, YYYYH1, YYYYQ3, YYYYM03, YYYYM01-M09 or 'current'"
PERIOD_MAX_LEN = 60
#: integers are stored in 64-bit columns (PostgreSQL BIGINT range; SQLite INTEGER)
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def check_location(code: Any, where: str = "location") -> str:
    """ISO 3166-1 alpha-3 country or ISO 3166-2 subdivision code (checked with pycountry)."""
    import pycountry

    if not isinstance(code, str):
        raise DataValidationError(f"`{where}` must be an ISO 3166 code such as 'BLR' or 'RU-CHE'; found {code!r}")
    c = code.strip().upper()
    if _COUNTRY.match(c) and pycountry.countries.get(alpha_3=c) is not None:
        return c
    if _REGION.match(c) and pycountry.subdivisions.get(code=c) is not None:
        return c
    raise DataValidationError(
        f"`{where}` must be an ISO 3166-1 alpha-3 country ('BLR') or ISO 3166-2 region ('RU-CHE'); found {code!r}"
    )


def check_hs(code: Any, where: str = "products") -> str:
    """An HS code: 2, 4, 6, 8 or 10 digits as a string."""
    c = str(code).strip() if isinstance(code, str | int) else None
    if c is None or not _HS.match(c):
        raise DataValidationError(f"`{where}` must hold HS codes of 2, 4, 6, 8 or 10 digits; found {code!r}")
    return c


def _str(value: Any, where: str, *, required: bool = False, max_len: int = 300) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise DataValidationError(f"`{where}` is required and must be a non-empty string; found {value!r}")
        return None
    if not isinstance(value, str):
        raise DataValidationError(f"`{where}` must be a string; found {type(value).__name__} {value!r}")
    if len(value) > max_len:
        raise DataValidationError(f"`{where}` must be at most {max_len} characters; found {len(value)}")
    if "\x00" in value:
        raise DataValidationError(f"`{where}` must not contain NUL characters; found one at position {value.index(chr(0))}")
    return value.strip()


def _int(value: Any, where: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DataValidationError(f"`{where}` must be an integer; found {value!r}") from None
    if not INT64_MIN <= number <= INT64_MAX:
        raise DataValidationError(f"`{where}` must be a 64-bit integer (at most {INT64_MAX}); found {value!r}")
    return number


def _float(value: Any, where: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DataValidationError(f"`{where}` must be a number; found {value!r}") from None
    if not math.isfinite(number):
        raise DataValidationError(f"`{where}` must be a finite number; found {value!r}")
    return number


def check_period(value: Any, where: str = "period") -> str:
    """A reported figure's period: one of :data:`PERIOD_FORMS` (normalised: upper case, 'current')
    or, for what those cannot say ("within five years of 2025"), free text of at most
    :data:`PERIOD_MAX_LEN` characters, which then has no :func:`period_end`."""
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if not text or len(text) > PERIOD_MAX_LEN or not text.isprintable():
        raise DataValidationError(
            f"`{where}` must be a period such as {PERIOD_FORMS} (or a short text of at most "
            f"{PERIOD_MAX_LEN} characters); found {value!r}")
    if text.lower() == "current":
        return "current"
    match = _PERIOD.match(text.upper())
    if match is None:
        return text
    g = match.groupdict()
    if (g["to_year"] and g["to_year"] <= g["year"]) or (g["to_month"] and g["to_month"] <= g["month"]):
        raise DataValidationError(f"`{where}` must be a span that runs forward (2021-2025, 2025M01-M09); found {value!r}")
    return text.upper()


def period_end(period: str) -> dt.date | None:
    """The last day of a checked period (``None`` for 'current', a stock at the source's date,
    and for free-text periods)."""
    match = _PERIOD.match(period)
    if match is None:
        return None
    g = match.groupdict()
    year = int(g["to_year"] or g["year"])
    last_month = 12
    if g["half"]:
        last_month = 6 * int(g["half"])
    elif g["quarter"]:
        last_month = 3 * int(g["quarter"])
    elif g["month"]:
        last_month = int(g["to_month"] or g["month"])
    following = dt.date(year + (last_month == 12), last_month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _date(value: Any, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DataValidationError(f"`{where}` must be a date YYYY-MM-DD; found {value!r}") from None


def _choice(value: Any, where: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise DataValidationError(f"`{where}` must be one of {', '.join(choices)}; found {value!r}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):  # CSV cells: ';'-separated
        return [v.strip() for v in value.split(";") if v.strip()]
    if not isinstance(value, list | tuple):
        raise DataValidationError(f"`{where}` must be a list; found {type(value).__name__}")
    return list(value)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# --- per-entity specs -------------------------------------------------------------------------
@dataclass(frozen=True)
class Spec:
    """How one entity maps between model and dict."""

    name: str
    model: type
    scalars: dict[str, Callable[[Any, str], Any]]
    required: tuple[str, ...]
    to_children: Callable[[Any], dict[str, Any]]
    set_children: Callable[[Any, dict[str, Any]], None]


def _party(p: Any, where: str) -> dict[str, Any]:
    if not isinstance(p, dict):
        p = {"location": p}
    loc = check_location(p["location"], where) if p.get("location") else None
    ent = _int(p.get("enterprise_id"), f"{where}.enterprise_id")
    if loc is None and ent is None:
        raise DataValidationError(f"`{where}` needs a location or an enterprise_id; found {p!r}")
    return {"location": loc, "enterprise_id": ent}


def _enterprise_children(e: m.Enterprise) -> dict[str, Any]:
    return {
        "aliases": [a.alias for a in e.aliases],
        "products": [p.hs_code for p in e.products if p.role == "product"],
        "inputs": [p.hs_code for p in e.products if p.role == "input"],
        "sources": [{"field": s.field, "url": s.url} for s in e.sources],
    }


def _set_enterprise_children(e: m.Enterprise, data: dict[str, Any]) -> None:
    if "aliases" in data:
        aliases = [_str(a, "aliases") for a in _list(data["aliases"], "aliases")]
        e.aliases = [m.EnterpriseAlias(alias=a) for a in dict.fromkeys(a for a in aliases if a)]
    if "products" in data or "inputs" in data:
        # The list replaces the stored one. Codes that stay keep their rows (deleting and
        # inserting them again would break the (enterprise, code, role) unique key: the unit of
        # work inserts before it deletes); the order is then: codes kept, in their stored order,
        # then new codes in the order given (the order a later read returns, by row id).
        rows = list(e.products)
        for role, key in (("product", "products"), ("input", "inputs")):
            if key in data:
                codes = dict.fromkeys(check_hs(c, key) for c in _list(data[key], key))
                kept = [p for p in rows if p.role == role and p.hs_code in codes]
                have = {p.hs_code for p in kept}
                rows = [p for p in rows if p.role != role] + kept + [
                    m.EnterpriseProduct(hs_code=c, role=role) for c in codes if c not in have]
        e.products = rows
    if "sources" in data:
        out = []
        for s in _list(data["sources"], "sources"):
            s = s if isinstance(s, dict) else {"field": "*", "url": s}
            out.append(m.EnterpriseSource(field=_str(s.get("field"), "sources.field", max_len=40) or "*",
                                          url=_str(s.get("url"), "sources.url", required=True, max_len=500)))
        e.sources = out
    from tradecoop.registry.search import search_key

    e.search_key = search_key([e.name_en, e.name_ru, e.name_be, *[a.alias for a in e.aliases]])


def _agreement_children(a: m.Agreement) -> dict[str, Any]:
    return {"parties": [{"location": p.location, "enterprise_id": p.enterprise_id} for p in a.parties]}


def _set_agreement_children(a: m.Agreement, data: dict[str, Any]) -> None:
    if "parties" in data:
        a.parties = [m.AgreementParty(**_party(p, "parties")) for p in _list(data["parties"], "parties")]


def _project_children(p: m.Project) -> dict[str, Any]:
    return {
        "parties": [{"location": x.location, "enterprise_id": x.enterprise_id} for x in p.parties],
        "products": [x.hs_code for x in p.products],
        "milestones": [{"due_date": _iso(x.due_date), "done_date": _iso(x.done_date), "note": x.note} for x in p.milestones],
    }


def _set_project_children(p: m.Project, data: dict[str, Any]) -> None:
    if "parties" in data:
        p.parties = [m.ProjectParty(**_party(x, "parties")) for x in _list(data["parties"], "parties")]
    if "products" in data:
        p.products = [m.ProjectProduct(hs_code=check_hs(c)) for c in dict.fromkeys(_list(data["products"], "products"))]
    if "milestones" in data:
        out = []
        for x in _list(data["milestones"], "milestones"):
            if not isinstance(x, dict):
                raise DataValidationError(f"`milestones` items must be objects with due_date, done_date, note; found {x!r}")
            out.append(m.Milestone(due_date=_date(x.get("due_date"), "milestones.due_date"),
                                   done_date=_date(x.get("done_date"), "milestones.done_date"),
                                   note=_str(x.get("note"), "milestones.note", max_len=5000)))
        p.milestones = out


def _event_children(e: m.Event) -> dict[str, Any]:
    return {
        "participants": [{"name": x.name, "location": x.location, "enterprise_id": x.enterprise_id} for x in e.participants],
        "agreement_ids": [x.agreement_id for x in e.links if x.agreement_id is not None],
        "project_ids": [x.project_id for x in e.links if x.project_id is not None],
    }


def _set_event_children(e: m.Event, data: dict[str, Any]) -> None:
    if "participants" in data:
        out = []
        for x in _list(data["participants"], "participants"):
            x = x if isinstance(x, dict) else {"name": x}
            out.append(m.EventParticipant(
                name=_str(x.get("name"), "participants.name"),
                location=check_location(x["location"], "participants.location") if x.get("location") else None,
                enterprise_id=_int(x.get("enterprise_id"), "participants.enterprise_id")))
        e.participants = out
    if "agreement_ids" in data or "project_ids" in data:
        current = _event_children(e)
        agr = [_int(i, "agreement_ids") for i in _list(data.get("agreement_ids", current["agreement_ids"]), "agreement_ids")]
        prj = [_int(i, "project_ids") for i in _list(data.get("project_ids", current["project_ids"]), "project_ids")]
        e.links = [m.EventLink(agreement_id=i) for i in agr] + [m.EventLink(project_id=i) for i in prj]


def _figure_children(f: m.ReportedFigure) -> dict[str, Any]:
    return {"parties": [{"location": p.location, "enterprise_id": p.enterprise_id} for p in f.parties]}


def _set_figure_children(f: m.ReportedFigure, data: dict[str, Any]) -> None:
    if "parties" in data:
        parties = [_party(p, "parties") for p in _list(data["parties"], "parties")]
        if not parties:
            raise DataValidationError("`parties` of a figure must name at least one location or enterprise; found none")
        unique = list({(p["location"], p["enterprise_id"]): p for p in parties}.values())
        f.parties = [m.FigureParty(**p) for p in unique]
    if not (f.source_url or f.source_publisher):
        raise DataValidationError("a figure needs its source: `source_url` or `source_publisher`; found neither")


def _check_metric(value: Any, where: str) -> str:
    text = value.strip().lower() if isinstance(value, str) else None
    if not text or not _METRIC.match(text):
        raise DataValidationError(
            f"`{where}` must be a lower-case metric name of letters, digits and underscores such as "
            f"'turnover' or 'localisation_share'; found {value!r}")
    return text


def _check_value(value: Any, where: str) -> float:
    if isinstance(value, bool):
        raise DataValidationError(f"`{where}` must be a number; found {value!r}")
    number = _float(value, where)
    if number is None:
        raise DataValidationError(f"`{where}` is required and must be a finite number; found {value!r}")
    return number


def _s(max_len: int = 300) -> Callable[[Any, str], Any]:
    return lambda v, w: _str(v, w, max_len=max_len)


SPECS: dict[str, Spec] = {
    "enterprise": Spec(
        "enterprise", m.Enterprise,
        {"name_en": _s(), "name_ru": _s(), "name_be": _s(), "location": check_location, "city": _s(120),
         "nace": lambda v, w: _check_nace(v, w), "size_band": _s(40), "description_en": _s(5000),
         "description_ru": _s(5000), "website": _s()},
        ("name_en", "location"), _enterprise_children, _set_enterprise_children,
    ),
    "agreement": Spec(
        "agreement", m.Agreement,
        {"title": _s(), "kind": lambda v, w: _choice(v, w, m.AGREEMENT_KINDS), "signed_date": _date,
         "in_force_date": _date, "signed_year": _int, "in_force_year": _int, "status": _s(40),
         "document_ref": _s(), "source": _s(500)},
        ("title", "kind"), _agreement_children, _set_agreement_children,
    ),
    "project": Spec(
        "project", m.Project,
        {"title": _s(), "kind": lambda v, w: _choice(v, w, m.PROJECT_KINDS), "investment_amount": _float,
         "investment_currency": _s(3), "jobs": _int, "site": _s(), "stage": _s(40), "agreement_id": _int},
        ("title", "kind"), _project_children, _set_project_children,
    ),
    "event": Spec(
        "event", m.Event,
        {"title": _s(), "kind": lambda v, w: _choice(v, w, m.EVENT_KINDS), "date": _date, "place": _s(),
         "outcomes": _s(10000)},
        ("title", "kind"), _event_children, _set_event_children,
    ),
    "figure": Spec(
        "figure", m.ReportedFigure,
        {"metric": _check_metric, "value": _check_value, "unit": lambda v, w: _str(v, w, required=True, max_len=20),
         "period": check_period, "reporter": _s(), "source_publisher": _s(), "source_url": _s(500),
         "source_date": _date, "note": _s(5000)},
        ("metric", "value", "unit", "period", "parties"), _figure_children, _set_figure_children,
    ),
}


def _check_nace(value: Any, where: str) -> str | None:
    v = _str(value, where, max_len=10)
    if v is not None and not _NACE.match(v):
        raise DataValidationError(f"`{where}` must be a NACE Rev.2 code such as '28' or '28.3'; found {value!r}")
    return v


def spec_of(entity: str) -> Spec:
    return SPECS[entity]


def to_dict(obj: Any) -> dict[str, Any]:
    """Public JSON-ready dict of a registry record (dates as ISO strings)."""
    spec = next(s for s in SPECS.values() if isinstance(obj, s.model))
    out: dict[str, Any] = {"id": obj.id, "version": obj.version}
    out.update({k: _iso(getattr(obj, k)) for k in spec.scalars})
    out.update(spec.to_children(obj))
    if spec.name == "enterprise":
        return {k: out[k] for k in ENTERPRISE_FIELDS}
    return out


def apply(obj: Any, data: dict[str, Any], *, creating: bool) -> None:
    """Validate ``data`` and write it onto ``obj`` (unknown keys are an error)."""
    spec = next(s for s in SPECS.values() if isinstance(obj, s.model))
    allowed = set(spec.scalars) | _child_keys(spec)
    unknown = sorted(set(data) - allowed - {"id", "version"})
    if unknown:
        raise DataValidationError(f"unknown {spec.name} field(s) {', '.join(unknown)}; expected some of {', '.join(sorted(allowed))}")
    if creating:
        missing = [k for k in spec.required if data.get(k) in (None, "")]
        if missing:
            raise DataValidationError(f"{spec.name} needs {', '.join(missing)}; found none")
    for key, check in spec.scalars.items():
        if key in data:
            value = check(data[key], key)
            if key in spec.required and value is None:
                raise DataValidationError(f"`{key}` of a {spec.name} cannot be empty")
            setattr(obj, key, value)
    spec.set_children(obj, data)


def _child_keys(spec: Spec) -> set[str]:
    return {
        "enterprise": {"aliases", "products", "inputs", "sources"},
        "agreement": {"parties"},
        "project": {"parties", "products", "milestones"},
        "event": {"participants", "agreement_ids", "project_ids"},
        "figure": {"parties"},
    }[spec.name]
