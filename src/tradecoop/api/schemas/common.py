"""Shared schema pieces: pagination, the error shape, party references."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from tradecoop.registry.records import INT64_MAX

T = TypeVar("T")

HsCode = Annotated[str, StringConstraints(pattern=r"^\d{2}(\d{2}){0,4}$")]
Location = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$|^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$")]
Text300 = Annotated[str, StringConstraints(max_length=300)]
#: longest lists accepted in a request body (a body of 60,000 HS codes used to take 14 s)
MAX_CODES = 500
MAX_ITEMS = 200

#: a record id in a path (64-bit: a larger number is a 422, not a database overflow)
RecordId = Annotated[int, Path(ge=1, le=INT64_MAX, description="the record's id")]
#: a page offset (64-bit)
Offset = Annotated[int, Query(ge=0, le=INT64_MAX)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="records matching the filters")
    limit: int
    offset: int


class ErrorDetail(BaseModel):
    status: int
    type: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    """The one error shape of every endpoint."""

    error: ErrorDetail


class Party(Strict):
    location: Location | None = None
    enterprise_id: int | None = None


class Versioned(Strict):
    version: int | None = Field(None, description="the version you read (or send `If-Match` with the ETag you "
                                "read); a stale one gets 409 and changes nothing")


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": desc}
    for code, desc in ((401, "missing or invalid token"), (403, "role lacks permission"), (404, "not found"),
                       (409, "stale version or duplicate"), (413, "body too large"), (422, "invalid input"))
}
