"""What is refused is refused clearly (problem+json, the right status) and changes nothing."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from .conftest import PHONE_PRICE_VND, Ledger

pytestmark = pytest.mark.infra

PROBLEM = "application/problem+json"


async def written(ledger: Ledger) -> tuple[int, int, int]:
    """Events, outbox rows and journal lines: whatever a command would have written."""
    return await ledger.count("events"), await ledger.count("outbox"), await ledger.count("journal_lines")


async def test_a_purchase_beyond_the_cash_held_is_a_409_problem_and_writes_nothing(ledger: Ledger) -> None:
    campaign_id = await ledger.open_campaign()
    await ledger.post(campaign_id, "receipts", {"amount_vnd": PHONE_PRICE_VND, "reference": "FT1"})
    before, statement = await written(ledger), await ledger.statement(campaign_id)

    refused = await ledger.post(
        campaign_id, "purchases", {"amount_vnd": 2 * PHONE_PRICE_VND, "phones": 2, "supplier": "Cửa hàng Sông Cầu"}
    )

    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["title"] == "InsufficientCashError"
    assert "cash_vnd holds 1,900,000" in refused.json()["detail"]
    assert await written(ledger) == before
    assert await ledger.statement(campaign_id) == statement


@pytest.mark.parametrize("amount", [1_900_000.5, 1_900_000.0, "1900000", True])
async def test_money_that_is_not_an_integer_is_a_422_problem_and_writes_nothing(ledger: Ledger, amount: object) -> None:
    campaign_id = await ledger.open_campaign()
    before = await written(ledger)

    refused = await ledger.post(campaign_id, "receipts", {"amount_vnd": amount, "reference": "FT1"})

    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM
    assert "amount_vnd" in refused.json()["detail"]
    assert await written(ledger) == before


async def test_a_command_the_domain_finds_invalid_is_a_422_and_an_unknown_campaign_a_404(ledger: Ledger) -> None:
    campaign_id = await ledger.open_campaign()

    nothing_given = await ledger.post(campaign_id, "receipts", {"reference": "FT1"})
    unknown = await ledger.post("no-such-campaign", "receipts", {"amount_vnd": 1, "reference": "FT1"})

    assert (nothing_given.status_code, nothing_given.headers["content-type"]) == (422, PROBLEM)
    assert (unknown.status_code, unknown.headers["content-type"]) == (404, PROBLEM)
    assert (await ledger.client.get("/v1/campaigns/no-such-campaign")).status_code == 404


async def test_a_read_passing_a_token_this_system_never_issued_is_a_400_and_a_real_one_is_answered_at_once(
    ledger: Ledger,
) -> None:
    campaign_id = await ledger.open_campaign()
    written = await ledger.post(campaign_id, "receipts", {"amount_vnd": PHONE_PRICE_VND, "reference": "FT1"})
    url = f"/v1/campaigns/{campaign_id}"

    fresh = await ledger.client.get(url, headers={"Consistency-Token": written.headers["consistency-token"]})
    forged = await ledger.client.get(url, headers={"Consistency-Token": "not a token"})

    assert (fresh.status_code, fresh.json()["received_vnd"]) == (200, PHONE_PRICE_VND)
    assert (forged.status_code, forged.headers["content-type"]) == (400, PROBLEM)


async def test_every_route_refuses_a_caller_without_the_internal_credential(ledger: Ledger) -> None:
    campaign_id = await ledger.open_campaign()
    transport = ledger.client._transport
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as stranger:
        reads = [await stranger.get(f"/v1/campaigns/{campaign_id}"), await stranger.get("/v1/campaigns/x/journal")]
        write = await stranger.post("/v1/campaigns", json={})
        forged = await stranger.get(f"/v1/campaigns/{campaign_id}", headers={"X-Internal-Token": "guess"})

    assert [r.status_code for r in [*reads, write, forged]] == [401, 401, 401, 401]
    assert write.headers["content-type"] == PROBLEM


async def test_the_journal_is_csv_on_accept_text_csv_with_every_posting_and_balanced(ledger: Ledger) -> None:
    campaign_id = await ledger.open_campaign()
    anonymous = {"name": "Nguyễn Thị Kín Đáo", "kind": "individual", "anonymous": True}
    await ledger.post(campaign_id, "pledges", {"donor": anonymous, "amount_vnd": 5_000_000})
    await ledger.post(campaign_id, "receipts", {"pledge_id": "PL-0001", "amount_vnd": 6_000_000, "reference": "FT1"})

    response = await ledger.client.get(f"/v1/campaigns/{campaign_id}/journal", headers={"Accept": "text/csv"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["entry_id"] for r in rows] == ["JE-000001"] * 2 + ["JE-000002"] * 3
    assert sum(int(r["debit"]) for r in rows) == sum(int(r["credit"]) for r in rows) == 11_000_000
    assert {r["donor"] for r in rows} == {"Anonymous donor"}
    assert "Kín Đáo" not in response.text
    as_json = await ledger.client.get(f"/v1/campaigns/{campaign_id}/journal")
    assert as_json.json()["balanced"] is True
