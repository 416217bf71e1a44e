"""Domain events of a household, in the order they happened. They are private to the registry: the
integration events on `household.events.v1` are derived from them and carry no personal or sensitive data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from household_registry.domain.classification import Classification
from household_registry.domain.personal_data import HeadOfHousehold
from household_registry.domain.poverty_standard import Area
from household_registry.domain.review import ReviewStatus
from household_registry.domain.survey import Survey


@dataclass(frozen=True)
class HouseholdRegistered:
    """A household was registered. `head` is None when read back after its personal data was erased."""

    household_id: uuid.UUID
    commune_code: str
    area: Area
    ethnic_minority: bool
    members: int
    head: HeadOfHousehold | None


@dataclass(frozen=True)
class SurveyRecorded:
    """A year's survey was recorded and classified by the standard in force that year.

    `projected_classification` is what the same survey gives once information access clears the
    information deprivations; it is kept so a projection never needs the standard again.
    """

    household_id: uuid.UUID
    survey: Survey
    standard_version: str
    classification: Classification
    projected_classification: Classification


@dataclass(frozen=True)
class SurveyCorrected:
    """A year's survey was found mistaken and replaced; the earlier event stays as it was."""

    household_id: uuid.UUID
    survey: Survey
    standard_version: str
    classification: Classification
    projected_classification: Classification
    previous_classification: Classification
    reason: str


@dataclass(frozen=True)
class StatusChanged:
    """The household's review status changed, e.g. from poor to escaped poverty (thoát nghèo)."""

    household_id: uuid.UUID
    year: int
    from_status: ReviewStatus | None
    to_status: ReviewStatus
    classification: Classification
    reason: str


@dataclass(frozen=True)
class InformationAccessRecorded:
    """The household gained a means of accessing information (a smartphone); this changes the projection only."""

    household_id: uuid.UUID
    source: str
    reference: str
    recorded_on: date


@dataclass(frozen=True)
class PersonalDataErased:
    """The head's personal data was erased for good; the household stays in the statistics, pseudonymously."""

    household_id: uuid.UUID
    reason: str


HouseholdEvent = (
    HouseholdRegistered
    | SurveyRecorded
    | SurveyCorrected
    | StatusChanged
    | InformationAccessRecorded
    | PersonalDataErased
)
