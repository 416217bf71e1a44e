"""Receipts: one per bank or delivery-note reference, settling pledges, the excess kept as unpledged."""

from __future__ import annotations

import copy

import pytest

from campaign_ledger.domain import accounts as acc
from campaign_ledger.domain.errors import ReceiptReferenceConflictError
from campaign_ledger.domain.events import DonationReceived


def test_a_receipt_retried_with_the_same_reference_counts_once(office) -> None:
    (first,) = office.receive(reference="FT23081100001", amount_vnd=19_000_000)
    before = copy.deepcopy(office.campaign)

    retried = office.receive(reference="FT23081100001", amount_vnd=19_000_000)

    assert retried == []
    assert office.campaign == before
    assert isinstance(first, DonationReceived)
    assert office.campaign.receipt_id_for("FT23081100001") == first.receipt_id
    assert office.statement().received_vnd == 19_000_000


def test_a_reference_is_the_same_whatever_spaces_surround_it(office) -> None:
    office.receive(reference="FT23081100001", amount_vnd=19_000_000)
    assert office.receive(reference="  FT23081100001 ", amount_vnd=19_000_000) == []


def test_a_reference_already_recorded_with_other_amounts_is_a_conflict_not_a_second_receipt(office) -> None:
    office.receive(reference="FT23081100001", amount_vnd=19_000_000)

    with pytest.raises(ReceiptReferenceConflictError):
        office.receive(reference="FT23081100001", amount_vnd=1_900_000)
    assert office.statement().received_vnd == 19_000_000


def test_a_retry_after_the_campaign_closed_still_finds_its_receipt(office) -> None:
    office.receive(reference="FT23081100001", amount_vnd=19_000_000)
    office.close()

    assert office.receive(reference="FT23081100001", amount_vnd=19_000_000) == []


def test_a_receipt_against_a_pledge_settles_it_and_keeps_the_excess_as_unpledged(office) -> None:
    pledge_id = office.pledge(amount_vnd=10_000_000)

    (receipt,) = office.receive(reference="FT1", amount_vnd=12_000_000, pledge_id=pledge_id)

    assert isinstance(receipt, DonationReceived)
    assert (receipt.applied_vnd, receipt.amount_vnd) == (10_000_000, 12_000_000)
    ledger = office.campaign.ledger
    assert ledger.balance(acc.CASH_VND) == 12_000_000
    assert ledger.balance(acc.PLEDGES_RECEIVABLE_VND) == 0
    assert ledger.balance(acc.UNPLEDGED_INCOME_VND) == -2_000_000
    assert office.campaign.pledges[pledge_id].outstanding_vnd == 0


def test_a_pledge_can_be_received_in_instalments(office) -> None:
    pledge_id = office.pledge(amount_vnd=10_000_000)
    office.receive(reference="FT1", amount_vnd=4_000_000, pledge_id=pledge_id)
    office.receive(reference="FT2", amount_vnd=6_000_000, pledge_id=pledge_id)

    statement = office.statement()
    assert (statement.pledged_vnd, statement.received_vnd, statement.pledges_outstanding_vnd) == (
        10_000_000,
        10_000_000,
        0,
    )


def test_phones_given_in_kind_go_to_central_stock_under_their_delivery_note(office) -> None:
    pledge_id = office.pledge(phones=20)

    office.receive(reference="PXK-2023-0815", phones=20, pledge_id=pledge_id)

    assert office.campaign.central_stock == 20
    assert office.campaign.ledger.balance(acc.PLEDGES_RECEIVABLE_PHONES) == 0
    statement = office.statement()
    assert (statement.phones_pledged, statement.phones_received, statement.received_vnd) == (20, 20, 0)


def test_a_reversed_receipt_frees_its_reference_so_the_transfer_can_be_recorded_right(office) -> None:
    office.receive(reference="FT23081100001", amount_vnd=1_900_000)
    office.reverse("JE-000001", reason="amount mistyped: the transfer was 19,000,000")

    office.receive(reference="FT23081100001", amount_vnd=19_000_000)

    assert office.statement().received_vnd == 19_000_000
    assert office.campaign.receipt_id_for("FT23081100001") == "RC-0002"
