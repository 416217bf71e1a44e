"""Integration events of the household registry (topic `household.events.v1`, key = household id).

Only a pseudonymous household id and coarse, non-sensitive facts leave the registry: never the head's name,
national ID or phone, and never income, ethnicity or the list of deprivations (sensitive under Law
91/2025/QH15). Consumers that need statistics read the registry's aggregates, not individuals: the
`PovertyStatisticsUpdated` event carries a unit's figures for a year (counts and rates, the ethnic-minority ones
included), never a fact about one household. It is keyed by the province's code, so every unit's figures keep
the order they were computed in on one partition.

Rates and percentage points are exact decimals in Python and JSON numbers with 2 decimals on the wire.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, PlainSerializer

from backan_shared.contracts import INTEGRATION_EVENTS

TOPIC = "household.events.v1"
REGISTERED = "vn.backan.household.registered.v1"
CLASSIFIED = "vn.backan.household.classified.v1"
INFORMATION_ACCESS_RECORDED = "vn.backan.household.information-access-recorded.v1"
PERSONAL_DATA_ERASED = "vn.backan.household.personal-data-erased.v1"
POVERTY_STATISTICS_UPDATED = "vn.backan.household.poverty-statistics-updated.v1"

Classification = Literal["poor", "near_poor", "not_poor"]


def _number(value: Decimal) -> float:
    # rates have 2 decimals: a JSON number shows them exactly, and clients expect numbers
    return float(value)


Percent = Annotated[Decimal, PlainSerializer(_number, return_type=float, when_used="json")]
"""A rate in percent or a change in percentage points: exact in Python, a JSON number on the wire."""


class HouseholdRegistered(BaseModel):
    """A household now exists in a commune's registry (hộ gia đình được đăng ký)."""

    household_id: str = Field(description="pseudonymous id: it reveals nothing about the person")
    commune_code: str
    area: Literal["rural", "urban"]
    registered_on: date


class HouseholdClassified(BaseModel):
    """A survey classified the household for a review year (official, not projected)."""

    household_id: str
    commune_code: str
    year: int
    classification: Classification
    previous_classification: Classification | None = Field(
        default=None, description="the latest earlier review's, or for a correction the corrected survey's"
    )
    corrected: bool = Field(default=False, description="this corrects the year's earlier survey")
    records_digitised: bool = True


class InformationAccessRecorded(BaseModel):
    """The household now has a means of accessing information (e.g. a campaign phone)."""

    household_id: str
    commune_code: str
    recorded_on: date
    projected_classification: Classification | None = None


class PersonalDataErased(BaseModel):
    """The head's personal data was destroyed (crypto-shredding); the pseudonymous id remains."""

    household_id: str
    erased_on: date


class ReductionTarget(BaseModel):
    """A yearly fall of a rate in percentage points: at least `min_pp`, ideally up to `max_pp` (None: or more)."""

    min_pp: Percent
    max_pp: Percent | None


class PovertyTarget(BaseModel):
    """The province's target a unit's figures are measured against (chỉ tiêu giảm nghèo)."""

    version: str = Field(description="the version of the province's targets, e.g. backan-2021-2025")
    basis: Literal["province_average", "poor_district"]
    reduction: ReductionTarget
    ethnic_minority_reduction: ReductionTarget
    poverty_rate_at_most: Percent | None = Field(description="a year-end rate the unit must not exceed, if any")


class ProjectedPovertyFigures(BaseModel):
    """What the next review would give once information access (a phone) clears the information deprivations."""

    poor: int
    near_poor: int
    poverty_rate: Percent | None
    near_poverty_rate: Percent | None
    ethnic_minority_poverty_rate: Percent | None
    reduction_pp: Percent | None = Field(description="last year's official rate minus this projected rate")


class PovertyStatisticsUpdated(BaseModel):
    """A unit's poverty figures for one review year, as they stand after a change: aggregates only.

    Published for a commune, its district and the province whenever a survey, a correction or information access
    changes them (an import publishes once per unit per batch). Rates are poor ÷ households × 100; a rate is null
    when there are no households to divide by, a reduction when the year before has no figures.
    """

    unit_code: str = Field(description="official code of the commune, district or province")
    level: Literal["province", "district", "commune"]
    year: int = Field(description="the review year")
    revision: int = Field(
        ge=1,
        description="grows with every change to the year's figures: a reader keeps the figures of the highest "
        "revision it has seen, in whatever order they arrive",
    )
    households: int
    poor: int
    near_poor: int
    poverty_rate: Percent | None
    near_poverty_rate: Percent | None
    ethnic_minority_households: int
    ethnic_minority_poor: int
    ethnic_minority_poverty_rate: Percent | None
    reduction_pp: Percent | None = Field(description="last year's rate minus this year's, in percentage points")
    ethnic_minority_reduction_pp: Percent | None
    target: PovertyTarget | None = Field(description="null outside the years the province's targets cover")
    on_target: bool | None = Field(description="the reduction reaches the target; null without either")
    ethnic_minority_on_target: bool | None
    projected: ProjectedPovertyFigures


for _type, _model in (
    (REGISTERED, HouseholdRegistered),
    (CLASSIFIED, HouseholdClassified),
    (INFORMATION_ACCESS_RECORDED, InformationAccessRecorded),
    (PERSONAL_DATA_ERASED, PersonalDataErased),
    (POVERTY_STATISTICS_UPDATED, PovertyStatisticsUpdated),
):
    INTEGRATION_EVENTS.register(_type, _model)
