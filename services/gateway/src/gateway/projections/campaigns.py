"""The campaign family's projection: campaigns and their facts from `campaign.events.v1` (read by `queries.campaigns`).

A fact (pledge, receipt, purchase, allocation, delivery) is a row keyed by its id; a reversal is a row of its
own naming the fact it cancels, and every query counts only the facts no reversal names. So the order the
events arrive in, and how often, never changes a figure.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backan_shared.contracts import campaign as contract
from backan_shared.logs import get_logger
from gateway.projections.handling import Handlers, Write, write

log = get_logger(__name__)


def campaign_opened(event: contract.CampaignOpened, _time: datetime) -> Write:
    """A campaign's name, targets and communes (a closure seen first keeps its date)."""
    return write(
        """INSERT INTO campaigns (campaign_id, name, target_vnd, target_phones, commune_codes, start_date, end_date)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (campaign_id) DO UPDATE SET name = EXCLUDED.name, target_vnd = EXCLUDED.target_vnd,
               target_phones = EXCLUDED.target_phones, commune_codes = EXCLUDED.commune_codes,
               start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date""",
        event.campaign_id,
        event.name,
        event.target_vnd,
        event.target_phones,
        event.commune_codes,
        event.start_date,
        event.end_date,
    )


def campaign_closed(event: contract.CampaignClosed, _time: datetime) -> Write:
    """Fundraising ended on `closed_on`."""
    return write(
        """INSERT INTO campaigns (campaign_id, closed_on) VALUES ($1, $2)
           ON CONFLICT (campaign_id) DO UPDATE SET closed_on = EXCLUDED.closed_on""",
        event.campaign_id,
        event.closed_on,
    )


def _fact(campaign_id: str, kind: str, fact_id: str, **columns: Any) -> Write:
    # A fact never changes once recorded (corrections are reversals), so a repeat is simply ignored.
    names = ["campaign_id", "kind", "fact_id", *columns]
    placeholders = ", ".join(f"${n}" for n in range(1, len(names) + 1))
    return write(
        f"INSERT INTO campaign_facts ({', '.join(names)}) VALUES ({placeholders}) ON CONFLICT DO NOTHING",
        campaign_id,
        kind,
        fact_id,
        *columns.values(),
    )


def pledge_recorded(event: contract.PledgeRecorded, _time: datetime) -> Write:
    """A donor's promise, under the donor's public name."""
    return _fact(
        event.campaign_id,
        "pledge",
        event.pledge_id,
        amount_vnd=event.amount_vnd,
        phones=event.phones,
        donor_name=event.donor_name,
        donor_kind=event.donor_kind,
    )


def donation_received(event: contract.DonationReceived, _time: datetime) -> Write:
    """Money or phones received, against a pledge or not."""
    return _fact(
        event.campaign_id,
        "receipt",
        event.receipt_id,
        amount_vnd=event.amount_vnd,
        phones=event.phones,
        pledge_id=event.pledge_id,
        donor_name=event.donor_name,
        donor_kind=event.donor_kind,
    )


def phones_purchased(event: contract.PhonesPurchased, _time: datetime) -> Write:
    """Cash turned into phones."""
    return _fact(event.campaign_id, "purchase", event.purchase_id, amount_vnd=event.amount_vnd, phones=event.phones)


def phones_allocated(event: contract.PhonesAllocated, _time: datetime) -> Write:
    """Phones moved to a commune's stock."""
    return _fact(
        event.campaign_id, "allocation", event.allocation_id, phones=event.phones, commune_code=event.commune_code
    )


def phone_delivered(event: contract.PhoneDelivered, _time: datetime) -> Write:
    """One phone handed to a household of a commune (the household itself is not kept)."""
    return _fact(event.campaign_id, "delivery", event.delivery_id, phones=1, commune_code=event.commune_code)


def entry_reversed(event: contract.EntryReversed, _time: datetime) -> Write | None:
    """Cancel the fact the reversed entry recorded."""
    if event.reversed_kind is None or event.reference is None:
        # Without them the gateway cannot tell which fact to cancel; the ledger's own statement still can.
        log.warning("reversal without the fact it cancels; ignored", entry_id=event.entry_id)
        return None
    return write(
        """INSERT INTO campaign_reversals (campaign_id, kind, reference, entry_id, reversed_entry_id)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
        event.campaign_id,
        event.reversed_kind,
        event.reference,
        event.entry_id,
        event.reversed_entry_id,
    )


HANDLERS: Handlers = {
    contract.CampaignOpened: campaign_opened,
    contract.CampaignClosed: campaign_closed,
    contract.PledgeRecorded: pledge_recorded,
    contract.DonationReceived: donation_received,
    contract.PhonesPurchased: phones_purchased,
    contract.PhonesAllocated: phones_allocated,
    contract.PhoneDelivered: phone_delivered,
    contract.EntryReversed: entry_reversed,
}
