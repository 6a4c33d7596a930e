"""Schemas of agreements, projects and events."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from tradecoop.api.schemas.common import HsCode, Location, Page, Party, Strict, Text300, Versioned

AgreementKind = Literal["intergovernmental", "inter-regional", "commercial", "joint venture", "memorandum"]
ProjectKind = Literal["joint venture", "co-production", "supply contract", "investment"]
EventKind = Literal["visit", "meeting", "forum"]


class AgreementCreate(Strict):
    title: Text300 = Field(min_length=1)
    kind: AgreementKind
    signed_date: dt.date | None = None
    in_force_date: dt.date | None = None
    signed_year: int | None = None
    in_force_year: int | None = None
    status: str | None = Field(None, max_length=40)
    document_ref: Text300 | None = None
    source: str | None = Field(None, max_length=500)
    parties: list[Party] = Field(default_factory=list)


class AgreementUpdate(Versioned):
    title: Text300 | None = None
    kind: AgreementKind | None = None
    signed_date: dt.date | None = None
    in_force_date: dt.date | None = None
    signed_year: int | None = None
    in_force_year: int | None = None
    status: str | None = Field(None, max_length=40)
    document_ref: Text300 | None = None
    source: str | None = Field(None, max_length=500)
    parties: list[Party] | None = None


class AgreementRead(AgreementCreate):
    id: int
    version: int
    title: str
    kind: str


class AgreementPage(Page[AgreementRead]):
    pass


class Milestone(Strict):
    due_date: dt.date | None = None
    done_date: dt.date | None = None
    note: str | None = Field(None, max_length=5000)


class ProjectCreate(Strict):
    title: Text300 = Field(min_length=1)
    kind: ProjectKind
    investment_amount: float | None = None
    investment_currency: str | None = Field(None, min_length=3, max_length=3)
    jobs: int | None = None
    site: Text300 | None = None
    stage: str | None = Field(None, max_length=40)
    agreement_id: int | None = None
    parties: list[Party] = Field(default_factory=list)
    products: list[HsCode] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)


class ProjectUpdate(Versioned):
    title: Text300 | None = None
    kind: ProjectKind | None = None
    investment_amount: float | None = None
    investment_currency: str | None = Field(None, min_length=3, max_length=3)
    jobs: int | None = None
    site: Text300 | None = None
    stage: str | None = Field(None, max_length=40)
    agreement_id: int | None = None
    parties: list[Party] | None = None
    products: list[HsCode] | None = None
    milestones: list[Milestone] | None = None


class ProjectRead(ProjectCreate):
    id: int
    version: int
    title: str
    kind: str


class ProjectPage(Page[ProjectRead]):
    pass


class Participant(Strict):
    name: Text300 | None = None
    location: Location | None = None
    enterprise_id: int | None = None


class EventCreate(Strict):
    title: Text300 = Field(min_length=1)
    kind: EventKind
    date: dt.date | None = None
    place: Text300 | None = None
    outcomes: str | None = Field(None, max_length=10000)
    participants: list[Participant] = Field(default_factory=list)
    agreement_ids: list[int] = Field(default_factory=list)
    project_ids: list[int] = Field(default_factory=list)


class EventUpdate(Versioned):
    title: Text300 | None = None
    kind: EventKind | None = None
    date: dt.date | None = None
    place: Text300 | None = None
    outcomes: str | None = Field(None, max_length=10000)
    participants: list[Participant] | None = None
    agreement_ids: list[int] | None = None
    project_ids: list[int] | None = None


class EventRead(EventCreate):
    id: int
    version: int
    title: str
    kind: str


class EventPage(Page[EventRead]):
    pass


class UserCreate(Strict):
    name: str = Field(min_length=1, max_length=120)
    role: Literal["viewer", "editor", "admin"] = "viewer"


class UserRead(BaseModel):
    id: int
    name: str
    role: str
    active: bool
    version: int


class UserCreated(UserRead):
    token: str = Field(description="shown only in this response; store it safely")
