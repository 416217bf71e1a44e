"""The campaign statement (báo cáo công khai): where every đồng and every phone went, computed from events.

`StatementProjection` folds events one at a time, so the service can keep it up to date as events are
appended; `CampaignStatement.from_events` folds a whole stream. Both give the same statement for the same
events, which is what lets any read model be dropped and rebuilt by replay.

Every figure is a net movement on the ledger's accounts, so a reversal subtracts exactly what its original
added. A figure that counts one kind of fact (money received, phones allocated) sums the movements of the
entries of that kind, a reversal counting as the kind it reverses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from campaign_ledger.domain import accounts as acc
from campaign_ledger.domain.attribution import DonorAttribution
from campaign_ledger.domain.donors import DonorKind, PublicDonor
from campaign_ledger.domain.events import CampaignClosed, CampaignEvent, CampaignOpened, LedgerEvent
from campaign_ledger.domain.ledger import EntryKind

_Key = TypeVar("_Key")


@dataclass(frozen=True)
class CommuneTotals:
    """Phones for one commune (xã/phường): allocated to it, handed to its households, and still in its stock."""

    commune_code: str
    phones_allocated: int
    phones_delivered: int
    phones_in_stock: int


@dataclass(frozen=True)
class DonorTotals:
    """What one donor pledged and gave; anonymous donors appear only under the anonymous label."""

    donor: str
    donor_vi: str
    kind: DonorKind | None
    anonymous: bool
    pledged_vnd: int
    pledged_phones: int
    received_vnd: int
    received_phones: int


@dataclass(frozen=True)
class CampaignStatement:
    """The public statement of a campaign. Progress is money received against the VND target, and phones
    delivered to households against the phone target, in percent."""

    campaign_id: str
    name: str
    is_open: bool
    target_vnd: int
    target_phones: int
    pledged_vnd: int
    received_vnd: int
    spent_vnd: int
    cash_vnd: int
    pledges_outstanding_vnd: int
    phones_pledged: int
    phones_received: int
    phones_purchased: int
    phones_in_stock: int
    phones_in_central_stock: int
    phones_allocated: int
    phones_delivered: int
    pledges_outstanding_phones: int
    by_commune: tuple[CommuneTotals, ...]
    by_donor: tuple[DonorTotals, ...]
    progress_vnd_percent: float
    progress_phones_percent: float
    version: int

    @classmethod
    def from_events(cls, events: Iterable[CampaignEvent]) -> CampaignStatement:
        """The statement of a campaign's whole stream."""
        projection = StatementProjection()
        for event in events:
            projection.apply(event)
        return projection.statement()


@dataclass
class StatementProjection:
    """The running sums a statement is computed from, updated one event at a time."""

    opened: CampaignOpened | None = None
    is_open: bool = True
    version: int = 0
    balances: dict[str, int] = field(default_factory=dict)
    kind_movements: dict[tuple[EntryKind, str], int] = field(default_factory=dict)
    donor_movements: dict[PublicDonor, dict[str, int]] = field(default_factory=dict)
    entry_kinds: dict[str, EntryKind] = field(default_factory=dict)
    donors: DonorAttribution = field(default_factory=DonorAttribution)

    def apply(self, event: CampaignEvent) -> None:
        """Add one event to the sums."""
        self.version += 1
        if isinstance(event, CampaignOpened):
            self.opened = event
        elif isinstance(event, CampaignClosed):
            self.is_open = False
        donor = self.donors.apply(event)
        if isinstance(event, LedgerEvent):
            self._add_entry(event, donor)

    def _add_entry(self, event: LedgerEvent, donor: PublicDonor | None) -> None:
        entry = event.entry
        kind = entry.kind if entry.reverses is None else self.entry_kinds[entry.reverses]
        self.entry_kinds[entry.entry_id] = kind
        for posting in entry.postings:
            _add(self.balances, posting.account, posting.movement)
            _add(self.kind_movements, (kind, posting.account), posting.movement)
            if donor is not None:
                _add(self.donor_movements.setdefault(donor, {}), posting.account, posting.movement)

    def statement(self) -> CampaignStatement:
        """The statement as of the last event applied."""
        if self.opened is None:
            raise ValueError("a statement needs the campaign's CampaignOpened event first")
        opened, balance = self.opened, self._balance
        received_vnd = self._kind_movement(EntryKind.RECEIPT, acc.CASH_VND)
        by_commune = tuple(self._commune(code) for code in opened.commune_codes)
        delivered = balance(acc.PHONES_DELIVERED)
        return CampaignStatement(
            campaign_id=opened.campaign_id,
            name=opened.name,
            is_open=self.is_open,
            target_vnd=opened.target_vnd,
            target_phones=opened.target_phones,
            pledged_vnd=-balance(acc.PLEDGED_INCOME_VND),
            received_vnd=received_vnd,
            spent_vnd=balance(acc.PHONES_SPENT_VND),
            cash_vnd=balance(acc.CASH_VND),
            pledges_outstanding_vnd=balance(acc.PLEDGES_RECEIVABLE_VND),
            phones_pledged=-balance(acc.PLEDGED_PHONES),
            phones_received=self._kind_movement(EntryKind.RECEIPT, acc.PHONE_STOCK_CENTRAL),
            phones_purchased=-balance(acc.PHONES_PURCHASED),
            phones_in_stock=balance(acc.PHONE_STOCK_CENTRAL) + sum(c.phones_in_stock for c in by_commune),
            phones_in_central_stock=balance(acc.PHONE_STOCK_CENTRAL),
            phones_allocated=sum(c.phones_allocated for c in by_commune),
            phones_delivered=delivered,
            pledges_outstanding_phones=balance(acc.PLEDGES_RECEIVABLE_PHONES),
            by_commune=by_commune,
            by_donor=self._by_donor(),
            progress_vnd_percent=percent(received_vnd, opened.target_vnd),
            progress_phones_percent=percent(delivered, opened.target_phones),
            version=self.version,
        )

    def _balance(self, account: str) -> int:
        return self.balances.get(account, 0)

    def _kind_movement(self, kind: EntryKind, account: str) -> int:
        return self.kind_movements.get((kind, account), 0)

    def _commune(self, commune_code: str) -> CommuneTotals:
        stock = acc.commune_stock(commune_code)
        return CommuneTotals(
            commune_code=commune_code,
            phones_allocated=self._kind_movement(EntryKind.ALLOCATION, stock),
            phones_delivered=-self._kind_movement(EntryKind.DELIVERY, stock),
            phones_in_stock=self._balance(stock),
        )

    def _by_donor(self) -> tuple[DonorTotals, ...]:
        rows = [_donor_totals(donor, movements) for donor, movements in self.donor_movements.items()]
        # A donor whose every gift was reversed (a pledge entered by mistake) has nothing left to show.
        rows = [row for row in rows if row.pledged_vnd or row.pledged_phones or row.received_vnd or row.received_phones]
        # Largest gifts first, as a public roll of honour (bảng vàng) is read; the name settles ties.
        return tuple(sorted(rows, key=lambda r: (-r.received_vnd, -r.pledged_vnd, r.donor, r.kind or "")))


def _donor_totals(donor: PublicDonor, movements: dict[str, int]) -> DonorTotals:
    return DonorTotals(
        donor=donor.name,
        donor_vi=donor.name_vi,
        kind=donor.kind,
        anonymous=donor.anonymous,
        pledged_vnd=-movements.get(acc.PLEDGED_INCOME_VND, 0),
        pledged_phones=-movements.get(acc.PLEDGED_PHONES, 0),
        received_vnd=movements.get(acc.CASH_VND, 0),
        received_phones=movements.get(acc.PHONE_STOCK_CENTRAL, 0),
    )


def percent(part: int, whole: int) -> float:
    """`part` as a percentage of `whole`, to two decimals; zero when there is no whole to measure against."""
    if whole <= 0:
        return 0.0
    return round(100 * part / whole, 2)


def _add(sums: dict[_Key, int], key: _Key, amount: int) -> None:
    sums[key] = sums.get(key, 0) + amount
