"""What `GET /v1/overview` answers: the province at a glance."""

from __future__ import annotations

from pydantic import BaseModel, Field

from backan_shared.api.examples import examples
from gateway.models.campaigns import CampaignTotals
from gateway.models.dti import DtiRanking
from gateway.models.freshness import AS_OF_EXAMPLE, AsOf
from gateway.models.poverty import POVERTY_EXAMPLE, PovertyFigures
from gateway.models.units import UnitRef


class PovertyOverview(BaseModel):
    """The province's latest review, and each district's figures that year."""

    province: PovertyFigures | None
    districts: list[PovertyFigures]


class Overview(BaseModel):
    """The province at a glance: campaign totals, poverty rates, and the communes' DTI ranks."""

    model_config = examples(
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
            "poverty": {"province": POVERTY_EXAMPLE | {"unit_code": "06", "level": "province"}, "districts": []},
            "dti": {
                "level": "commune",
                "year": 2023,
                "ranking": [{"rank": 1, "unit_code": "01837", "unit_name": "Phường Sông Cầu", "score": 569.8}],
            },
            "as_of": AS_OF_EXAMPLE,
        }
    )

    unit: UnitRef
    campaign: CampaignTotals
    poverty: PovertyOverview
    dti: DtiRanking | None = Field(description="the communes' latest ranking; null before any is finalised")
    as_of: AsOf
