"""From the REST bodies (`backan_shared.api.campaigns`) to the domain's commands: field by field, no logic."""

from __future__ import annotations

import datetime as dt

from backan_shared.api.campaigns import (
    AllocationCreate,
    CampaignClose,
    CampaignCreate,
    DeliveryCreate,
    DonorCreate,
    PledgeCreate,
    PurchaseCreate,
    ReceiptCreate,
    ReversalCreate,
)
from campaign_ledger.domain.commands import (
    AllocatePhones,
    CloseCampaign,
    DeliverPhone,
    OpenCampaign,
    RecordPledge,
    RecordPurchase,
    RecordReceipt,
    ReverseEntry,
)
from campaign_ledger.domain.donors import Donor, DonorKind

# Vietnam keeps UTC+7 all year (no daylight saving), so a fixed offset is its clock.
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def business_date(date: dt.date | None) -> dt.date:
    """The voucher's date as given, or today in Vietnam."""
    return date or dt.datetime.now(VIETNAM).date()


def open_command(campaign_id: str, body: CampaignCreate) -> OpenCampaign:
    """Open a campaign under a new id."""
    return OpenCampaign(
        campaign_id=campaign_id,
        name=body.name,
        start_date=body.start_date,
        end_date=body.end_date,
        target_vnd=body.target_vnd,
        target_phones=body.target_phones,
        commune_codes=tuple(body.commune_codes),
    )


def donor(body: DonorCreate) -> Donor:
    """The donor as the campaign office records them."""
    return Donor(body.name, DonorKind(body.kind), body.anonymous)


def pledge_command(campaign_id: str, body: PledgeCreate) -> RecordPledge:
    """Record a pledge."""
    return RecordPledge(
        campaign_id=campaign_id,
        donor=donor(body.donor),
        amount_vnd=body.amount_vnd,
        phones=body.phones,
        date=business_date(body.date),
    )


def receipt_command(campaign_id: str, body: ReceiptCreate) -> RecordReceipt:
    """Record a receipt."""
    return RecordReceipt(
        campaign_id=campaign_id,
        reference=body.reference,
        amount_vnd=body.amount_vnd,
        phones=body.phones,
        pledge_id=body.pledge_id,
        donor=donor(body.donor) if body.donor else None,
        date=business_date(body.date),
    )


def purchase_command(campaign_id: str, body: PurchaseCreate) -> RecordPurchase:
    """Record a purchase."""
    return RecordPurchase(
        campaign_id=campaign_id,
        amount_vnd=body.amount_vnd,
        phones=body.phones,
        supplier=body.supplier,
        date=business_date(body.date),
    )


def allocation_command(campaign_id: str, body: AllocationCreate) -> AllocatePhones:
    """Allocate phones to a commune."""
    return AllocatePhones(
        campaign_id=campaign_id, commune_code=body.commune_code, phones=body.phones, date=business_date(body.date)
    )


def delivery_command(campaign_id: str, body: DeliveryCreate) -> DeliverPhone:
    """Deliver a phone; the handler looks up where the registry says the household lives."""
    return DeliverPhone(
        campaign_id=campaign_id,
        commune_code=body.commune_code,
        household_id=body.household_id,
        household_commune=None,
        imei=body.imei,
        date=business_date(body.date),
    )


def reversal_command(campaign_id: str, entry_id: str, body: ReversalCreate) -> ReverseEntry:
    """Reverse a journal entry."""
    return ReverseEntry(campaign_id=campaign_id, entry_id=entry_id, reason=body.reason, date=business_date(body.date))


def close_command(campaign_id: str, body: CampaignClose | None) -> CloseCampaign:
    """Close a campaign."""
    return CloseCampaign(campaign_id=campaign_id, date=business_date(body.date if body else None))
