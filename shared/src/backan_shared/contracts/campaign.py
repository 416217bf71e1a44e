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


class PledgeRecorded(BaseModel):
    campaign_id: str
    pledge_id: str
    donor_name: str = Field(description="'Anonymous donor' when the donor asked for anonymity")
    donor_kind: Literal["enterprise", "organisation", "individual"]
    amount_vnd: int
    phones: int


class DonationReceived(BaseModel):
    campaign_id: str
    receipt_id: str
    pledge_id: str | None = None
    amount_vnd: int
    phones: int
    received_on: date


class PhonesPurchased(BaseModel):
    campaign_id: str
    purchase_id: str
    amount_vnd: int
    phones: int
    supplier: str


class PhonesAllocated(BaseModel):
    campaign_id: str
    allocation_id: str
    commune_code: str
    phones: int


class PhoneDelivered(BaseModel):
    """One phone handed to a household (the registry records the household's information access)."""

    campaign_id: str
    delivery_id: str
    commune_code: str
    household_id: str = Field(description="the registry's pseudonymous household id")
    delivered_on: date


class EntryReversed(BaseModel):
    campaign_id: str
    entry_id: str
    reversed_entry_id: str
    reason: str


for _type, _model in (
    (CAMPAIGN_OPENED, CampaignOpened),
    (PLEDGE_RECORDED, PledgeRecorded),
    (DONATION_RECEIVED, DonationReceived),
    (PHONES_PURCHASED, PhonesPurchased),
    (PHONES_ALLOCATED, PhonesAllocated),
    (PHONE_DELIVERED, PhoneDelivered),
    (ENTRY_REVERSED, EntryReversed),
):
    INTEGRATION_EVENTS.register(_type, _model)
