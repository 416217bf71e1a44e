"""Commands to a household: what an officer, an import or another service asks the registry to do."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from household_registry.domain.personal_data import HeadOfHousehold
from household_registry.domain.poverty_standard import Area


@dataclass(frozen=True)
class RegisterHousehold:
    """Register a household in a commune (đăng ký hộ gia đình), with its head's personal data."""

    household_id: uuid.UUID
    commune_code: str
    area: Area
    ethnic_minority: bool
    members: int
    head: HeadOfHousehold


@dataclass(frozen=True)
class RecordSurvey:
    """Record the review's survey of one year (phiếu rà soát): income per person per month and deprivations."""

    household_id: uuid.UUID
    year: int
    income_per_capita_vnd: int
    deprivations: frozenset[str]


@dataclass(frozen=True)
class CorrectSurvey:
    """Correct a mistaken survey of a year: a new event that supersedes it, never an edit."""

    household_id: uuid.UUID
    year: int
    income_per_capita_vnd: int
    deprivations: frozenset[str]
    reason: str


@dataclass(frozen=True)
class RecordInformationAccess:
    """Record that the household now has a means of accessing information, e.g. a phone the campaign delivered."""

    household_id: uuid.UUID
    source: str
    reference: str
    recorded_on: date


@dataclass(frozen=True)
class ErasePersonalData:
    """Erase the head's personal data for good (the subject's right to erasure)."""

    household_id: uuid.UUID
    reason: str
    erased_by: str = "unknown"
    """Who asked for the erasure (the caller's subject), for the personal-data audit trail."""


HouseholdCommand = RegisterHousehold | RecordSurvey | CorrectSurvey | RecordInformationAccess | ErasePersonalData
