"""From a campaign's private domain events to the integration events on the campaign topic
(`backan_shared.contracts.campaign`), bound for the outbox and keyed by campaign id, so one campaign's events
keep their order on one partition.

The topic is public by design, so each payload is built from the public face of a fact: an anonymous donor is
published as "Anonymous donor", a beneficiary only as the registry's pseudonymous household id, and a
phone's IMEI stays in the ledger's own database.

An integration event's id is derived from the fact it publishes (the campaign and the journal entry), not
drawn at random: the answer to a retried receipt can then carry the consistency token of the original.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from backan_shared.consistency import consistency_token
from backan_shared.contracts import INTEGRATION_EVENTS
from backan_shared.contracts import campaign as contract
from backan_shared.outbox import OutboxMessage
from campaign_ledger.domain.campaign_state import CampaignState
from campaign_ledger.domain.donors import UNKNOWN_DONOR
from campaign_ledger.domain.events import (
    CampaignClosed,
    CampaignEvent,
    CampaignOpened,
    DonationReceived,
    EntryReversed,
    LedgerEvent,
    PhoneDelivered,
    PhonesAllocated,
    PhonesPurchased,
    PledgeRecorded,
)

# Any fixed UUID: integration event ids are uuid5(namespace, campaign/fact), the same for the same fact.
_EVENT_ID_NAMESPACE = uuid.UUID("4f0c7d52-9b1e-4e55-8a1d-6c2b8f3e7a90")


@dataclass(frozen=True)
class IntegrationPublisher:
    """Makes the outbox messages of a command's events, for one topic and CloudEvents source."""

    topic: str
    source: str

    def messages(self, campaign: CampaignState, events: Sequence[CampaignEvent]) -> list[OutboxMessage]:
        """One message per event; `campaign` is the state the events left it in."""
        return [self.message(event, *integration_event(campaign, event)) for event in events]

    def message(self, event: CampaignEvent, event_type: str, payload: BaseModel) -> OutboxMessage:
        """A payload in its CloudEvents envelope, keyed by the campaign's id."""
        key = event.campaign_id
        envelope = INTEGRATION_EVENTS.create(payload, event_type=event_type, source=self.source, subject=key)
        envelope = envelope.model_copy(update={"id": integration_event_id(key, fact_of(event))})
        return OutboxMessage(self.topic, key, envelope)

    def token_for(self, campaign_id: str, fact: str) -> str:
        """The consistency token of the integration event that published a fact (an entry id, for instance)."""
        return consistency_token(self.source, integration_event_id(campaign_id, fact))


def fact_of(event: CampaignEvent) -> str:
    """What makes an event unique in its campaign: its journal entry, or its kind for the opening and closing."""
    if isinstance(event, LedgerEvent):
        return event.entry.entry_id
    return "opened" if isinstance(event, CampaignOpened) else "closed"


def integration_event_id(campaign_id: str, fact: str) -> str:
    """The id of the integration event that publishes `fact` of a campaign."""
    return str(uuid.uuid5(_EVENT_ID_NAMESPACE, f"{campaign_id}/{fact}"))


def integration_event(campaign: CampaignState, event: CampaignEvent) -> tuple[str, BaseModel]:
    """The integration event type and payload that publish one domain event."""
    match event:
        case CampaignOpened():
            return contract.CAMPAIGN_OPENED, campaign_opened(event)
        case CampaignClosed():
            return contract.CAMPAIGN_CLOSED, contract.CampaignClosed(
                campaign_id=event.campaign_id, closed_on=event.date
            )
        case PledgeRecorded():
            return contract.PLEDGE_RECORDED, pledge_recorded(event)
        case DonationReceived():
            return contract.DONATION_RECEIVED, donation_received(event)
        case PhonesPurchased():
            return contract.PHONES_PURCHASED, phones_purchased(event)
        case PhonesAllocated():
            return contract.PHONES_ALLOCATED, phones_allocated(event)
        case PhoneDelivered():
            return contract.PHONE_DELIVERED, phone_delivered(event)
        case EntryReversed():
            return contract.ENTRY_REVERSED, entry_reversed(campaign, event)
    raise TypeError(f"{type(event).__name__} has no integration event")


def campaign_opened(event: CampaignOpened) -> contract.CampaignOpened:
    """The launch, with its targets and communes."""
    return contract.CampaignOpened(
        campaign_id=event.campaign_id,
        name=event.name,
        target_vnd=event.target_vnd,
        target_phones=event.target_phones,
        commune_codes=list(event.commune_codes),
        start_date=event.start_date,
        end_date=event.end_date,
    )


def pledge_recorded(event: PledgeRecorded) -> contract.PledgeRecorded:
    """A pledge, under the donor's public face: an anonymous donor's name is never published."""
    donor = event.donor.public()
    return contract.PledgeRecorded(
        campaign_id=event.campaign_id,
        pledge_id=event.pledge_id,
        donor_name=donor.name,
        donor_kind=event.donor.kind.value,
        amount_vnd=event.amount_vnd,
        phones=event.phones,
        pledged_on=event.date,
    )


def donation_received(event: DonationReceived) -> contract.DonationReceived:
    """Money or phones received. A pledge's donor is known from the pledge; a gift without one carries its
    donor's public face, so readers attribute it as the ledger's statement does."""
    donor = None if event.pledge_id is not None else (event.donor.public() if event.donor else UNKNOWN_DONOR)
    return contract.DonationReceived(
        campaign_id=event.campaign_id,
        receipt_id=event.receipt_id,
        pledge_id=event.pledge_id,
        amount_vnd=event.amount_vnd,
        phones=event.phones,
        received_on=event.date,
        donor_name=donor.name if donor else None,
        donor_kind=donor.kind.value if donor and donor.kind else None,
    )


def phones_purchased(event: PhonesPurchased) -> contract.PhonesPurchased:
    """Cash turned into phones."""
    return contract.PhonesPurchased(
        campaign_id=event.campaign_id,
        purchase_id=event.purchase_id,
        amount_vnd=event.amount_vnd,
        phones=event.phones,
        supplier=event.supplier,
        purchased_on=event.date,
    )


def phones_allocated(event: PhonesAllocated) -> contract.PhonesAllocated:
    """Phones moved to a commune's stock."""
    return contract.PhonesAllocated(
        campaign_id=event.campaign_id,
        allocation_id=event.allocation_id,
        commune_code=event.commune_code,
        phones=event.phones,
        allocated_on=event.date,
    )


def phone_delivered(event: PhoneDelivered) -> contract.PhoneDelivered:
    """A phone handed to a household, named only by its pseudonymous id (no IMEI: it identifies the phone)."""
    return contract.PhoneDelivered(
        campaign_id=event.campaign_id,
        delivery_id=event.delivery_id,
        commune_code=event.commune_code,
        household_id=event.household_id,
        delivered_on=event.date,
    )


def entry_reversed(campaign: CampaignState, event: EntryReversed) -> contract.EntryReversed:
    """A correction, with what it cancels, so a reader can undo the fact it had counted."""
    original = campaign.ledger.entry(event.reversed_entry_id)
    return contract.EntryReversed(
        campaign_id=event.campaign_id,
        entry_id=event.entry.entry_id,
        reversed_entry_id=event.reversed_entry_id,
        reason=event.reason,
        reversed_kind=original.kind.value,  # type: ignore[arg-type]  # never "reversal": reversals are not reversed
        reference=original.reference,
        reversed_on=event.date,
    )
