"""Review of extracted facts: list, edit, accept, reject (each audited in the registry's log).

Accepting a ``trade_figure``, ``target`` or ``investment`` fact with a value creates a registry
*reported figure* (``RegistryService.create("figure", ...)``, audited, raising the registry
revision) with the fact's locations and resolved enterprises as parties and the document as its
source (URL, publisher, date); the fact then points at it. Reports are kept as reported: the same
figure from another outlet is another record, and conflicting values stay side by side. Meetings
and visits become events (one event for several outlets), agreements agreements, joint ventures,
projects, supplies and purchases projects (:mod:`tradecoop.news.records`); ``other`` facts are
only marked accepted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

from tradecoop.errors import ConflictError, DataValidationError, NotFoundError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

FIGURE_FACTS = ("trade_figure", "target", "investment")
FACT_TYPES = ("meeting", "visit", "agreement", "joint_venture", "project", "supply", "purchase",
              "trade_figure", "target", "investment", "other")
POLARITIES = ("fact", "plan", "intent")
UNITS = ("USD", "RUB", "BYN", "EUR", "%", "units")
EDITABLE = ("type", "value", "unit", "period", "date", "polarity", "locations")


def fact_dict(fact, doc) -> dict[str, Any]:
    return {"id": fact.id, "status": fact.status, "type": fact.type, "polarity": fact.polarity,
            "date": fact.date, "value": fact.value, "unit": fact.unit, "period": fact.period,
            "locations": json.loads(fact.locations), "organizations": json.loads(fact.organizations),
            "persons": json.loads(fact.persons), "products": json.loads(fact.products),
            "evidence": fact.evidence, "document_id": doc.id, "url": doc.url, "publisher": doc.publisher,
            "published": doc.published.isoformat() if doc.published else None, "title": doc.title,
            "record": f"{fact.record_entity}:{fact.record_id}" if fact.record_entity else None}


def list_facts(session: Session, *, status: str | None = "pending", fact_type: str | None = None,
               limit: int = 100) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from tradecoop.registry.news_models import NewsDocumentRow as D
    from tradecoop.registry.news_models import NewsFactRow as F

    q = select(F, D).join(D, F.document_id == D.id).order_by(F.id)
    if status:
        q = q.where(F.status == status)
    if fact_type:
        q = q.where(F.type == fact_type)
    return [fact_dict(f, d) for f, d in session.execute(q.limit(limit)).all()]


def _get(session: Session, fact_id: int):
    from tradecoop.registry.news_models import NewsDocumentRow, NewsFactRow

    fact = session.get(NewsFactRow, fact_id)
    if fact is None:
        raise NotFoundError(f"news fact {fact_id} does not exist (see `tradecoop news review list`)")
    return fact, session.get(NewsDocumentRow, fact.document_id)


def _audit(session: Session, actor: str, action: str, fact_id: int, before: Any, after: Any) -> None:
    from tradecoop.registry.models import AuditLog

    session.add(AuditLog(actor=actor, action=action, entity="news_fact", entity_id=fact_id,
                         before=before, after=after))


def edit(session: Session, fact_id: int, changes: dict[str, Any], *, actor: str = "cli") -> dict[str, Any]:
    """Correct a fact before accepting it; status becomes ``edited``."""
    fact, doc = _get(session, fact_id)
    if fact.status == "accepted":
        raise ConflictError(f"news fact {fact_id} is already accepted; edit the registry record instead")
    before = fact_dict(fact, doc)
    for key, value in changes.items():
        if key not in EDITABLE:
            raise DataValidationError(f"cannot edit {key!r} of a fact; editable: {', '.join(EDITABLE)}")
        if key == "type" and value not in FACT_TYPES:
            raise DataValidationError(f"type must be one of {', '.join(FACT_TYPES)}; found {value!r}")
        if key == "polarity" and value not in POLARITIES:
            raise DataValidationError(f"polarity must be one of {', '.join(POLARITIES)}; found {value!r}")
        if key == "unit" and value is not None and value not in UNITS:
            raise DataValidationError(f"unit must be one of {', '.join(UNITS)}; found {value!r}")
        if key == "locations":
            from tradecoop.data.nomenclature.locations import resolve_location

            value = json.dumps([resolve_location(v) for v in value])
        setattr(fact, key, value)
    fact.status = "edited"
    fact.reviewed_by, fact.reviewed_at = actor, dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _audit(session, actor, "edit", fact_id, before, fact_dict(fact, doc))
    session.commit()
    return fact_dict(fact, doc)


def reject(session: Session, fact_id: int, *, actor: str = "cli", note: str | None = None) -> dict[str, Any]:
    fact, doc = _get(session, fact_id)
    if fact.status == "accepted":
        raise ConflictError(f"news fact {fact_id} is already accepted; delete the registry record instead")
    before = fact_dict(fact, doc)
    fact.status, fact.note = "rejected", note
    fact.reviewed_by, fact.reviewed_at = actor, dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _audit(session, actor, "reject", fact_id, before, fact_dict(fact, doc))
    session.commit()
    return fact_dict(fact, doc)


def _metric(fact) -> str:
    if fact.type == "investment":
        return "investment"
    growth = fact.unit == "%"
    if fact.type == "target":
        return "turnover_growth_target" if growth else "turnover_target"
    return "turnover_growth" if growth else "turnover"


def _parties(session: Session, fact) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from tradecoop.registry.models import Enterprise
    from tradecoop.registry.seed import enterprise_rows

    parties: list[dict[str, Any]] = [{"location": code} for code in json.loads(fact.locations)]
    seed = {f"enterprise:{r['key']}": r for r in enterprise_rows()}
    for ref in json.loads(fact.organizations):
        row = seed.get(ref)
        if row is None:
            continue
        found = session.execute(select(Enterprise.id).where(
            Enterprise.name_en == row["name_en"], Enterprise.location == row["location"])).scalar()
        if found is not None:
            parties.append({"enterprise_id": found})
    return parties


_ATTRIBUTION = re.compile(r"заяви|сообщи|отмети|сказа|said|told|stated|заявіў|паведаміў|адзначыў|сказаў",
                          re.IGNORECASE)
#: how far after the evidence an attribution ("Об этом ... заявил") is looked for
ATTRIBUTION_WINDOW = 200


def _reporter(fact, doc) -> str | None:
    """Who stated the figure: the first person with a role in the evidence sentence, or in an
    attribution right after it ("Об этом Президент ... заявил", "..., the President said")."""
    for e in json.loads(doc.entities or "[]"):
        if e.get("type") != "person" or not e.get("role"):
            continue
        start = e.get("start", -1)
        inside = fact.start_char <= start < fact.end_char
        after = (fact.end_char <= start < fact.end_char + ATTRIBUTION_WINDOW
                 and _ATTRIBUTION.search(doc.text[fact.end_char:start + ATTRIBUTION_WINDOW]))
        if inside or after:
            where = f" of {e['of']}" if e.get("of") else ""
            return f"{e['role'].capitalize()}{where} ({e['name']})"
    return None


def figure_record(session: Session, fact, doc) -> dict[str, Any]:
    """The registry figure an accepted figure fact becomes (``RegistryService.create('figure')``)."""
    if fact.value is None or not fact.unit:
        raise DataValidationError(f"news fact {fact.id} has no value or unit; edit it first (`value`, `unit`)")
    parties = _parties(session, fact)
    if not parties:
        raise DataValidationError(
            f"news fact {fact.id} names no location or registered enterprise; edit it first (`locations`)")
    period = fact.period or (fact.date[:4] if fact.date and fact.date[:1].isdigit() else None) or (
        str(doc.published.year) if doc.published else "current")
    if period == "year":  # "a year" / "в год": the current annual level, as the registry says it
        period = "current"
    return {"metric": _metric(fact), "value": fact.value, "unit": fact.unit, "period": period,
            "parties": parties, "source_url": doc.url, "reporter": _reporter(fact, doc),
            "source_publisher": doc.publisher or (f"news file {doc.source_path}" if doc.source_path else "news"),
            "source_date": doc.published.isoformat() if doc.published else None,
            "note": f"{fact.polarity}; from news fact {fact.id}: {fact.evidence}"[:2000]}


def accept(session: Session, fact_id: int, *, actor: str = "cli") -> dict[str, Any]:
    """Accept a fact; a figure fact becomes a registry reported figure (see the module docstring)."""
    from tradecoop.registry.service import RegistryService

    fact, doc = _get(session, fact_id)
    if fact.status == "accepted":
        raise ConflictError(f"news fact {fact_id} is already accepted ({fact.record_entity or 'no'} record)")
    if fact.status == "rejected":
        raise ConflictError(f"news fact {fact_id} was rejected; it cannot be accepted")
    before = fact_dict(fact, doc)
    service = RegistryService(session, actor, autocommit=False)
    if fact.type in FIGURE_FACTS and (fact.type != "investment" or fact.value is not None):
        record = service.create("figure", figure_record(session, fact, doc))
        fact.record_entity, fact.record_id = "figure", record.id
    elif fact.type != "other":
        from tradecoop.news.records import create_record

        fact.record_entity, fact.record_id = create_record(session, service, fact, doc)
    fact.status = "accepted"
    fact.reviewed_by, fact.reviewed_at = actor, dt.datetime.now(dt.UTC).replace(tzinfo=None)
    _audit(session, actor, "accept", fact_id, before, fact_dict(fact, doc))
    session.commit()
    return fact_dict(fact, doc)
