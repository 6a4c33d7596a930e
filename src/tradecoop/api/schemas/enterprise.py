"""Enterprise schemas; field names are a public contract (see tradecoop.registry.records)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tradecoop.api.schemas.common import (
    MAX_CODES,
    MAX_ITEMS,
    HsCode,
    Location,
    Page,
    Strict,
    Text300,
    Versioned,
)


class Source(Strict):
    field: str = Field("*", max_length=40, description="which fact ('*' = the whole record)")
    url: str = Field(max_length=500)


class EnterpriseBase(Strict):
    name_ru: Text300 | None = None
    name_be: Text300 | None = None
    aliases: list[Text300] = Field(default_factory=list, max_length=MAX_ITEMS)
    city: str | None = Field(None, max_length=120)
    nace: str | None = Field(None, max_length=10, description="NACE Rev.2 division or group, e.g. '28'")
    products: list[HsCode] = Field(default_factory=list, max_length=MAX_CODES, description="HS codes it makes")
    inputs: list[HsCode] = Field(default_factory=list, max_length=MAX_CODES, description="HS codes it needs")
    size_band: str | None = Field(None, max_length=40)
    description_en: str | None = Field(None, max_length=5000)
    description_ru: str | None = Field(None, max_length=5000)
    website: Text300 | None = None
    sources: list[Source] = Field(default_factory=list, max_length=MAX_ITEMS)


class EnterpriseCreate(EnterpriseBase):
    name_en: Text300 = Field(min_length=1)
    location: Location = Field(description="ISO 3166-1 alpha-3 or ISO 3166-2, e.g. BLR, RU-CHE")


class EnterpriseUpdate(Versioned):
    name_en: Text300 | None = None
    name_ru: Text300 | None = None
    name_be: Text300 | None = None
    aliases: list[Text300] | None = Field(None, max_length=MAX_ITEMS)
    location: Location | None = None
    city: str | None = Field(None, max_length=120)
    nace: str | None = Field(None, max_length=10)
    products: list[HsCode] | None = Field(None, max_length=MAX_CODES)
    inputs: list[HsCode] | None = Field(None, max_length=MAX_CODES)
    size_band: str | None = Field(None, max_length=40)
    description_en: str | None = Field(None, max_length=5000)
    description_ru: str | None = Field(None, max_length=5000)
    website: Text300 | None = None
    sources: list[Source] | None = Field(None, max_length=MAX_ITEMS)


class EnterpriseRead(BaseModel):
    id: int
    version: int
    name_en: str
    name_ru: str | None
    name_be: str | None
    aliases: list[str]
    location: str
    city: str | None
    nace: str | None
    products: list[str]
    inputs: list[str]
    size_band: str | None
    description_en: str | None
    description_ru: str | None
    website: str | None
    sources: list[dict]


class EnterprisePage(Page[EnterpriseRead]):
    pass


class SearchHit(BaseModel):
    score: float
    enterprise: EnterpriseRead


class MatchRow(BaseModel):
    rank: int
    id: int
    name_en: str
    name_ru: str | None
    location: str
    city: str | None
    score: float = Field(description="sum of the five contributions")
    direction: float
    io_complementarity: float
    co_production: float
    bec_fit: float
    text_similarity: float
    reasons: str


class MatchResult(BaseModel):
    enterprise_id: int
    partners: list[MatchRow]
    notes: list[str]
