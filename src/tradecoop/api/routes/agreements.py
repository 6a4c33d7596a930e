"""``/api/v1/agreements``: list (kind, party location, ``q`` title search, pages) and CRUD."""

from __future__ import annotations

from fastapi import APIRouter

from tradecoop.api.routes._crud import add_crud, add_party_list
from tradecoop.api.schemas.records import (
    AgreementCreate,
    AgreementPage,
    AgreementRead,
    AgreementUpdate,
)

router = APIRouter(tags=["agreements"])


add_party_list(router, "agreement", "/agreements", AgreementPage, "agreements")
add_crud(router, "agreement", "/agreements", AgreementCreate, AgreementUpdate, AgreementRead)
