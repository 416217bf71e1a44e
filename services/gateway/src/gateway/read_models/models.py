"""What the composed views answer (DESIGN.md §6): the named fields are fixed, others are added.

Poverty figures are the household registry's published aggregates per unit and year, so they include what no
single integration event may carry (households' ethnicity) and the province's targets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backan_shared.api.campaign_statements import CampaignStatementBase, statement_example

CAMPAIGN_ID = "3b9d6c1e-2f4a-4e8b-9c7d-5a1e0f2b3c4d"
_SONG_CAU = {"code": "01837", "name": "Phường Sông Cầu", "level": "commune", "parent_code": "058", "pilot": True}
_AS_OF = {"campaign": "2023-08-20T03:15:00Z", "household": "2023-09-01T08:00:00Z", "dti": "2024-02-01T08:00:00Z"}


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


class AsOf(BaseModel):
    """The time of the newest event applied from each source; null for a source nothing came from yet."""

    model_config = _examples(_AS_OF)

    campaign: datetime | None
    household: datetime | None
    dti: datetime | None


class ComposedCampaignStatement(CampaignStatementBase):
    """A campaign's public statement composed from its events: every đồng and every phone, reversals netted out.

    The ledger's own statement adds what only its accounts know (pledges still owed, its version); this one
    says how fresh the gateway's read model is instead.
    """

    model_config = _examples(statement_example(as_of=_AS_OF["campaign"]))

    as_of: datetime | None = Field(description="the newest campaign event the gateway has applied")


class ProjectedPoverty(BaseModel):
    """What the next review would give once information access clears the information deprivations."""

    poor: int
    near_poor: int
    poverty_rate: float | None
    near_poverty_rate: float | None
    ethnic_minority_poverty_rate: float | None = None
    reduction_pp: float | None = Field(description="last year's official rate minus this projected rate")


class ReductionTarget(BaseModel):
    """A yearly fall of a rate in percentage points: at least `min_pp`, ideally up to `max_pp` (null: or more)."""

    min_pp: float
    max_pp: float | None


class PovertyTarget(BaseModel):
    """The province's target a unit's figures are measured against."""

    version: str
    basis: Literal["province_average", "poor_district"]
    reduction: ReductionTarget
    ethnic_minority_reduction: ReductionTarget
    poverty_rate_at_most: float | None


_TARGET_EXAMPLE: dict[str, Any] = {
    "version": "backan-2021-2025",
    "basis": "province_average",
    "reduction": {"min_pp": 2.0, "max_pp": 2.5},
    "ethnic_minority_reduction": {"min_pp": 3.0, "max_pp": None},
    "poverty_rate_at_most": 22.31,
}
_POVERTY_EXAMPLE: dict[str, Any] = {
    "unit_code": "01837",
    "unit_name": "Phường Sông Cầu",
    "level": "commune",
    "year": 2023,
    "households": 4,
    "poor": 2,
    "near_poor": 1,
    "poverty_rate": 50.0,
    "near_poverty_rate": 25.0,
    "registered_households": 4,
    "households_with_information_access": 1,
    "ethnic_minority_households": 3,
    "ethnic_minority_poor": 2,
    "ethnic_minority_poverty_rate": 66.67,
    "reduction_pp": 16.67,
    "ethnic_minority_reduction_pp": 33.33,
    "target": _TARGET_EXAMPLE | {"poverty_rate_at_most": None},
    "on_target": True,
    "ethnic_minority_on_target": True,
    "projected": {
        "poor": 1,
        "near_poor": 2,
        "poverty_rate": 25.0,
        "near_poverty_rate": 50.0,
        "ethnic_minority_poverty_rate": 33.33,
        "reduction_pp": 41.67,
    },
    "as_of": _AS_OF["household"],
}


class PovertyFigures(BaseModel):
    """Poverty figures of a unit and review year, as the household registry published them.

    The counts, rates, reductions, target and projection are the registry's own aggregates (events about single
    households carry no ethnicity); `registered_households` and `households_with_information_access` are
    counted by the gateway from the households it has heard of.
    """

    model_config = _examples(_POVERTY_EXAMPLE)

    unit_code: str
    unit_name: str
    level: str
    year: int
    households: int = Field(description="households classified in the year's review")
    poor: int
    near_poor: int
    poverty_rate: float | None = Field(description="poor ÷ households × 100, 2 decimals")
    near_poverty_rate: float | None
    registered_households: int
    households_with_information_access: int
    ethnic_minority_households: int | None = None
    ethnic_minority_poor: int | None = None
    ethnic_minority_poverty_rate: float | None = Field(
        default=None, description="poor ethnic-minority households ÷ ethnic-minority households × 100"
    )
    reduction_pp: float | None = Field(description="last year's rate minus this year's, in percentage points")
    ethnic_minority_reduction_pp: float | None = None
    target: PovertyTarget | None = Field(default=None, description="null outside the years the targets cover")
    on_target: bool | None = Field(default=None, description="the reduction reaches the target's lower end")
    ethnic_minority_on_target: bool | None = None
    projected: ProjectedPoverty
    as_of: datetime | None = Field(description="the newest household event the gateway has applied")


class UnitRef(BaseModel):
    """An administrative unit by its official code."""

    code: str
    name: str | None = None
    level: str | None = None
    parent_code: str | None = None
    pilot: bool = False


_DTI_EXAMPLE: dict[str, Any] = {
    "year": 2023,
    "level": "commune",
    "assessment_id": "6f1c2a9e-5b7d-4c1e-9a63-0d2f4b8e7a11",
    "score": 569.8,
    "max_score": 1000,
    "index": 0.5698,
    "rank": 1,
    "ranked_units": 108,
    "pillars": [
        {"code": "DS", "group": "activity", "points": 92.5, "max_points": 150, "normalised": 0.6167, "scored": True}
    ],
}


class DtiStanding(BaseModel):
    """A unit's latest finalised DTI result and its rank among the units of its level that year."""

    model_config = _examples(_DTI_EXAMPLE)

    year: int
    level: str
    assessment_id: str
    score: float
    max_score: float
    index: float
    rank: int = Field(description="ties share a rank (1, 2, 2, 4)")
    ranked_units: int
    pillars: list[dict[str, Any]] = Field(description="points per main index (chỉ số chính)")


class CommuneCampaign(BaseModel):
    """Phones for one commune across every campaign that serves it."""

    campaigns: int
    phones_allocated: int
    phones_delivered: int
    phones_in_stock: int


class CommuneDashboard(BaseModel):
    """One commune at a glance: its DTI standing, the campaign's phones, and its households' poverty."""

    model_config = _examples(
        {
            "unit": _SONG_CAU,
            "dti": _DTI_EXAMPLE,
            "campaign": {"campaigns": 1, "phones_allocated": 50, "phones_delivered": 1, "phones_in_stock": 49},
            "poverty": _POVERTY_EXAMPLE,
            "as_of": _AS_OF,
        }
    )

    unit: UnitRef
    dti: DtiStanding | None = Field(description="null until the commune has a finalised assessment")
    campaign: CommuneCampaign
    poverty: PovertyFigures | None = Field(description="the latest review year's figures; null before any")
    as_of: AsOf


class CampaignTotals(BaseModel):
    """Money and phones of every campaign together."""

    campaigns: int
    pledged_vnd: int
    received_vnd: int
    spent_vnd: int
    cash_vnd: int
    phones_pledged: int
    phones_received: int
    phones_purchased: int
    phones_in_stock: int
    phones_allocated: int
    phones_delivered: int


class RankedUnit(BaseModel):
    """A unit's place in a DTI ranking."""

    rank: int
    unit_code: str
    unit_name: str | None
    score: float


class DtiRanking(BaseModel):
    """The finalised units of a level and year, best first."""

    level: str
    year: int
    ranking: list[RankedUnit]


class PovertyOverview(BaseModel):
    """The province's latest review, and each district's figures that year."""

    province: PovertyFigures | None
    districts: list[PovertyFigures]


class Overview(BaseModel):
    """The province at a glance: campaign totals, poverty rates, and the communes' DTI ranks."""

    model_config = _examples(
        {
            "unit": {"code": "06", "name": "Tỉnh Bắc Kạn", "level": "province", "parent_code": None, "pilot": False},
            "campaign": {
                "campaigns": 1,
                "pledged_vnd": 300_000_000,
                "received_vnd": 200_000_000,
                "spent_vnd": 95_000_000,
                "cash_vnd": 105_000_000,
                "phones_pledged": 50,
                "phones_received": 50,
                "phones_purchased": 50,
                "phones_in_stock": 99,
                "phones_allocated": 50,
                "phones_delivered": 1,
            },
            "poverty": {"province": _POVERTY_EXAMPLE | {"unit_code": "06", "level": "province"}, "districts": []},
            "dti": {
                "level": "commune",
                "year": 2023,
                "ranking": [{"rank": 1, "unit_code": "01837", "unit_name": "Phường Sông Cầu", "score": 569.8}],
            },
            "as_of": _AS_OF,
        }
    )

    unit: UnitRef
    campaign: CampaignTotals
    poverty: PovertyOverview
    dti: DtiRanking | None = Field(description="the communes' latest ranking; null before any is finalised")
    as_of: AsOf
