"""The agreements and projects tracker (lists, pages, create and edit with optimistic
concurrency), creating and editing enterprises, and user management (admins).

Every write goes through :class:`~tradecoop.registry.service.RegistryService` with the
``version`` the form was rendered from. When someone else saved first, the service raises
``ConflictError`` and nothing is written; the conflict page then shows, field by field, what is
stored now next to what the user submitted, and offers to apply the user's values to the
current version (a new form carrying the current version) or to discard them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tradecoop.errors import ConflictError, DataValidationError
from tradecoop.registry import models as m
from tradecoop.registry import repository as repo
from tradecoop.registry.records import to_dict
from tradecoop.registry.service import RegistryService
from tradecoop.web import auth
from tradecoop.web.core import WebRoute, checked_form, db, read_db, render
from tradecoop.web.i18n import label, request_lang
from tradecoop.web.overview import enterprise_names
from tradecoop.web.related import for_record

router = APIRouter(route_class=WebRoute, include_in_schema=False)

#: blank milestone rows offered at the end of a project form
BLANK_MILESTONES = 2


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, select, date, number
    choices: tuple[str, ...] = ()
    required: bool = False


FIELDS: dict[str, tuple[Field, ...]] = {
    "project": (
        Field("title", "col.title", required=True), Field("kind", "col.kind", "select", m.PROJECT_KINDS, True),
        Field("stage", "col.stage"), Field("investment_amount", "trk.investment", "number"),
        Field("investment_currency", "trk.currency"), Field("jobs", "trk.jobs", "number"),
        Field("site", "trk.site"), Field("agreement_id", "trk.agreement", "number"),
        Field("parties", "col.parties"), Field("products", "trk.products"),
    ),
    "agreement": (
        Field("title", "col.title", required=True), Field("kind", "col.kind", "select", m.AGREEMENT_KINDS, True),
        Field("status", "col.status"), Field("signed_date", "trk.signed_date", "date"),
        Field("in_force_date", "trk.in_force_date", "date"), Field("document_ref", "trk.document_ref"),
        Field("source", "trk.source"), Field("parties", "col.parties"),
    ),
    "enterprise": (
        Field("name_en", "ent.name_en", required=True), Field("name_ru", "ent.name_ru"),
        Field("name_be", "ent.name_be"), Field("aliases", "ent.aliases"),
        Field("location", "ent.location", required=True), Field("city", "col.city"),
        Field("nace", "ent.nace"), Field("size_band", "ent.size_band"), Field("website", "ent.website"),
        Field("products", "ent.products"), Field("inputs", "ent.inputs"),
        Field("description_en", "ent.description_en"), Field("description_ru", "ent.description_ru"),
    ),
}
PLURAL = {"project": "projects", "agreement": "agreements", "enterprise": "enterprises"}
#: list fields typed as text: field -> separator
LISTS = {"products": ",", "inputs": ",", "aliases": ";"}


def _user(request: Request) -> Any:
    with read_db(request) as session:
        return auth.current_user(request, session)


def _entity(plural: str) -> str:
    for entity, name in PLURAL.items():
        if name == plural:
            return entity
    raise DataValidationError(f"unknown list {plural!r}")


# --- record <-> form values -------------------------------------------------------------------
def _parties_text(parties: list[dict[str, Any]]) -> str:
    return ", ".join(p["location"] if p.get("location") else f"#{p['enterprise_id']}" for p in parties)


def form_values(entity: str, record: dict[str, Any]) -> dict[str, Any]:
    """The form's string values of a stored record (``records.to_dict`` form)."""
    values: dict[str, Any] = {}
    for f in FIELDS[entity]:
        value = record.get(f.name)
        if f.name == "parties":
            value = _parties_text(value or [])
        elif f.name in LISTS:
            value = f"{LISTS[f.name]} ".join(value or [])
        values[f.name] = "" if value is None else str(value)
    if entity == "project":
        values["milestones"] = [{"due_date": x.get("due_date") or "", "done_date": x.get("done_date") or "",
                                 "note": x.get("note") or ""} for x in record.get("milestones") or []]
    return values


def submitted_values(entity: str, form: Any) -> dict[str, Any]:
    """The form's string values as submitted (blank milestone rows dropped)."""
    values = {f.name: str(form.get(f.name) or "").strip() for f in FIELDS[entity]}
    if entity == "project":
        rows = []
        for i in range(200):
            if f"due_date_{i}" not in form:
                break
            row = {k: str(form.get(f"{k}_{i}") or "").strip() for k in ("due_date", "done_date", "note")}
            if any(row.values()):
                rows.append(row)
        values["milestones"] = rows
    return values


def to_record(entity: str, values: dict[str, Any]) -> dict[str, Any]:
    """The service's input for the submitted values (the service validates every field)."""
    data: dict[str, Any] = {}
    for f in FIELDS[entity]:
        text = values.get(f.name, "")
        if f.name == "parties":
            parties = []
            for part in (p.strip() for p in text.split(",")):
                if part.startswith("#") and part[1:].isdigit():
                    parties.append({"enterprise_id": int(part[1:])})
                elif part:
                    parties.append({"location": part.upper()})
            data["parties"] = parties
        elif f.name in LISTS:
            data[f.name] = [p.strip() for p in text.split(LISTS[f.name]) if p.strip()]
        else:
            data[f.name] = text or None
    if entity == "project":
        data["milestones"] = [{k: (v or None) for k, v in row.items()} for row in values.get("milestones", [])]
    return data


def overdue(milestone: dict[str, Any], today: dt.date) -> bool:
    due = milestone.get("due_date")
    return bool(due) and not milestone.get("done_date") and dt.date.fromisoformat(str(due)) < today


def _party_names(session: Any, records: list[dict[str, Any]], lang: str) -> dict[int, str]:
    ids = {p["enterprise_id"] for r in records for p in r.get("parties", []) if p.get("enterprise_id")}
    return {i: n[lang] for i, n in enterprise_names(session, sorted(ids)).items()}


# --- lists and pages ---------------------------------------------------------------------------
@router.get("/projects", response_class=HTMLResponse)
@router.get("/agreements", response_class=HTMLResponse)
def record_list(request: Request, q: str = "") -> HTMLResponse:
    user = _user(request)
    plural = request.url.path.strip("/")
    entity = _entity(plural)
    today = dt.date.today()
    with read_db(request) as session:
        page = repo.list_records(session, entity, q=q.strip()[:200] or None, limit=200)
        records = [to_dict(obj) for obj in page.items]
        names = _party_names(session, records, request_lang(request))
    for r in records:
        milestones = r.get("milestones") or []
        r["overdue"] = any(overdue(x, today) for x in milestones)
        open_dues = sorted(str(x["due_date"]) for x in milestones if x.get("due_date") and not x.get("done_date"))
        r["next_due"] = open_dues[0] if open_dues else ""
    return render(request, "records.html", {"entity": entity, "plural": plural, "records": records,
                                            "total": page.total, "q": q, "names": names}, user=user)


# --- create and edit ------------------------------------------------------------------------------
def _form(request: Request, user: Any, entity: str, values: dict[str, Any], version: int | None,
          record_id: int | None, error: str = "", status: int = 200) -> HTMLResponse:
    if entity == "project":
        values = {**values, "milestones": [*values.get("milestones", []),
                                           *[{"due_date": "", "done_date": "", "note": ""}] * BLANK_MILESTONES]}
    return render(request, "record_form.html", {"entity": entity, "plural": PLURAL[entity], "values": values,
                                                "version": version, "record_id": record_id, "error": error,
                                                "fields": FIELDS[entity]}, user=user, status=status)


@router.get("/projects/new", response_class=HTMLResponse)
@router.get("/agreements/new", response_class=HTMLResponse)
@router.get("/enterprises/new", response_class=HTMLResponse)
def new_form(request: Request) -> HTMLResponse:
    user = _user(request)
    auth.require_role(user, "editor")
    entity = _entity(request.url.path.strip("/").split("/")[0])
    return _form(request, user, entity, {f.name: "" for f in FIELDS[entity]}, None, None)


@router.get("/projects/{record_id}/edit", response_class=HTMLResponse)
@router.get("/agreements/{record_id}/edit", response_class=HTMLResponse)
@router.get("/enterprises/{record_id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, record_id: int) -> HTMLResponse:
    user = _user(request)
    auth.require_role(user, "editor")
    entity = _entity(request.url.path.strip("/").split("/")[0])
    with read_db(request) as session:
        obj = repo.get(session, entity, record_id)
        values, version = form_values(entity, to_dict(obj)), obj.version
    return _form(request, user, entity, values, version, record_id)


@router.get("/projects/{record_id}", response_class=HTMLResponse)
@router.get("/agreements/{record_id}", response_class=HTMLResponse)
def record_page(request: Request, record_id: int) -> HTMLResponse:
    user = _user(request)
    plural = request.url.path.strip("/").split("/")[0]
    entity = _entity(plural)
    with read_db(request) as session:
        record = to_dict(repo.get(session, entity, record_id))
        names = _party_names(session, [record], request_lang(request))
        related = for_record(session, entity, record_id) if entity != "enterprise" else {}
    today = dt.date.today()
    for x in record.get("milestones") or []:
        x["overdue"] = overdue(x, today)
    return render(request, "record.html", {"entity": entity, "plural": plural, "r": record, "names": names,
                                           "fields": FIELDS[entity], "related": related}, user=user)


@router.post("/projects/new", response_class=HTMLResponse)
@router.post("/agreements/new", response_class=HTMLResponse)
@router.post("/enterprises/new", response_class=HTMLResponse)
async def create(request: Request) -> Response:
    user, form = await checked_form(request, "editor")
    entity = _entity(request.url.path.strip("/").split("/")[0])
    values = submitted_values(entity, form)
    try:
        with db(request) as session:
            obj = RegistryService(session, actor=user.name).create(entity, to_record(entity, values))
            record_id = obj.id
    except (DataValidationError, ConflictError) as exc:
        return _form(request, user, entity, values, None, None, error=str(exc), status=422)
    return RedirectResponse(f"/{PLURAL[entity]}/{record_id}", status_code=303)


@router.post("/projects/{record_id}/edit", response_class=HTMLResponse)
@router.post("/agreements/{record_id}/edit", response_class=HTMLResponse)
@router.post("/enterprises/{record_id}/edit", response_class=HTMLResponse)
async def update(request: Request, record_id: int) -> Response:
    user, form = await checked_form(request, "editor")
    entity = _entity(request.url.path.strip("/").split("/")[0])
    values = submitted_values(entity, form)
    try:
        version = int(str(form.get("version") or ""))
    except ValueError:
        raise DataValidationError(f"the form carries no valid `version`; found {form.get('version')!r}") from None
    try:
        with db(request) as session:
            RegistryService(session, actor=user.name).update(entity, record_id, to_record(entity, values),
                                                             version=version)
    except ConflictError:
        return _conflict(request, user, entity, record_id, values, version)
    except DataValidationError as exc:
        return _form(request, user, entity, values, version, record_id, error=str(exc), status=422)
    return RedirectResponse(f"/{PLURAL[entity]}/{record_id}", status_code=303)


#: what closing sets: a project's stage, an agreement's status
CLOSED = {"project": ("stage", "closed"), "agreement": ("status", "closed")}


@router.post("/projects/{record_id}/close", response_class=HTMLResponse)
@router.post("/agreements/{record_id}/close", response_class=HTMLResponse)
async def close(request: Request, record_id: int) -> Response:
    """Close a project or an agreement (editors), checked against the version the page showed."""
    user, form = await checked_form(request, "editor")
    entity = _entity(request.url.path.strip("/").split("/")[0])
    field_name, value = CLOSED[entity]
    version = int(str(form.get("version") or "0")) if str(form.get("version") or "").isdigit() else None
    with read_db(request) as session:
        mine = {**form_values(entity, to_dict(repo.get(session, entity, record_id))), field_name: value}
    try:
        with db(request) as session:
            RegistryService(session, actor=user.name).update(entity, record_id, {field_name: value}, version=version)
    except ConflictError:
        return _conflict(request, user, entity, record_id, mine, version or 0)
    return RedirectResponse(f"/{PLURAL[entity]}/{record_id}", status_code=303)


def _conflict(request: Request, user: Any, entity: str, record_id: int, mine: dict[str, Any],
              my_version: int) -> HTMLResponse:
    """409: what is stored now against what the user sent, and the way to reapply it."""
    with read_db(request) as session:
        obj = repo.get(session, entity, record_id)
        theirs, current_version = form_values(entity, to_dict(obj)), obj.version
    lang = request_lang(request)
    changed = [(label(f.label, lang), theirs.get(f.name, ""), mine.get(f.name, ""))
               for f in FIELDS[entity] if theirs.get(f.name, "") != mine.get(f.name, "")]
    if entity == "project" and theirs.get("milestones") != mine.get("milestones"):
        def show(rows: list[dict[str, str]]) -> str:
            return "; ".join(f"{r['due_date']} {r['done_date']} {r['note']}".strip() for r in rows)
        changed.append((label("trk.milestones", lang), show(theirs["milestones"]), show(mine["milestones"])))
    return render(request, "conflict.html", {"entity": entity, "plural": PLURAL[entity], "record_id": record_id,
                                             "changed": changed, "mine": mine, "current_version": current_version,
                                             "my_version": my_version, "fields": FIELDS[entity]},
                  user=user, status=409)


# --- users (admins) ----------------------------------------------------------------------------------
def _users_page(request: Request, admin: Any, *, created: dict[str, str] | None = None, error: str = "",
                status: int = 200) -> HTMLResponse:
    from tradecoop.registry.service import list_users

    with read_db(request) as session:
        rows = list_users(session)
    return render(request, "users.html", {"users": rows, "roles": m.USER_ROLES, "created": created, "error": error},
                  user=admin, status=status)


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request) -> HTMLResponse:
    user = _user(request)
    auth.require_role(user, "admin")
    return _users_page(request, user)


@router.post("/admin/users", response_class=HTMLResponse)
async def create_user(request: Request) -> HTMLResponse:
    admin, form = await checked_form(request, "admin")
    try:
        with db(request) as session:
            new, token = RegistryService(session, actor=admin.name).create_user(
                str(form.get("name") or ""), str(form.get("role") or ""), request.app.state.settings.secret_key)
            created = {"name": new.name, "token": token}
    except (DataValidationError, ConflictError) as exc:
        return _users_page(request, admin, error=str(exc), status=422)
    return _users_page(request, admin, created=created)


@router.post("/admin/users/{user_id}/active", response_class=HTMLResponse)
async def set_active(request: Request, user_id: int) -> HTMLResponse:
    """Deactivate or reactivate a user (its sessions end at their next request)."""
    admin, form = await checked_form(request, "admin")
    active = str(form.get("active")) == "1"
    if user_id == admin.id and not active:
        return _users_page(request, admin, error=label("users.not_self", request_lang(request)), status=422)
    try:
        with db(request) as session:
            RegistryService(session, actor=admin.name).update_user(user_id, version=_version(form), active=active)
    except (DataValidationError, ConflictError) as exc:
        return _users_page(request, admin, error=str(exc), status=409 if isinstance(exc, ConflictError) else 422)
    return _users_page(request, admin)


@router.post("/admin/users/{user_id}/token", response_class=HTMLResponse)
async def reissue(request: Request, user_id: int) -> HTMLResponse:
    """A new token for a user, shown once, whole; the old token and its sessions stop working."""
    admin, form = await checked_form(request, "admin")
    try:
        with db(request) as session:
            user, token = RegistryService(session, actor=admin.name).reissue_token(
                user_id, request.app.state.settings.secret_key, version=_version(form))
            created = {"name": user.name, "token": token}
    except (DataValidationError, ConflictError) as exc:
        return _users_page(request, admin, error=str(exc), status=409 if isinstance(exc, ConflictError) else 422)
    return _users_page(request, admin, created=created)


def _version(form: Any) -> int | None:
    text = str(form.get("version") or "")
    return int(text) if text.isdigit() else None
