"""End to end through Kafka: the registry publishes households, the ledger learns them from the household
topic, hands phones only to those it learned of in the right commune, and publishes each delivery."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from backan_shared.contracts import campaign as contract
from backan_shared.envelope import from_kafka
from harness.testing import eventually

from .conftest import QUANG_THUAN, SONG_CAU, Ledger

pytestmark = pytest.mark.infra

HIDDEN_NAME = "Nguyễn Thị Kín Đáo"
# Pseudonymous household ids, as the registry issues them.
HOUSEHOLD = "5f3a9c2e-8d41-4b7a-9e06-2c1d7b8a4f90"
ELSEWHERE = "0b7e4d21-6c3f-4a88-b1d2-9e5f3a7c6b14"
NEVER_REGISTERED = "c2d8f1a7-3e9b-4c60-8f24-7a1b5d9e0c33"


async def known(ledger: Ledger) -> set[str]:
    async with ledger.pool.acquire() as conn:
        return {r["household_id"] for r in await conn.fetch("SELECT household_id FROM known_households")}


async def deliver(ledger: Ledger, campaign_id: str, household_id: str, commune_code: str = SONG_CAU) -> Any:
    return await ledger.post(campaign_id, "deliveries", {"commune_code": commune_code, "household_id": household_id})


async def test_only_a_household_the_registry_published_in_that_commune_can_receive_a_phone_and_only_one(
    ledger: Ledger, registry: Callable[..., Awaitable[None]]
) -> None:
    campaign_id = await ledger.open_campaign()
    await ledger.stock(campaign_id, phones=3)
    await registry(ledger.household_topic, HOUSEHOLD, SONG_CAU)
    await registry(ledger.household_topic, ELSEWHERE, QUANG_THUAN)
    await registry(ledger.household_topic, HOUSEHOLD, SONG_CAU)  # a registry retry: one household still
    await eventually(lambda: known(ledger), lambda ids: ids == {HOUSEHOLD, ELSEWHERE})

    delivered = await deliver(ledger, campaign_id, HOUSEHOLD)
    never_registered = await deliver(ledger, campaign_id, NEVER_REGISTERED)
    in_another_commune = await deliver(ledger, campaign_id, ELSEWHERE)
    second_phone = await deliver(ledger, campaign_id, HOUSEHOLD)

    assert delivered.status_code == 201, delivered.text
    assert delivered.json()["delivery_id"] == "DL-0001"
    assert (never_registered.status_code, never_registered.json()["title"]) == (422, "UnknownHouseholdError")
    assert (in_another_commune.status_code, in_another_commune.json()["title"]) == (
        422,
        "HouseholdInOtherCommuneError",
    )
    assert (second_phone.status_code, second_phone.json()["title"]) == (409, "AlreadyDeliveredError")
    statement = await ledger.statement(campaign_id)
    assert (statement["phones_delivered"], statement["by_commune"][0]["phones_in_stock"]) == (1, 2)
    entry = await ledger.client.get(delivered.headers["location"])
    assert (entry.json()["kind"], entry.json()["memo"]) == ("delivery", f"in commune {SONG_CAU}")
    assert HOUSEHOLD not in entry.text, "the public journal never names a beneficiary"


async def test_a_delivery_reaches_the_campaign_topic_with_the_pseudonymous_household_and_no_anonymous_donor_name(
    ledger: Ledger, registry: Callable[..., Awaitable[None]], read_topic: Callable[[str], Awaitable[list[Any]]]
) -> None:
    campaign_id = await ledger.open_campaign()
    anonymous = {"name": HIDDEN_NAME, "kind": "individual", "anonymous": True}
    await ledger.post(campaign_id, "pledges", {"donor": anonymous, "amount_vnd": 1_900_000})
    await ledger.post(campaign_id, "receipts", {"pledge_id": "PL-0001", "amount_vnd": 1_900_000, "reference": "FT1"})
    await ledger.stock(campaign_id, phones=1)
    await registry(ledger.household_topic, HOUSEHOLD, SONG_CAU)
    await eventually(lambda: known(ledger), lambda ids: HOUSEHOLD in ids)
    body = {"commune_code": SONG_CAU, "household_id": HOUSEHOLD, "imei": "356938035643809"}
    assert (await ledger.post(campaign_id, "deliveries", body)).status_code == 201

    def types(records: list[Any]) -> list[str]:
        return [from_kafka(r.headers, r.value).type for r in records]

    records = await eventually(
        lambda: read_topic(ledger.campaign_topic), lambda found: contract.PHONE_DELIVERED in types(found)
    )

    [delivery] = [r for r in records if from_kafka(r.headers, r.value).type == contract.PHONE_DELIVERED]
    assert delivery.key == campaign_id.encode()
    assert json.loads(delivery.value) == {
        "campaign_id": campaign_id,
        "delivery_id": "DL-0001",
        "commune_code": SONG_CAU,
        "household_id": HOUSEHOLD,
        "delivered_on": json.loads(delivery.value)["delivered_on"],
    }
    assert {r.key for r in records} == {campaign_id.encode()}, "one key: the campaign's events keep their order"
    everything = b"".join(r.value + b"".join(v for _, v in r.headers) for r in records)
    assert HIDDEN_NAME.encode() not in everything
    assert b"356938035643809" not in everything, "the IMEI stays in the ledger"
    assert "Anonymous donor" in {json.loads(r.value).get("donor_name") for r in records}
