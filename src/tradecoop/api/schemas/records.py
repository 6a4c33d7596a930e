"""Schemas of agreements, projects and events."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from tradecoop.api.schemas.common import (
    MAX_CODES,
    MAX_ITEMS,
    HsCode,
    Location,
    Page,
    Party,
    Strict,
    Text300,
    Versioned,
)

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
    parties: list[Party] = Field(default_factory=list, max_length=MAX_ITEMS)


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
    parties: list[Party] | None = Field(None, max_length=MAX_ITEMS)


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
    parties: list[Party] = Field(default_factory=list, max_length=MAX_ITEMS)
    products: list[HsCode] = Field(default_factory=list, max_length=MAX_CODES)
    milestones: list[Milestone] = Field(default_factory=list, max_length=MAX_ITEMS)


class ProjectUpdate(Versioned):
    title: Text300 | None = None
    kind: ProjectKind | None = None
    investment_amount: float | None = None
    investment_currency: str | None = Field(None, min_length=3, max_length=3)
    jobs: int | None = None
    site: Text300 | None = None
    stage: str | None = Field(None, max_length=40)
    agreement_id: int | None = None
    parties: list[Party] | None = Field(None, max_length=MAX_ITEMS)
    products: list[HsCode] | None = Field(None, max_length=MAX_CODES)
    milestones: list[Milestone] | None = Field(None, max_length=MAX_ITEMS)


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
    participants: list[Participant] = Field(default_factory=list, max_length=MAX_ITEMS)
    agreement_ids: list[int] = Field(default_factory=list, max_length=MAX_ITEMS)
    project_ids: list[int] = Field(default_factory=list, max_length=MAX_ITEMS)


class EventUpdate(Versioned):
    title: Text300 | None = None
    kind: EventKind | None = None
    date: dt.date | None = None
    place: Text300 | None = None
    outcomes: str | None = Field(None, max_length=10000)
    participants: list[Participant] | None = Field(None, max_length=MAX_ITEMS)
    agreement_ids: list[int] | None = Field(None, max_length=MAX_ITEMS)
    project_ids: list[int] | None = Field(None, max_length=MAX_ITEMS)


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
    expires_at: dt.datetime | None = Field(None, description="UTC; the token fails from then on (none: no expiry)")


class UserUpdate(Versioned):
    active: bool | None = Field(None, description="false: the user's token fails at once")
    role: Literal["viewer", "editor", "admin"] | None = None


class TokenReissue(Strict):
    version: int | None = Field(None, description="the version you read (stale -> 409); optional")
    expires_at: dt.datetime | None = Field(None, description="UTC expiry of the new token (none: no expiry)")


class UserRead(BaseModel):
    id: int
    name: str
    role: str
    active: bool
    token_expires_at: str | None = None
    version: int


class AuditEntry(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int | None
    before: dict | None
    after: dict | None


class AuditPage(Page[AuditEntry]):
    pass


class UserCreated(UserRead):
    token: str = Field(description="shown only in this response; store it safely")


class FigureCreate(Strict):
    metric: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z][A-Za-z0-9_]*$",
                        description="turnover, exports, imports, investment, jobs, localisation_share, ...")
    value: float = Field(allow_inf_nan=False)
    unit: str = Field(min_length=1, max_length=20, description="USD, RUB, BYN, %, units, ...")
    period: str = Field(min_length=1, max_length=60, description="2023, 2021-2025, 2024H1, 2025Q3, 2025M01-M09 or current")
    parties: list[Party] = Field(min_length=1, max_length=50)
    reporter: Text300 | None = Field(None, description="which side or body reported it")
    source_publisher: Text300 | None = None
    source_url: str | None = Field(None, max_length=500)
    source_date: dt.date | None = None
    note: str | None = Field(None, max_length=5000)


class FigureUpdate(Versioned):
    metric: str | None = Field(None, min_length=1, max_length=60, pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    value: float | None = Field(None, allow_inf_nan=False)
    unit: str | None = Field(None, min_length=1, max_length=20)
    period: str | None = Field(None, min_length=1, max_length=60)
    parties: list[Party] | None = Field(None, min_length=1, max_length=50)
    reporter: Text300 | None = None
    source_publisher: Text300 | None = None
    source_url: str | None = Field(None, max_length=500)
    source_date: dt.date | None = None
    note: str | None = Field(None, max_length=5000)


class FigureRead(FigureCreate):
    id: int
    version: int
    metric: str
    period: str


class FigurePage(Page[FigureRead]):
    pass
