"""What the campaign views answer: a campaign's statement (its fields declared once, in the shared library) and
the totals of every campaign together."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from backan_shared.api.campaign_statements import CampaignFigures, CampaignStatementBase, statement_example
from backan_shared.api.examples import examples
from gateway.models.freshness import AS_OF_EXAMPLE


class ComposedCampaignStatement(CampaignStatementBase):
    """A campaign's public statement composed from its events: every đồng and every phone, reversals netted out.

    The ledger's own statement adds what only its accounts know (pledges still owed, its version); this one
    says how fresh the gateway's read model is instead.
    """

    model_config = examples(statement_example(as_of=AS_OF_EXAMPLE["campaign"]))

    as_of: datetime | None = Field(description="the newest campaign event the gateway has applied")


class CampaignTotals(CampaignFigures):
    """Money and phones of every campaign together."""

    campaigns: int
