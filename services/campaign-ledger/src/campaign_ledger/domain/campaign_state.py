"""What a campaign remembers, rebuilt from its events: the evolve half of the `Campaign` aggregate.

Nothing here decides anything: `apply` takes one event, which is a fact, and changes the state by it. The
decisions (the commands and their invariants) are in `campaign.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Self

from campaign_ledger.domain import accounts
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
from campaign_ledger.domain.ledger import EntryKind, JournalEntry, Ledger
from campaign_ledger.domain.records import PledgeRecord, ReceiptRecord


@dataclass
class CampaignState:
    """A campaign's targets, communes, open/closed status, ledger, pledges, receipts and deliveries."""

    campaign_id: str
    name: str
    start_date: dt.date
    end_date: dt.date
    target_vnd: int
    target_phones: int
    commune_codes: tuple[str, ...]
    is_open: bool = True
    version: int = 0
    ledger: Ledger = field(default_factory=Ledger)
    pledges: dict[str, PledgeRecord] = field(default_factory=dict)
    receipts: dict[str, ReceiptRecord] = field(default_factory=dict)
    receipt_ids_by_reference: dict[str, str] = field(default_factory=dict)
    # Every delivery's household (delivery id → household id), and each household's delivery not reversed.
    delivered_to: dict[str, str] = field(default_factory=dict)
    household_deliveries: dict[str, str] = field(default_factory=dict)
    purchase_count: int = 0
    allocation_count: int = 0

    @classmethod
    def replay(cls, events: Iterable[CampaignEvent]) -> Self:
        """Rebuild a campaign from its stream, which starts with `CampaignOpened`."""
        stream = iter(events)
        opened = next(stream, None)
        if not isinstance(opened, CampaignOpened):
            raise ValueError("a campaign's stream starts with CampaignOpened")
        campaign = cls._from_opened(opened)
        for event in stream:
            campaign.apply(event)
        return campaign

    @classmethod
    def _from_opened(cls, event: CampaignOpened) -> Self:
        return cls(
            campaign_id=event.campaign_id,
            name=event.name,
            start_date=event.start_date,
            end_date=event.end_date,
            target_vnd=event.target_vnd,
            target_phones=event.target_phones,
            commune_codes=event.commune_codes,
            version=1,
        )

    def receipt_id_for(self, reference: str) -> str | None:
        """The receipt recorded under this bank or delivery-note reference, if any (for idempotent retries)."""
        return self.receipt_ids_by_reference.get(reference.strip())

    @property
    def cash_vnd(self) -> int:
        """Money held (tiền mặt và tiền gửi), in VND."""
        return self.ledger.balance(accounts.CASH_VND)

    @property
    def central_stock(self) -> int:
        """Phones in central stock, not yet allocated to a commune."""
        return self.ledger.balance(accounts.PHONE_STOCK_CENTRAL)

    def commune_stock(self, commune_code: str) -> int:
        """Phones allocated to the commune and not yet delivered."""
        return self.ledger.balance(accounts.commune_stock(commune_code))

    def apply(self, event: CampaignEvent) -> None:
        """Change the state by one event; events are facts, so nothing here refuses them."""
        match event:
            case CampaignClosed():
                self.is_open = False
            case PledgeRecorded():
                self.pledges[event.pledge_id] = PledgeRecord(event.donor, event.amount_vnd, event.phones)
            case DonationReceived():
                self._when_received(event)
            case PhonesPurchased():
                self.purchase_count += 1
            case PhonesAllocated():
                self.allocation_count += 1
            case PhoneDelivered():
                self.delivered_to[event.delivery_id] = event.household_id
                self.household_deliveries[event.household_id] = event.delivery_id
            case EntryReversed():
                self._when_reversed(self.ledger.entry(event.reversed_entry_id))
            case _:
                raise TypeError(f"a campaign does not apply {type(event).__name__}")
        if isinstance(event, LedgerEvent):
            self.ledger.post(event.entry)
        self.version += 1

    def _when_received(self, event: DonationReceived) -> None:
        self.receipts[event.receipt_id] = ReceiptRecord(
            event.reference, event.pledge_id, event.amount_vnd, event.phones, event.applied_vnd, event.applied_phones
        )
        self.receipt_ids_by_reference[event.reference] = event.receipt_id
        if event.pledge_id is not None:
            self.pledges[event.pledge_id].collected_vnd += event.applied_vnd
            self.pledges[event.pledge_id].collected_phones += event.applied_phones

    def _when_reversed(self, original: JournalEntry) -> None:
        if original.kind is EntryKind.PLEDGE:
            self.pledges[original.reference].reversed = True
        elif original.kind is EntryKind.RECEIPT:
            self._undo_receipt(self.receipts[original.reference])
        elif original.kind is EntryKind.DELIVERY:
            del self.household_deliveries[self.delivered_to[original.reference]]

    def _undo_receipt(self, receipt: ReceiptRecord) -> None:
        receipt.reversed = True
        # A reversed receipt frees its reference: correcting a mistyped amount means recording that transfer again.
        del self.receipt_ids_by_reference[receipt.reference]
        if receipt.pledge_id is not None:
            self.pledges[receipt.pledge_id].collected_vnd -= receipt.applied_vnd
            self.pledges[receipt.pledge_id].collected_phones -= receipt.applied_phones
