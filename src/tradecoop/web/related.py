"""Records related to an enterprise, project or agreement (read-only queries on the registry's
models): the agreements and projects an enterprise is a party to, the events that link a project
or an agreement, and the projects under an agreement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tradecoop.registry import models as m


def _rows(session: Any, stmt: Any) -> list[dict[str, Any]]:
    return [{"id": r.id, "title": r.title, "kind": r.kind} for r in session.execute(stmt)]


def for_enterprise(session: Any, enterprise_id: int) -> dict[str, list[dict[str, Any]]]:
    """The agreements, projects and events an enterprise is a party to or takes part in."""
    A, P, E = m.Agreement, m.Project, m.Event
    agreements = select(A.id, A.title, A.kind).where(
        A.id.in_(select(m.AgreementParty.agreement_id).where(m.AgreementParty.enterprise_id == enterprise_id)))
    projects = select(P.id, P.title, P.kind).where(
        P.id.in_(select(m.ProjectParty.project_id).where(m.ProjectParty.enterprise_id == enterprise_id)))
    events = select(E.id, E.title, E.kind).where(
        E.id.in_(select(m.EventParticipant.event_id).where(m.EventParticipant.enterprise_id == enterprise_id)))
    return {"agreements": _rows(session, agreements.order_by(A.id)), "projects": _rows(session, projects.order_by(P.id)),
            "events": _rows(session, events.order_by(E.id))}


def for_record(session: Any, entity: str, record_id: int) -> dict[str, list[dict[str, Any]]]:
    """Events linked to a project or an agreement (with their dates), and an agreement's projects."""
    E, L, P = m.Event, m.EventLink, m.Project
    column = L.project_id if entity == "project" else L.agreement_id
    events = [{"id": r.id, "title": r.title, "kind": r.kind, "date": r.date.isoformat() if r.date else "",
               "place": r.place or ""}
              for r in session.execute(select(E.id, E.title, E.kind, E.date, E.place)
                                       .where(E.id.in_(select(L.event_id).where(column == record_id)))
                                       .order_by(E.date, E.id))]
    projects = (_rows(session, select(P.id, P.title, P.kind).where(P.agreement_id == record_id).order_by(P.id))
                if entity == "agreement" else [])
    return {"events": events, "projects": projects}
