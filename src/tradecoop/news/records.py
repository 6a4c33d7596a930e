"""Registry records made from accepted news facts (other than figures, see review.py).

* ``meeting`` / ``visit`` -> an **event** (kind meeting or visit; date when the fact has a full
  date; participants: the fact's places, enterprises and persons; outcomes: the evidence and a
  "Sources:" line). The same event reported by another outlet (same kind, same full date, a
  place in a shared country) is not created twice: its source is added to the existing event's
  "Sources:" line.
* ``agreement`` -> an **agreement** (memorandum / commercial / inter-regional /
  intergovernmental from the wording and the parties; signed date or year; status ``signed``
  for a fact, ``planned`` otherwise; source the document's URL).
* ``joint_venture``, ``project``, ``investment`` without a figure, ``supply``, ``purchase`` -> a
  **project** (joint venture, co-production, investment, supply contract; stage from polarity:
  ``reported``, ``planned``, ``proposed``; products; the amount of money named as investment).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

TITLE_CHARS = 120
_STAGE = {"fact": "reported", "plan": "planned", "intent": "proposed"}
_PROJECT_KIND = {"joint_venture": "joint venture", "project": "co-production", "investment": "investment",
                 "supply": "supply contract", "purchase": "supply contract"}
EVENT_FACTS = ("meeting", "visit")
AGREEMENT_FACTS = ("agreement",)
PROJECT_FACTS = tuple(_PROJECT_KIND)
_MEMORANDUM = re.compile(r"меморандум|memorand|мемарандум", re.IGNORECASE)
_SOURCES = "Sources: "


def _full_date(value: str | None) -> dt.date | None:
    if value and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return dt.date.fromisoformat(value)
    return None


def _title(kind: str, fact) -> str:
    text = " ".join(fact.evidence.split())
    if len(text) > TITLE_CHARS:
        text = text[:TITLE_CHARS].rsplit(" ", 1)[0] + " ..."
    return f"{kind}: {text}"[:300]


def _source(doc) -> str:
    where = doc.url or doc.publisher or (f"news file {doc.source_path}" if doc.source_path else "news")
    return f"{where} ({doc.published.isoformat()})" if doc.published else where


def _enterprises(session: Session, fact) -> list[int]:
    from sqlalchemy import select

    from tradecoop.registry.models import Enterprise
    from tradecoop.registry.seed import enterprise_rows

    seed = {f"enterprise:{r['key']}": r for r in enterprise_rows()}
    out = []
    for ref in json.loads(fact.organizations):
        row = seed.get(ref)
        if row is not None:
            found = session.execute(select(Enterprise.id).where(
                Enterprise.name_en == row["name_en"], Enterprise.location == row["location"])).scalar()
            if found is not None and found not in out:
                out.append(found)
    return out


def _parties(session: Session, fact) -> list[dict[str, Any]]:
    return ([{"location": c} for c in json.loads(fact.locations)]
            + [{"enterprise_id": i} for i in _enterprises(session, fact)])


def _same_event(session: Session, kind: str, date: dt.date | None, places: set[str]):
    from sqlalchemy import select

    from tradecoop.registry.models import Event

    if date is None or not places:
        return None
    countries = _countries(places)
    for event in session.scalars(select(Event).where(Event.kind == kind, Event.date == date)):
        if countries & _countries({p.location for p in event.participants if p.location}):
            return event
    return None


def _countries(places: set[str]) -> set[str]:
    """The countries of places ("Минск" and "Беларусь" both name Belarus)."""
    from tradecoop.data.nomenclature.locations import parent_country

    return {parent_country(p) for p in places}


def create_record(session: Session, service, fact, doc) -> tuple[str, int]:
    """Create (or, for an event already reported, update) the registry record of an accepted fact;
    returns (entity, id)."""
    if fact.type in EVENT_FACTS:
        date = _full_date(fact.date)
        places = set(json.loads(fact.locations))
        existing = _same_event(session, fact.type, date, places)
        if existing is not None:
            outcomes = existing.outcomes or ""
            source = _source(doc)
            if source not in outcomes:
                lines = outcomes.splitlines()
                if lines and lines[-1].startswith(_SOURCES):
                    lines[-1] += f"; {source}"
                else:
                    lines.append(_SOURCES + source)
                service.update("event", existing.id, {"outcomes": "\n".join(lines)}, version=existing.version)
            return "event", existing.id
        participants = ([{"location": c} for c in sorted(places)]
                        + [{"enterprise_id": i} for i in _enterprises(session, fact)]
                        + [{"name": n} for n in json.loads(fact.persons)])
        record = service.create("event", {
            "title": _title(fact.type.capitalize(), fact), "kind": fact.type, "date": date,
            "outcomes": f"{fact.evidence}\n{_SOURCES}{_source(doc)}", "participants": participants})
        return "event", record.id
    if fact.type in AGREEMENT_FACTS:
        locations = json.loads(fact.locations)
        enterprises = _enterprises(session, fact)
        kind = ("memorandum" if _MEMORANDUM.search(fact.evidence) else "commercial" if enterprises
                else "inter-regional" if any("-" in c for c in locations) else "intergovernmental")
        date = _full_date(fact.date)
        year = int(fact.date[:4]) if fact.date and fact.date[:4].isdigit() else None
        record = service.create("agreement", {
            "title": _title("Agreement", fact), "kind": kind, "signed_date": date, "signed_year": year,
            "status": "signed" if fact.polarity == "fact" else "planned", "source": (doc.url or _source(doc))[:500],
            "parties": _parties(session, fact)})
        return "agreement", record.id
    data: dict[str, Any] = {
        "title": _title(_PROJECT_KIND[fact.type].capitalize(), fact), "kind": _PROJECT_KIND[fact.type],
        "stage": _STAGE.get(fact.polarity), "parties": _parties(session, fact),
        "products": json.loads(fact.products)}
    if fact.value is not None and fact.unit in ("USD", "RUB", "BYN", "EUR"):
        data["investment_amount"], data["investment_currency"] = fact.value, fact.unit
    record = service.create("project", data)
    return "project", record.id
