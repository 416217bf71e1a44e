"""REST bodies of the household registry (DESIGN.md §6, Households; the figures and reference data are in
`backan_shared.api.poverty`).

Personal fields (the head's name, national ID and phone) and sensitive ones (ethnicity, income, deprivations:
Law 91/2025/QH15) appear in a response only for a caller with the `household:pii` scope; every such read is
audited by the registry. Money is integer VND; rates are percentages with 2 decimals.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Classification = Literal["poor", "near_poor", "not_poor"]
ReviewStatus = Literal[
    "poor", "near_poor", "escaped_poverty", "escaped_near_poverty", "newly_poor", "re_entered_poverty", "not_poor"
]
SENSITIVE = (
    "sensitive personal data (Law 91/2025/QH15, Decree 356/2025/NĐ-CP): present only for callers with "
    "household:pii, and each read is recorded in the personal data audit trail"
)
HOUSEHOLD_READ = (
    "Any `read` caller sees the classification history, status changes, information access and household size. "
    "Ethnicity (`ethnic_minority`), each year's `income_per_capita_vnd` and `deprivations` (sensitive under Law "
    "91/2025/QH15) and the head's personal data (`head`) appear only for a caller with `household:pii`, absent "
    "(not null) otherwise; each such field read is recorded in the audit trail (`household:audit`) before the "
    "answer is sent, and if it cannot be recorded nothing is sent. Household size (`members`) is not sensitive: "
    "the law does not list it, and with income withheld it discloses no financial fact."
)


class HeadCreate(BaseModel):
    """The head of household (chủ hộ): personal data, stored encrypted."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=1, max_length=200)
    national_id: str = Field(pattern=r"^[0-9]{12}$", description="12-digit personal identification number")
    phone: str | None = Field(default=None, max_length=20, description="Vietnamese number, e.g. 0912 345 678")


class HouseholdCreate(BaseModel):
    """Register a household in a commune."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "commune_code": "01837",
                    "area": "urban",
                    "ethnic_minority": True,
                    "members": 4,
                    "head": {"full_name": "Hoàng Văn Minh", "national_id": "006085001234", "phone": "0912345678"},
                }
            ]
        },
    )

    commune_code: str = Field(description="official code of a commune, ward or town")
    area: Literal["rural", "urban"]
    ethnic_minority: bool
    members: int = Field(ge=1, le=100)
    head: HeadCreate


class HouseholdCreated(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"household_id": "0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10"}]}
    )

    household_id: str = Field(description="pseudonymous id: random, it reveals nothing about the household")


class SurveyCreate(BaseModel):
    """A year's survey of the annual review (phiếu rà soát)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "year": 2023,
                    "income_per_capita_vnd": 1_200_000,
                    "deprivations": ["telecom_services", "information_access_means", "health_insurance"],
                }
            ]
        },
    )

    year: int = Field(ge=2000, le=2100)
    income_per_capita_vnd: int = Field(ge=0, description="income per person per month, integer VND")
    deprivations: list[str] = Field(default_factory=list, description="indicator codes of the standard in force")


class SurveyClassified(BaseModel):
    """A recorded survey's official classification, and the review status it moved the household to."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "household_id": "0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10",
                    "year": 2023,
                    "classification": "poor",
                    "standard_version": "2022-2025",
                    "status": "poor",
                }
            ]
        }
    )

    household_id: str
    year: int
    classification: Classification
    standard_version: str = Field(description="the poverty standard in force that year")
    status: ReviewStatus | None = Field(description="the new review status, when this survey changed it")


class YearClassification(BaseModel):
    year: int
    classification: Classification
    projected_classification: Classification = Field(
        description="differs only for the latest year, by information access"
    )
    standard_version: str
    corrected: bool
    income_per_capita_vnd: int | None = Field(default=None, description=f"income per person per month; {SENSITIVE}")
    deprivations: list[str] | None = Field(default=None, description=f"the survey's indicator codes; {SENSITIVE}")


class StatusChange(BaseModel):
    year: int
    from_status: ReviewStatus | None
    to_status: ReviewStatus
    classification: Classification
    reason: str


class InformationAccess(BaseModel):
    source: str
    reference: str = Field(description="e.g. the campaign's delivery id")
    recorded_on: date


class HeadPublic(BaseModel):
    """The head's personal data, shown only with `household:pii`; all null and `erased` once erased."""

    full_name: str | None
    national_id: str | None
    phone: str | None
    erased: bool


class HouseholdPublic(BaseModel):
    """A household: classification history, status changes, information access (the example is what a `read`
    caller sees). Ethnicity, income and deprivations, and the head, only with household:pii."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "household_id": "0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10",
                    "commune_code": "01837",
                    "area": "urban",
                    "members": 4,
                    "classification": "poor",
                    "projected_classification": "near_poor",
                    "status": "poor",
                    "classifications": [
                        {
                            "year": 2023,
                            "classification": "poor",
                            "projected_classification": "near_poor",
                            "standard_version": "2022-2025",
                            "corrected": False,
                        }
                    ],
                    "status_changes": [],
                    "information_access": [
                        {"source": "campaign 3f2a", "reference": "delivery-17", "recorded_on": "2023-09-01"}
                    ],
                    "personal_data_erased": False,
                    "version": 4,
                    "as_of": "2023-09-01T08:00:00Z",
                }
            ]
        }
    )

    household_id: str
    commune_code: str
    area: Literal["rural", "urban"]
    ethnic_minority: bool | None = Field(default=None, description=f"dân tộc thiểu số; {SENSITIVE}")
    members: int = Field(
        description="household size: shown to `read` callers, as Law 91/2025/QH15 does not make it sensitive and "
        "without income it discloses no financial fact"
    )
    classification: Classification | None = Field(description="official: changes only when a survey is recorded")
    projected_classification: Classification | None = Field(description="what the next review would give")
    status: ReviewStatus | None
    classifications: list[YearClassification]
    status_changes: list[StatusChange]
    information_access: list[InformationAccess]
    personal_data_erased: bool
    head: HeadPublic | None = Field(default=None, description="present only for callers with household:pii")
    version: int
    as_of: datetime


class PersonalDataErasedPublic(BaseModel):
    household_id: str
    personal_data_erased: bool = True
