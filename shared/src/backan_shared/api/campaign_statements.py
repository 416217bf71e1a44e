"""The campaign statement (báo cáo công khai) as REST answers it, its fields declared once.

`CampaignStatementBase` holds what every statement shows (DESIGN.md §6: the named fields are fixed, others
may be added): campaign-ledger's `CampaignStatementPublic` extends it with what only the ledger's accounts
know (pledges still owed, the central stock, the stream's version), and the gateway's composed statement
extends it with how fresh its read model is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from backan_shared.api.campaigns import CAMPAIGN_ID, DonorKind
from backan_shared.api.examples import examples

ANONYMOUS_DONOR = "Anonymous donor"
ANONYMOUS_DONOR_VI = "Nhà hảo tâm ẩn danh"


class CommuneTotalsPublic(BaseModel):
    """Phones for one commune: allocated to it, handed to its households, still in its stock."""

    commune_code: str
    phones_allocated: int
    phones_delivered: int
    phones_in_stock: int


class DonorTotalsPublic(BaseModel):
    """What one donor pledged and gave. An anonymous donor is shown only as "Anonymous donor"."""

    donor: str
    donor_vi: str = Field(description='the name on the Vietnamese roll ("Nhà hảo tâm ẩn danh" when anonymous)')
    kind: DonorKind | None = Field(description="null for a gift that came with no pledge and no donor named")
    anonymous: bool
    pledged_vnd: int
    pledged_phones: int
    received_vnd: int
    received_phones: int


class CampaignFigures(BaseModel):
    """The money (VND) and the phones of a campaign, or of several summed: pledged, received, spent, in hand."""

    pledged_vnd: int
    received_vnd: int
    spent_vnd: int
    cash_vnd: int
    phones_pledged: int
    phones_received: int
    phones_purchased: int
    phones_in_stock: int = Field(description="central stock plus every commune's stock")
    phones_allocated: int
    phones_delivered: int


class CampaignStatementBase(CampaignFigures):
    """Where every đồng and every phone of a campaign went, reversals netted out.

    Progress is money received against the VND target, and phones delivered to households against the phone
    target, in percent.
    """

    campaign_id: str
    name: str
    is_open: bool
    target_vnd: int
    target_phones: int
    by_commune: list[CommuneTotalsPublic]
    by_donor: list[DonorTotalsPublic] = Field(description="largest gifts first; the name settles ties")
    progress_vnd_percent: float = Field(description="money received against the VND target, in percent")
    progress_phones_percent: float = Field(description="phones delivered against the phone target, in percent")


def statement_example(**extra: Any) -> dict[str, Any]:
    """An example statement of the pilot campaign, with the fields a subclass adds."""
    return {
        "campaign_id": CAMPAIGN_ID,
        "name": "Phổ cập điện thoại thông minh 2023",
        "is_open": True,
        "target_vnd": 750_000_000,
        "target_phones": 400,
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
        "by_commune": [{"commune_code": "01837", "phones_allocated": 50, "phones_delivered": 1, "phones_in_stock": 49}],
        "by_donor": [_VIETTEL, _ANONYMOUS],
        "progress_vnd_percent": 26.67,
        "progress_phones_percent": 0.25,
        **extra,
    }


_VIETTEL = {
    "donor": "Tổng Công ty Viễn thông Viettel",
    "donor_vi": "Tổng Công ty Viễn thông Viettel",
    "kind": "enterprise",
    "anonymous": False,
    "pledged_vnd": 200_000_000,
    "pledged_phones": 0,
    "received_vnd": 200_000_000,
    "received_phones": 0,
}
_ANONYMOUS = {
    "donor": ANONYMOUS_DONOR,
    "donor_vi": ANONYMOUS_DONOR_VI,
    "kind": "individual",
    "anonymous": True,
    "pledged_vnd": 100_000_000,
    "pledged_phones": 0,
    "received_vnd": 0,
    "received_phones": 0,
}


class CampaignStatementPublic(CampaignStatementBase):
    """campaign-ledger's public statement, from its own accounts, as of `as_of`.

    `version` counts the campaign's events the statement includes.
    """

    model_config = examples(
        statement_example(
            pledges_outstanding_vnd=100_000_000,
            phones_in_central_stock=50,
            pledges_outstanding_phones=0,
            version=9,
            as_of="2023-08-20T03:15:00Z",
        )
    )

    pledges_outstanding_vnd: int
    phones_in_central_stock: int
    pledges_outstanding_phones: int
    version: int
    as_of: dt.datetime
