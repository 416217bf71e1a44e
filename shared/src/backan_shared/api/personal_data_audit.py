"""REST bodies of the personal data audit trail (`household:audit`): who read or erased which personal or
sensitive field of which household, and when — never the value (Law 91/2025/QH15 asks that a breach be
reportable; the trail that reports it must not become a second copy of the data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

AuditedField = Literal["full_name", "national_id", "phone", "ethnic_minority", "income_per_capita_vnd", "deprivations"]

AUDIT_READ = (
    "Who read or erased which personal or sensitive field of which household, and when; never the value. Needs "
    "`household:audit`, a scope apart from `household:pii`, so that readers of personal data do not audit "
    "themselves. Oldest first, `limit` (1–1000, default 100) at a time; pass `next_after` as `after` to read on."
)
_EXAMPLE: dict[str, Any] = {
    "id": 1041,
    "household_id": "0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10",
    "field": "income_per_capita_vnd",
    "action": "read",
    "actor": "officer-song-cau",
    "at": "2026-01-05T03:15:00Z",
}


class PersonalDataAccessPublic(BaseModel):
    """One field of one household read or erased by one caller."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    id: int = Field(description="the record's place in the trail; pass the last one as `after` for the next page")
    household_id: str
    field: AuditedField = Field(description="the field's name; the trail never holds its value")
    action: Literal["read", "erase"]
    actor: str = Field(description="the subject of the caller's token")
    at: datetime


class PersonalDataAuditPage(BaseModel):
    """A page of the trail, oldest first; `next_after` is where the next page starts (null on the last)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"records": [_EXAMPLE], "next_after": 1041}]})

    records: list[PersonalDataAccessPublic]
    next_after: int | None = Field(description="pass as `after` to read on; null when this page is the last")
