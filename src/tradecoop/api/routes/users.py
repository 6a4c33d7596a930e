"""``/api/v1/users``: admins create users (the token is returned once) and list them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import select

from tradecoop.api.deps import Admin, DbSession, ReadSession
from tradecoop.api.schemas.common import ERROR_RESPONSES
from tradecoop.api.schemas.records import UserCreate, UserCreated, UserRead
from tradecoop.registry.models import User
from tradecoop.registry.service import RegistryService, user_public

router = APIRouter(tags=["users"])


@router.get("/users", response_model=list[UserRead], responses=ERROR_RESPONSES)
def list_users(session: ReadSession, _: Admin) -> list[dict[str, Any]]:
    """Every user (admin). Tokens are never shown again after creation."""
    return [user_public(u) for u in session.scalars(select(User).order_by(User.id))]


@router.post("/users", response_model=UserCreated, status_code=201, responses=ERROR_RESPONSES)
def create_user(body: UserCreate, request: Request, session: DbSession, admin: Admin) -> dict[str, Any]:
    """Create a user (admin); the response holds its token, the only time it is shown."""
    user, token = RegistryService(session, actor=admin.name).create_user(
        body.name, body.role, request.app.state.settings.secret_key)
    return {**user_public(user), "token": token}
