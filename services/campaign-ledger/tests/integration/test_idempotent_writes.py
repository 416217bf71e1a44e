"""Retries count once: a receipt under a reference already recorded, and any POST under an Idempotency-Key."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import Ledger

pytestmark = pytest.mark.infra

VIETTEL = {"name": "Tổng Công ty Viễn thông Viettel", "kind": "enterprise"}


async def test_a_receipt_retried_with_the_same_reference_counts_once_and_answers_the_original_receipt(
    ledger: Ledger,
) -> None:
    campaign_id = await ledger.open_campaign()
    body = {"amount_vnd": 19_000_000, "reference": "FT23081100001"}
    first = await ledger.post(campaign_id, "receipts", body)
    events, outbox = await ledger.count("events"), await ledger.count("outbox")

    retried = await ledger.post(campaign_id, "receipts", body | {"reference": " FT23081100001 "})

    assert (first.status_code, retried.status_code) == (201, 200)
    assert retried.json() == first.json() == {"receipt_id": "RC-0001", "entry_id": "JE-000001"}
    assert retried.headers["location"] == first.headers["location"]
    assert retried.headers["consistency-token"] == first.headers["consistency-token"]
    assert (await ledger.count("events"), await ledger.count("outbox")) == (events, outbox)
    assert (await ledger.statement(campaign_id))["received_vnd"] == 19_000_000


async def test_the_same_reference_with_another_amount_is_a_conflict_not_a_second_receipt(ledger: Ledger) -> None:
    campaign_id = await ledger.open_campaign()
    await ledger.post(campaign_id, "receipts", {"amount_vnd": 19_000_000, "reference": "FT1"})

    conflict = await ledger.post(campaign_id, "receipts", {"amount_vnd": 1_900_000, "reference": "FT1"})

    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"
    assert (await ledger.statement(campaign_id))["received_vnd"] == 19_000_000


async def test_a_post_retried_with_the_same_idempotency_key_counts_once(ledger: Ledger) -> None:
    campaign_id = await ledger.open_campaign()
    body = {"donor": VIETTEL, "amount_vnd": 200_000_000}
    headers = {"Idempotency-Key": "pledge-viettel-2023-08-11"}

    first = await ledger.post(campaign_id, "pledges", body, headers=headers)
    retried = await ledger.post(campaign_id, "pledges", body, headers=headers)

    assert first.status_code == retried.status_code == 201
    assert retried.json() == first.json() == {"pledge_id": "PL-0001", "entry_id": "JE-000001"}
    assert retried.headers["idempotent-replayed"] == "true"
    assert retried.headers["consistency-token"] == first.headers["consistency-token"]
    statement = await ledger.statement(campaign_id)
    assert (statement["pledged_vnd"], statement["version"]) == (200_000_000, 2)


async def test_sixteen_concurrent_pledges_to_one_campaign_all_succeed(ledger: Ledger) -> None:
    campaign_id = await ledger.open_campaign()
    pledges = [
        ledger.post(
            campaign_id,
            "pledges",
            {"donor": {"name": f"Nhà hảo tâm {n}", "kind": "individual"}, "amount_vnd": 1_900_000},
            headers={"Idempotency-Key": f"pledge-{n}"},
        )
        for n in range(16)
    ]

    answers = await asyncio.gather(*pledges)

    assert [a.status_code for a in answers] == [201] * 16
    assert sorted(a.json()["pledge_id"] for a in answers) == [f"PL-{n:04d}" for n in range(1, 17)]
    statement = await ledger.statement(campaign_id)
    assert (statement["pledged_vnd"], statement["version"]) == (16 * 1_900_000, 17)
