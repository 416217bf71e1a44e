"""Double-entry bookkeeping (kế toán kép) in two units kept apart: money in integer VND, phones as a count.

Every fact the campaign records posts one `JournalEntry` whose debits equal its credits in each unit, so the
`TrialBalance` over all entries is always zero per unit. Entries are never edited or deleted: a correction is
a new entry with the postings swapped that names the entry it reverses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from campaign_ledger.domain.accounts import Unit, must_stay_non_negative, shortage, unit_of
from campaign_ledger.domain.errors import (
    EntryAlreadyReversedError,
    InvalidEntryError,
    NotReversibleError,
    UnbalancedEntryError,
    UnitMismatchError,
    UnknownEntryError,
)


class EntryKind(StrEnum):
    """What a journal entry records; a pledge, a receipt, an allocation and a delivery are different facts."""

    PLEDGE = "pledge"
    RECEIPT = "receipt"
    PURCHASE = "purchase"
    ALLOCATION = "allocation"
    DELIVERY = "delivery"
    REVERSAL = "reversal"


def _check_quantity(value: int) -> None:
    # bool is an int in Python, and a float VND amount is exactly what this ledger exists to refuse.
    if type(value) is not int or value < 0:
        raise InvalidEntryError(f"a debit or credit must be a whole number of zero or more, not {value!r}")


@dataclass(frozen=True)
class Posting:
    """One line of an entry: an amount debited or credited to one account, in that account's unit."""

    account: str
    debit: int
    credit: int
    unit: Unit

    def __post_init__(self) -> None:
        _check_quantity(self.debit)
        _check_quantity(self.credit)
        if (self.debit == 0) == (self.credit == 0):
            raise InvalidEntryError(f"a posting to {self.account} must be either a debit or a credit, above zero")
        if unit_of(self.account) != self.unit:
            raise UnitMismatchError(f"{self.account} is not kept in {self.unit}")

    @classmethod
    def debit_of(cls, account: str, amount: int) -> Posting:
        """A debit (ghi Nợ) of `amount` to `account`, in the account's own unit."""
        return cls(account, amount, 0, _unit(account))

    @classmethod
    def credit_of(cls, account: str, amount: int) -> Posting:
        """A credit (ghi Có) of `amount` to `account`, in the account's own unit."""
        return cls(account, 0, amount, _unit(account))

    @property
    def movement(self) -> int:
        """What the posting adds to the account's balance (debit minus credit)."""
        return self.debit - self.credit

    def swapped(self) -> Posting:
        """The same amount on the other side: the posting that cancels this one."""
        return Posting(self.account, self.credit, self.debit, self.unit)


def _unit(account: str) -> Unit:
    unit = unit_of(account)
    if unit is None:
        raise InvalidEntryError(f"{account} is not in the campaign's chart of accounts")
    return unit


@dataclass(frozen=True)
class JournalEntry:
    """One balanced entry of the journal (bút toán): the postings of one fact, with its document reference.

    `reference` is the campaign document the entry records (a pledge, receipt, purchase, allocation or
    delivery id); `memo` is public text (a bank reference, a supplier, a reversal's reason), never a name.
    """

    entry_id: str
    kind: EntryKind
    date: dt.date
    postings: tuple[Posting, ...]
    reference: str
    memo: str = ""
    reverses: str | None = None

    def totals(self, unit: Unit) -> tuple[int, int]:
        """The entry's total debits and total credits in one unit."""
        lines = [p for p in self.postings if p.unit is unit]
        return sum(p.debit for p in lines), sum(p.credit for p in lines)

    def check_balanced(self) -> None:
        """Refuse an entry with no postings, or whose debits differ from its credits in any unit."""
        if not self.postings:
            raise UnbalancedEntryError(f"entry {self.entry_id} has no postings")
        for unit in Unit:
            debits, credits = self.totals(unit)
            if debits != credits:
                raise UnbalancedEntryError(
                    f"entry {self.entry_id} debits {debits:,} {unit} but credits {credits:,} {unit}"
                )

    def reversal(self, entry_id: str, date: dt.date, reason: str) -> JournalEntry:
        """The entry that cancels this one: every posting swapped, the reason as its memo."""
        return JournalEntry(
            entry_id=entry_id,
            kind=EntryKind.REVERSAL,
            date=date,
            postings=tuple(p.swapped() for p in self.postings),
            reference=self.reference,
            memo=reason,
            reverses=self.entry_id,
        )


@dataclass(frozen=True)
class TrialBalance:
    """Every account's balance (debit minus credit) over a set of entries (bảng cân đối số phát sinh)."""

    balances: dict[str, int]

    @classmethod
    def of(cls, entries: Iterable[JournalEntry]) -> TrialBalance:
        """The trial balance of `entries`."""
        balances: dict[str, int] = {}
        for entry in entries:
            for posting in entry.postings:
                balances[posting.account] = balances.get(posting.account, 0) + posting.movement
        return cls(balances)

    def difference(self, unit: Unit) -> int:
        """Total debits minus total credits in one unit: zero whenever every entry balanced."""
        return sum(balance for account, balance in self.balances.items() if unit_of(account) is unit)

    def is_balanced(self) -> bool:
        """Whether debits equal credits in every unit."""
        return all(self.difference(unit) == 0 for unit in Unit)


@dataclass
class Ledger:
    """The campaign's journal and the running balance of each account."""

    entries: list[JournalEntry] = field(default_factory=list)
    balances: dict[str, int] = field(default_factory=dict)
    reversed_by: dict[str, str] = field(default_factory=dict)
    _by_id: dict[str, JournalEntry] = field(default_factory=dict, repr=False)

    def next_entry_id(self) -> str:
        """The number the next entry will carry: entries are numbered in order, like vouchers."""
        return f"JE-{len(self.entries) + 1:06d}"

    def balance(self, account: str) -> int:
        """The account's balance, debit minus credit; zero for an account never posted to."""
        return self.balances.get(account, 0)

    def entry(self, entry_id: str) -> JournalEntry:
        """The entry with this id."""
        if entry_id not in self._by_id:
            raise UnknownEntryError(f"there is no journal entry {entry_id}")
        return self._by_id[entry_id]

    def check_reversible(self, entry_id: str) -> JournalEntry:
        """The entry with this id, if it can still be reversed."""
        original = self.entry(entry_id)
        if original.kind is EntryKind.REVERSAL:
            raise NotReversibleError(f"{entry_id} is a reversal; record the original fact again instead")
        if entry_id in self.reversed_by:
            raise EntryAlreadyReversedError(f"{entry_id} was already reversed by {self.reversed_by[entry_id]}")
        return original

    def check_can_post(self, entry: JournalEntry) -> None:
        """Refuse an entry that is unbalanced or would take an account of cash, stock or receivables below zero."""
        entry.check_balanced()
        for account, movement in _movements(entry).items():
            balance = self.balance(account)
            if must_stay_non_negative(account) and balance + movement < 0:
                raise shortage(account, balance, -movement)

    def post(self, entry: JournalEntry) -> None:
        """Add a balanced entry to the journal and its movements to the balances."""
        entry.check_balanced()
        if entry.entry_id in self._by_id:
            raise InvalidEntryError(f"entry {entry.entry_id} is already in the journal")
        if entry.reverses is not None:
            self.check_reversible(entry.reverses)
            self.reversed_by[entry.reverses] = entry.entry_id
        self.entries.append(entry)
        self._by_id[entry.entry_id] = entry
        for account, movement in _movements(entry).items():
            self.balances[account] = self.balance(account) + movement

    def trial_balance(self) -> TrialBalance:
        """The trial balance of every entry posted so far."""
        return TrialBalance(dict(self.balances))


def _movements(entry: JournalEntry) -> dict[str, int]:
    # An entry may post to one account twice (a receipt applied partly to a pledge); net them per account.
    movements: dict[str, int] = {}
    for posting in entry.postings:
        movements[posting.account] = movements.get(posting.account, 0) + posting.movement
    return movements
