"""Commands: what the campaign office asks the campaign to do, in the imperative.

The service layer builds them from requests, adding what it looked up elsewhere (such as where the household
registry says a household lives), so the aggregate can decide without reading anything itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from campaign_ledger.domain.donors import Donor


@dataclass(frozen=True, kw_only=True)
class Command:
    """A request addressed to one campaign."""

    campaign_id: str


@dataclass(frozen=True, kw_only=True)
class OpenCampaign(Command):
    """Launch a campaign (phát động) for some communes, with targets in money and in phones."""

    name: str
    start_date: dt.date
    end_date: dt.date
    target_vnd: int
    target_phones: int
    commune_codes: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class CloseCampaign(Command):
    """End fundraising: no more pledges or receipts; phones already funded are still bought and handed out."""

    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecordPledge(Command):
    """Record a donor's promise (đăng ký ủng hộ) of money, phones or both; nothing has arrived yet."""

    donor: Donor
    amount_vnd: int = 0
    phones: int = 0
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecordReceipt(Command):
    """Record money or phones that arrived, under the bank transfer or delivery-note `reference`.

    The same reference twice is one receipt. `pledge_id` names the pledge it fulfils, if any; `donor` names
    the giver of a receipt that fulfils no pledge.
    """

    reference: str
    amount_vnd: int = 0
    phones: int = 0
    pledge_id: str | None = None
    donor: Donor | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class RecordPurchase(Command):
    """Record money spent on phones from a supplier; the phones go to central stock."""

    amount_vnd: int
    phones: int
    supplier: str
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class AllocatePhones(Command):
    """Move phones from central stock to one of the campaign's communes."""

    commune_code: str
    phones: int
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class DeliverPhone(Command):
    """Hand one phone from a commune's stock to a household (pseudonymous id from the household registry).

    `household_commune` is the commune the registry's read model places the household in, or None if the
    registry never published the household: the service layer looks it up, the aggregate judges it.
    """

    commune_code: str
    household_id: str
    household_commune: str | None
    imei: str | None = None
    date: dt.date


@dataclass(frozen=True, kw_only=True)
class ReverseEntry(Command):
    """Cancel a journal entry with a new, opposite entry that gives the reason (bút toán đảo)."""

    entry_id: str
    reason: str
    date: dt.date
