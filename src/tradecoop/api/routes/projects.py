"""``/api/v1/projects``: list (kind, party location, ``q`` title search, pages) and CRUD."""

from __future__ import annotations

from fastapi import APIRouter

from tradecoop.api.routes._crud import add_crud, add_party_list
from tradecoop.api.schemas.records import ProjectCreate, ProjectPage, ProjectRead, ProjectUpdate

router = APIRouter(tags=["projects"])


add_party_list(router, "project", "/projects", ProjectPage, "projects")
add_crud(router, "project", "/projects", ProjectCreate, ProjectUpdate, ProjectRead)
