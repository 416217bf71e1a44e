"""Integration events of the household registry (topic `household.events.v1`, key = household id).

Only a pseudonymous household id and coarse, non-sensitive facts leave the registry: never the head's name,
national ID or phone, and never income, ethnicity or the list of deprivations (sensitive under Law
91/2025/QH15). Consumers that need statistics read the registry's aggregates, not individuals.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from backan_shared.contracts import INTEGRATION_EVENTS

TOPIC = "household.events.v1"
REGISTERED = "vn.backan.household.registered.v1"
CLASSIFIED = "vn.backan.household.classified.v1"
INFORMATION_ACCESS_RECORDED = "vn.backan.household.information-access-recorded.v1"
PERSONAL_DATA_ERASED = "vn.backan.household.personal-data-erased.v1"

Classification = Literal["poor", "near_poor", "not_poor"]


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


for _type, _model in (
    (REGISTERED, HouseholdRegistered),
    (CLASSIFIED, HouseholdClassified),
    (INFORMATION_ACCESS_RECORDED, InformationAccessRecorded),
    (PERSONAL_DATA_ERASED, PersonalDataErased),
):
    INTEGRATION_EVENTS.register(_type, _model)
