"""Domain events: what happened to a campaign, in the past tense. The campaign's stream is these, in order.

Every event that moves money or phones carries the journal entry it posted, so the ledger and every read
model are rebuilt from the events alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from campaign_ledger.domain.donors import Donor
from campaign_ledger.domain.ledger import JournalEntry


@dataclass(frozen=True, kw_only=True)
class CampaignEvent:
    """Something that happened to one campaign."""

    campaign_id: str


@dataclass(frozen=True, kw_only=True)
class CampaignOpened(CampaignEvent):
    """The campaign was launched (phát động) for these communes, with these targets."""

    name: str
    start_date: dt.date
    end_date: dt.date
    target_vnd: int
    target_phones: int
    commune_codes: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class CampaignClosed(CampaignEvent):
    """Fundraising ended."""

    date: dt.date


@dataclass(frozen=True, kw_only=True)
class LedgerEvent(CampaignEvent):
    """An event that posted a journal entry."""

    entry: JournalEntry

    @property
    def date(self) -> dt.date:
        """The business date of the fact (the voucher's date), which is the entry's date."""
        return self.entry.date


@dataclass(frozen=True, kw_only=True)
class PledgeRecorded(LedgerEvent):
    """A donor promised money and/or phones."""

    pledge_id: str
    donor: Donor
    amount_vnd: int
    phones: int


@dataclass(frozen=True, kw_only=True)
class DonationReceived(LedgerEvent):
    """Money or phones arrived. `applied_*` is the part that fulfilled the pledge; the rest was unpledged."""

    receipt_id: str
    reference: str
    pledge_id: str | None
    donor: Donor | None
    amount_vnd: int
    phones: int
    applied_vnd: int
    applied_phones: int


@dataclass(frozen=True, kw_only=True)
class PhonesPurchased(LedgerEvent):
    """Cash was spent on phones, which went to central stock."""

    purchase_id: str
    supplier: str
    amount_vnd: int
    phones: int


@dataclass(frozen=True, kw_only=True)
class PhonesAllocated(LedgerEvent):
    """Phones moved from central stock to a commune's stock."""

    allocation_id: str
    commune_code: str
    phones: int


@dataclass(frozen=True, kw_only=True)
class PhoneDelivered(LedgerEvent):
    """A household received a phone from its commune's stock."""

    delivery_id: str
    commune_code: str
    household_id: str
    imei: str | None


@dataclass(frozen=True, kw_only=True)
class EntryReversed(LedgerEvent):
    """A journal entry was cancelled by the opposite entry carried here, for a reason."""

    reversed_entry_id: str
    reason: str
