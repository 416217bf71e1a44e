"""What `GET /v1/communes/{commune_code}/dashboard` answers: one commune's DTI, campaign phones and poverty."""

from __future__ import annotations

from pydantic import BaseModel, Field

from backan_shared.api.examples import examples
from gateway.models.dti import DTI_EXAMPLE, DtiStanding
from gateway.models.freshness import AS_OF_EXAMPLE, AsOf
from gateway.models.poverty import POVERTY_EXAMPLE, PovertyFigures
from gateway.models.units import SONG_CAU_EXAMPLE, UnitRef


class CommuneCampaign(BaseModel):
    """Phones for one commune across every campaign that serves it."""

    campaigns: int
    phones_allocated: int
    phones_delivered: int
    phones_in_stock: int


class CommuneDashboard(BaseModel):
    """One commune at a glance: its DTI standing, the campaign's phones, and its households' poverty."""

    model_config = examples(
        {
            "unit": SONG_CAU_EXAMPLE,
            "dti": DTI_EXAMPLE,
            "campaign": {"campaigns": 1, "phones_allocated": 50, "phones_delivered": 1, "phones_in_stock": 49},
            "poverty": POVERTY_EXAMPLE,
            "as_of": AS_OF_EXAMPLE,
        }
    )

    unit: UnitRef
    dti: DtiStanding | None = Field(description="null until the commune has a finalised assessment")
    campaign: CommuneCampaign
    poverty: PovertyFigures | None = Field(description="the latest review year's figures; null before any")
    as_of: AsOf
