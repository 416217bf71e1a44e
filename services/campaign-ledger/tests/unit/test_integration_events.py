"""What the campaign topic carries: public facts only, under ids derived from the facts they publish."""

from __future__ import annotations

import json

from backan_shared.consistency import parse_consistency_token
from backan_shared.contracts import campaign as contract
from campaign_ledger.adapters.integration_events import IntegrationPublisher
from campaign_ledger.domain.donors import Donor, DonorKind

SONG_CAU = "01837"
HIDDEN_NAME = "Nguyễn Thị Kín Đáo"
PUBLISHER = IntegrationPublisher("campaign.events.v1", "campaign-ledger")


def test_an_anonymous_pledge_is_published_under_the_anonymous_label_and_never_the_name(office) -> None:
    office.pledge(Donor(HIDDEN_NAME, DonorKind.INDIVIDUAL, anonymous=True), amount_vnd=10_000_000)

    (message,) = PUBLISHER.messages(office.campaign, office.events[-1:])

    assert message.event.type == contract.PLEDGE_RECORDED
    assert message.event.data["donor_name"] == "Anonymous donor"
    assert HIDDEN_NAME not in json.dumps(message.event.data, ensure_ascii=False)


def test_a_delivery_is_published_with_the_pseudonymous_household_and_without_the_imei(office) -> None:
    office.stock_phones(1)
    office.allocate(SONG_CAU, 1)
    office.deliver(SONG_CAU, "5f3a9c2e-8d41-4b7a-9e06-2c1d7b8a4f90")

    (message,) = PUBLISHER.messages(office.campaign, office.events[-1:])

    assert (message.topic, message.key) == ("campaign.events.v1", office.campaign.campaign_id)
    assert message.event.type == contract.PHONE_DELIVERED
    assert message.event.data["household_id"] == "5f3a9c2e-8d41-4b7a-9e06-2c1d7b8a4f90"
    assert "imei" not in message.event.data


def test_a_reversal_says_which_fact_it_cancels(office) -> None:
    (receipt,) = office.receive(reference="FT1", amount_vnd=1_900_000)
    office.reverse(receipt.entry.entry_id, reason="entered twice")

    (message,) = PUBLISHER.messages(office.campaign, office.events[-1:])

    assert message.event.data["reversed_kind"] == "receipt"
    assert message.event.data["reference"] == receipt.receipt_id


def test_the_same_fact_always_gets_the_same_event_id_and_its_token_names_it(office) -> None:
    (receipt,) = office.receive(reference="FT1", amount_vnd=1_900_000)

    first = PUBLISHER.messages(office.campaign, [receipt])[0].event
    again = PUBLISHER.messages(office.campaign, [receipt])[0].event

    assert first.id == again.id
    token = PUBLISHER.token_for(office.campaign.campaign_id, receipt.entry.entry_id)
    assert parse_consistency_token(token) == ("campaign-ledger", first.id)
