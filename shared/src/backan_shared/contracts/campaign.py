"""Integration events of the smartphone campaign (topic `campaign.events.v1`, key = campaign id).

Public by design (Decree 93/2021/NĐ-CP asks for a public statement): amounts, phones, communes and dates.
A beneficiary appears only as the registry's pseudonymous household id; an anonymous donor's name never
appears.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from backan_shared.contracts import INTEGRATION_EVENTS

TOPIC = "campaign.events.v1"
CAMPAIGN_OPENED = "vn.backan.campaign.campaign-opened.v1"
CAMPAIGN_CLOSED = "vn.backan.campaign.campaign-closed.v1"
PLEDGE_RECORDED = "vn.backan.campaign.pledge-recorded.v1"
DONATION_RECEIVED = "vn.backan.campaign.donation-received.v1"
PHONES_PURCHASED = "vn.backan.campaign.phones-purchased.v1"
PHONES_ALLOCATED = "vn.backan.campaign.phones-allocated.v1"
PHONE_DELIVERED = "vn.backan.campaign.phone-delivered.v1"
ENTRY_REVERSED = "vn.backan.campaign.entry-reversed.v1"


class CampaignOpened(BaseModel):
    campaign_id: str
    name: str
    target_vnd: int
    target_phones: int
    commune_codes: list[str]
    start_date: date
    end_date: date


class CampaignClosed(BaseModel):
    """Fundraising ended: no more pledges or receipts; phones already funded are still bought and handed out."""

    campaign_id: str
    closed_on: date


class PledgeRecorded(BaseModel):
    campaign_id: str
    pledge_id: str
    donor_name: str = Field(description="'Anonymous donor' when the donor asked for anonymity")
    donor_kind: Literal["enterprise", "organisation", "individual"]
    amount_vnd: int
    phones: int
    pledged_on: date | None = None


class DonationReceived(BaseModel):
    campaign_id: str
    receipt_id: str
    pledge_id: str | None = None
    amount_vnd: int
    phones: int
    received_on: date
    donor_name: str | None = Field(
        default=None,
        description="for a receipt that fulfils no pledge: the donor's public name ('Anonymous donor' when "
        "they asked for anonymity or gave none); a pledge's donor is on its PledgeRecorded",
    )
    donor_kind: Literal["enterprise", "organisation", "individual"] | None = None


class PhonesPurchased(BaseModel):
    campaign_id: str
    purchase_id: str
    amount_vnd: int
    phones: int
    supplier: str
    purchased_on: date | None = None


class PhonesAllocated(BaseModel):
    campaign_id: str
    allocation_id: str
    commune_code: str
    phones: int
    allocated_on: date | None = None


class PhoneDelivered(BaseModel):
    """One phone handed to a household (the registry records the household's information access)."""

    campaign_id: str
    delivery_id: str
    commune_code: str
    household_id: str = Field(description="the registry's pseudonymous household id")
    delivered_on: date


class EntryReversed(BaseModel):
    """A journal entry was cancelled by an opposite one (corrections are new entries, never edits)."""

    campaign_id: str
    entry_id: str
    reversed_entry_id: str
    reason: str
    reversed_kind: Literal["pledge", "receipt", "purchase", "allocation", "delivery"] | None = Field(
        default=None, description="what the reversed entry recorded"
    )
    reference: str | None = Field(
        default=None,
        description="the pledge, receipt, purchase, allocation or delivery id whose fact is cancelled, "
        "as carried by the event that recorded it",
    )
    reversed_on: date | None = None


for _type, _model in (
    (CAMPAIGN_OPENED, CampaignOpened),
    (CAMPAIGN_CLOSED, CampaignClosed),
    (PLEDGE_RECORDED, PledgeRecorded),
    (DONATION_RECEIVED, DonationReceived),
    (PHONES_PURCHASED, PhonesPurchased),
    (PHONES_ALLOCATED, PhonesAllocated),
    (PHONE_DELIVERED, PhoneDelivered),
    (ENTRY_REVERSED, EntryReversed),
):
    INTEGRATION_EVENTS.register(_type, _model)
