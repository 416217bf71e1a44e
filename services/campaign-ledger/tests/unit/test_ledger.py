"""Double entry: postings, balanced entries, reversals and the trial balance, in two units kept apart."""

from __future__ import annotations

import datetime as dt

import pytest

from campaign_ledger.domain import accounts as acc
from campaign_ledger.domain.accounts import Unit
from campaign_ledger.domain.errors import (
    EntryAlreadyReversedError,
    InsufficientCashError,
    InsufficientStockError,
    InvalidEntryError,
    NotReversibleError,
    UnbalancedEntryError,
    UnitMismatchError,
    UnknownEntryError,
)
from campaign_ledger.domain.ledger import EntryKind, JournalEntry, Ledger, Posting, TrialBalance

DAY = dt.date(2023, 8, 11)


def receipt_of(amount_vnd: int, entry_id: str = "JE-000001") -> JournalEntry:
    postings = (Posting.debit_of(acc.CASH_VND, amount_vnd), Posting.credit_of(acc.UNPLEDGED_INCOME_VND, amount_vnd))
    return JournalEntry(entry_id, EntryKind.RECEIPT, DAY, postings, "RC-0001", "reference FT1")


def test_a_posting_is_either_a_debit_or_a_credit_above_zero() -> None:
    with pytest.raises(InvalidEntryError):
        Posting(acc.CASH_VND, 5, 5, Unit.VND)
    with pytest.raises(InvalidEntryError):
        Posting(acc.CASH_VND, 0, 0, Unit.VND)
    with pytest.raises(InvalidEntryError):
        Posting(acc.CASH_VND, -5, 0, Unit.VND)


def test_money_is_never_a_float() -> None:
    with pytest.raises(InvalidEntryError):
        Posting(acc.CASH_VND, 1_900_000.0, 0, Unit.VND)  # type: ignore[arg-type]
    with pytest.raises(InvalidEntryError):
        Posting(acc.CASH_VND, True, 0, Unit.VND)


def test_a_posting_in_another_unit_than_its_account_is_refused() -> None:
    with pytest.raises(UnitMismatchError):
        Posting(acc.CASH_VND, 1, 0, Unit.PHONE)
    with pytest.raises(UnitMismatchError):
        Posting(acc.commune_stock("01837"), 1_900_000, 0, Unit.VND)


def test_an_account_outside_the_chart_is_refused() -> None:
    with pytest.raises(InvalidEntryError):
        Posting.debit_of("petty_cash", 1)


def test_an_entry_whose_debits_differ_from_its_credits_is_refused() -> None:
    entry = JournalEntry(
        "JE-000001",
        EntryKind.RECEIPT,
        DAY,
        (Posting.debit_of(acc.CASH_VND, 2_000_000), Posting.credit_of(acc.UNPLEDGED_INCOME_VND, 1_900_000)),
        "RC-0001",
    )
    with pytest.raises(UnbalancedEntryError):
        entry.check_balanced()
    with pytest.raises(UnbalancedEntryError):
        Ledger().post(entry)


def test_money_and_phones_balance_each_on_their_own() -> None:
    # One đồng debited against one phone credited has equal numbers but balances nothing.
    entry = JournalEntry(
        "JE-000001",
        EntryKind.PURCHASE,
        DAY,
        (Posting.debit_of(acc.PHONES_SPENT_VND, 1), Posting.credit_of(acc.PHONES_PURCHASED, 1)),
        "PU-0001",
    )
    with pytest.raises(UnbalancedEntryError):
        entry.check_balanced()


def test_an_entry_with_no_postings_is_refused() -> None:
    with pytest.raises(UnbalancedEntryError):
        JournalEntry("JE-000001", EntryKind.RECEIPT, DAY, (), "RC-0001").check_balanced()


def test_a_reversal_swaps_every_posting_and_names_the_original() -> None:
    original = receipt_of(1_900_000)
    reversal = original.reversal("JE-000002", DAY, "amount mistyped")

    assert reversal.kind is EntryKind.REVERSAL
    assert reversal.reverses == "JE-000001"
    assert reversal.reference == original.reference
    assert reversal.memo == "amount mistyped"
    assert [(p.account, p.debit, p.credit) for p in reversal.postings] == [
        (acc.CASH_VND, 0, 1_900_000),
        (acc.UNPLEDGED_INCOME_VND, 1_900_000, 0),
    ]


def test_a_reversal_keeps_the_original_and_nets_its_balances_to_zero() -> None:
    ledger = Ledger()
    ledger.post(receipt_of(1_900_000))
    ledger.post(ledger.entry("JE-000001").reversal(ledger.next_entry_id(), DAY, "entered twice"))

    assert [e.entry_id for e in ledger.entries] == ["JE-000001", "JE-000002"]
    assert ledger.balance(acc.CASH_VND) == 0
    assert ledger.balance(acc.UNPLEDGED_INCOME_VND) == 0


def test_an_entry_is_reversed_at_most_once_and_a_reversal_never() -> None:
    ledger = Ledger()
    ledger.post(receipt_of(1_900_000))
    ledger.post(ledger.entry("JE-000001").reversal("JE-000002", DAY, "entered twice"))

    with pytest.raises(EntryAlreadyReversedError):
        ledger.check_reversible("JE-000001")
    with pytest.raises(NotReversibleError):
        ledger.check_reversible("JE-000002")
    with pytest.raises(UnknownEntryError):
        ledger.check_reversible("JE-999999")


def test_an_entry_id_is_posted_only_once() -> None:
    ledger = Ledger()
    ledger.post(receipt_of(1_900_000))
    with pytest.raises(InvalidEntryError):
        ledger.post(receipt_of(1_900_000))


def test_cash_and_stock_can_never_be_taken_below_zero() -> None:
    ledger = Ledger()
    ledger.post(receipt_of(1_000_000))
    spend = JournalEntry(
        "JE-000002",
        EntryKind.PURCHASE,
        DAY,
        (
            Posting.debit_of(acc.PHONES_SPENT_VND, 1_900_000),
            Posting.credit_of(acc.CASH_VND, 1_900_000),
            Posting.debit_of(acc.PHONE_STOCK_CENTRAL, 1),
            Posting.credit_of(acc.PHONES_PURCHASED, 1),
        ),
        "PU-0001",
    )
    allocate = JournalEntry(
        "JE-000002",
        EntryKind.ALLOCATION,
        DAY,
        (Posting.debit_of(acc.commune_stock("01837"), 1), Posting.credit_of(acc.PHONE_STOCK_CENTRAL, 1)),
        "AL-0001",
    )

    with pytest.raises(InsufficientCashError) as refused:
        ledger.check_can_post(spend)
    assert (refused.value.balance, refused.value.needed) == (1_000_000, 1_900_000)
    with pytest.raises(InsufficientStockError):
        ledger.check_can_post(allocate)


def test_the_trial_balance_is_zero_in_each_unit() -> None:
    ledger = Ledger()
    ledger.post(receipt_of(3_800_000))
    ledger.post(
        JournalEntry(
            "JE-000002",
            EntryKind.PURCHASE,
            DAY,
            (
                Posting.debit_of(acc.PHONES_SPENT_VND, 3_800_000),
                Posting.credit_of(acc.CASH_VND, 3_800_000),
                Posting.debit_of(acc.PHONE_STOCK_CENTRAL, 2),
                Posting.credit_of(acc.PHONES_PURCHASED, 2),
            ),
            "PU-0001",
        )
    )

    recomputed = TrialBalance.of(ledger.entries)
    assert recomputed == ledger.trial_balance()
    assert recomputed.is_balanced()
    assert recomputed.difference(Unit.VND) == 0
    assert recomputed.difference(Unit.PHONE) == 0
    assert recomputed.balances[acc.PHONE_STOCK_CENTRAL] == 2
