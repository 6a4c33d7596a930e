"""``/api/v1/users`` and ``/api/v1/audit`` (admins): users and their tokens, and the audit log.

A token is shown once, in the response that creates or reissues it. Deactivating, deleting or
reissuing takes effect at the next request of that user, in every worker (no user cache). An
admin cannot deactivate, demote or delete their own user (ask another admin or use the CLI).
"""

# no `from __future__ import annotations`: FastAPI must see the body and query annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response, status

from tradecoop.api.deps import Admin, DbSession, ReadSession, expected_version
from tradecoop.api.schemas.common import ERROR_RESPONSES, RecordId
from tradecoop.api.schemas.records import (
    AuditPage,
    TokenReissue,
    UserCreate,
    UserCreated,
    UserRead,
    UserUpdate,
)
from tradecoop.errors import ConflictError
from tradecoop.registry import repository as repo
from tradecoop.registry.records import INT64_MAX
from tradecoop.registry.service import Principal, RegistryService, list_users, user_public

router = APIRouter(tags=["users"])


@router.get("/users", response_model=list[UserRead], responses=ERROR_RESPONSES)
def list_all_users(session: ReadSession, _: Admin) -> list[dict[str, Any]]:
    """Every user (admin). Tokens are never shown again after creation."""
    return list_users(session)


@router.post("/users", response_model=UserCreated, status_code=201, responses=ERROR_RESPONSES)
def create_user(body: UserCreate, request: Request, session: DbSession, admin: Admin) -> dict[str, Any]:
    """Create a user (admin); the response holds its token, the only time it is shown."""
    user, token = RegistryService(session, actor=admin.name).create_user(
        body.name, body.role, request.app.state.settings.secret_key, expires_at=body.expires_at)
    return {**user_public(user), "token": token}


def _not_self(admin: Principal, user_id: int, what: str) -> None:
    if admin.id == user_id:
        raise ConflictError(f"you cannot {what} your own user; ask another admin (or use `tradecoop users`)")


@router.patch("/users/{user_id}", response_model=UserRead, responses=ERROR_RESPONSES)
def update_user(user_id: RecordId, body: UserUpdate, request: Request, session: DbSession,
                admin: Admin) -> dict[str, Any]:
    """Deactivate or reactivate a user, or change its role (admin), giving its current `version`."""
    if body.active is False or (body.role is not None and body.role != "admin"):
        _not_self(admin, user_id, "deactivate or demote")
    user = RegistryService(session, actor=admin.name).update_user(
        user_id, version=expected_version(request, body.version), active=body.active, role=body.role)
    return user_public(user)


@router.post("/users/{user_id}/token", response_model=UserCreated, responses=ERROR_RESPONSES)
def reissue_token(user_id: RecordId, body: TokenReissue, request: Request, session: DbSession,
                  admin: Admin) -> dict[str, Any]:
    """Give a user a new token (admin); the old one fails at once. The token is in this response only."""
    user, token = RegistryService(session, actor=admin.name).reissue_token(
        user_id, request.app.state.settings.secret_key, version=body.version, expires_at=body.expires_at)
    return {**user_public(user), "token": token}


@router.delete("/users/{user_id}", status_code=204, responses=ERROR_RESPONSES)
def delete_user(user_id: RecordId, request: Request, session: DbSession, admin: Admin,
                version: int | None = Query(None, description="the version you read, or send If-Match (stale -> 409)"),
                ) -> Response:
    """Delete a user (admin); its token fails at once. The audit log keeps its name."""
    _not_self(admin, user_id, "delete")
    RegistryService(session, actor=admin.name).delete_user(user_id, version=expected_version(request, version))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/audit", response_model=AuditPage, responses=ERROR_RESPONSES)
def audit_log(
    session: ReadSession, _: Admin,
    entity: Annotated[str | None, Query(max_length=40, description="enterprise, agreement, ..., user")] = None,
    entity_id: Annotated[int | None, Query(ge=0, le=INT64_MAX)] = None,
    actor: Annotated[str | None, Query(max_length=120)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
) -> dict[str, Any]:
    """The audit log (admin), newest first: who wrote what, when, with the state before and after."""
    page = repo.audit_page(session, entity=entity, entity_id=entity_id, actor=actor, limit=limit, offset=offset)
    return {"items": [repo.audit_dict(a) for a in page.items], "total": page.total, "limit": limit, "offset": offset}
