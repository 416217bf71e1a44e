"""Reversals: corrections are new, opposite entries with a reason; nothing is ever edited or deleted."""

from __future__ import annotations

import pytest

from campaign_ledger.domain.accounts import Unit
from campaign_ledger.domain.campaign import Campaign
from campaign_ledger.domain.errors import (
    BlankFieldError,
    EntryAlreadyReversedError,
    InsufficientCashError,
    InsufficientStockError,
    NotReversibleError,
    PledgeHasReceiptsError,
    UnknownEntryError,
)
from campaign_ledger.domain.events import EntryReversed
from campaign_ledger.domain.ledger import EntryKind

SONG_CAU = "01837"


def test_reversing_a_receipt_adds_an_opposite_entry_and_keeps_the_original(office) -> None:
    office.receive(reference="FT1", amount_vnd=19_000_000)

    (reversed_,) = office.reverse("JE-000001", reason="transfer returned by the bank")

    assert isinstance(reversed_, EntryReversed)
    assert reversed_.reversed_entry_id == "JE-000001"
    entries = office.campaign.ledger.entries
    assert [(e.entry_id, e.kind, e.reverses) for e in entries] == [
        ("JE-000001", EntryKind.RECEIPT, None),
        ("JE-000002", EntryKind.REVERSAL, "JE-000001"),
    ]
    assert entries[1].memo == "transfer returned by the bank"
    assert office.campaign.cash_vnd == 0
    assert office.statement().received_vnd == 0
    assert office.campaign.ledger.trial_balance().difference(Unit.VND) == 0


def test_a_receipt_whose_money_was_spent_cannot_be_reversed(office) -> None:
    office.receive(reference="FT1", amount_vnd=3_800_000)
    office.buy(amount_vnd=3_800_000, phones=2)

    with pytest.raises(InsufficientCashError):
        office.reverse("JE-000001")


def test_reversing_a_purchase_returns_the_cash_and_takes_the_phones_back_out(office) -> None:
    office.stock_phones(2)

    office.reverse("JE-000002", reason="supplier cancelled the order")

    assert (office.campaign.cash_vnd, office.campaign.central_stock) == (3_800_000, 0)
    assert office.statement().phones_purchased == 0


def test_reversing_a_delivery_returns_the_phone_and_lets_the_household_receive_one_again(office) -> None:
    office.stock_phones(1)
    office.allocate(SONG_CAU, 1)
    office.deliver(SONG_CAU, "hh-1")

    office.reverse("JE-000004", reason="recorded for the wrong household")
    assert office.campaign.commune_stock(SONG_CAU) == 1
    office.deliver(SONG_CAU, "hh-1")

    statement = office.statement()
    assert (statement.phones_delivered, statement.by_commune[0].phones_delivered) == (1, 1)


def test_an_allocation_whose_phones_were_delivered_cannot_be_reversed(office) -> None:
    office.stock_phones(1)
    office.allocate(SONG_CAU, 1)
    office.deliver(SONG_CAU, "hh-1")

    with pytest.raises(InsufficientStockError):
        office.reverse("JE-000003")


def test_a_pledge_with_receipts_is_reversed_only_after_them(office) -> None:
    pledge_id = office.pledge(amount_vnd=5_000_000)
    office.receive(reference="FT1", amount_vnd=5_000_000, pledge_id=pledge_id)

    with pytest.raises(PledgeHasReceiptsError):
        office.reverse("JE-000001")
    office.reverse("JE-000002", reason="transfer returned")
    office.reverse("JE-000001", reason="pledge withdrawn")

    statement = office.statement()
    assert (statement.pledged_vnd, statement.received_vnd, statement.pledges_outstanding_vnd) == (0, 0, 0)
    assert statement.by_donor == ()


def test_an_entry_is_reversed_once_and_a_reversal_is_not_reversed(office) -> None:
    office.receive(reference="FT1", amount_vnd=1_900_000)
    office.reverse("JE-000001")

    with pytest.raises(EntryAlreadyReversedError):
        office.reverse("JE-000001")
    with pytest.raises(NotReversibleError):
        office.reverse("JE-000002")


def test_a_reversal_needs_a_known_entry_and_a_reason(office) -> None:
    office.receive(reference="FT1", amount_vnd=1_900_000)

    with pytest.raises(UnknownEntryError):
        office.reverse("JE-000099")
    with pytest.raises(BlankFieldError):
        office.reverse("JE-000001", reason="  ")


def test_a_campaign_replayed_after_reversals_is_the_same_campaign(office) -> None:
    pledge_id = office.pledge(amount_vnd=3_800_000)
    office.receive(reference="FT1", amount_vnd=3_800_000, pledge_id=pledge_id)
    office.buy(amount_vnd=1_900_000, phones=1)
    office.allocate(SONG_CAU, 1)
    office.deliver(SONG_CAU, "hh-1")
    office.reverse("JE-000005")
    office.reverse("JE-000004")

    assert Campaign.replay(office.events) == office.campaign
