"""A read that carries a write's Consistency-Token waits, boundedly, until the gateway's views include it."""

import time
from datetime import date
from typing import Any

import httpx
import pytest

from backan_shared.consistency import consistency_token
from backan_shared.contracts import campaign

pytestmark = pytest.mark.infra

CAMPAIGN_ID = "c-ryw"


def opened(make_event: Any) -> Any:
    payload = campaign.CampaignOpened(
        campaign_id=CAMPAIGN_ID,
        name="Phổ cập 2023",
        target_vnd=750_000_000,
        target_phones=400,
        commune_codes=["01837"],
        start_date=date(2023, 8, 11),
        end_date=date(2023, 12, 31),
    )
    return make_event(payload, campaign.CAMPAIGN_OPENED, "campaign-ledger", CAMPAIGN_ID)


def pledged(make_event: Any) -> Any:
    payload = campaign.PledgeRecorded(
        campaign_id=CAMPAIGN_ID,
        pledge_id="PL-0001",
        donor_name="Viettel",
        donor_kind="enterprise",
        amount_vnd=1,
        phones=0,
    )
    return make_event(payload, campaign.PLEDGE_RECORDED, "campaign-ledger", CAMPAIGN_ID)


def with_token(reader: dict[str, str], event: Any) -> dict[str, str]:
    return reader | {"Consistency-Token": consistency_token("campaign-ledger", event.id)}


async def test_a_read_with_the_token_of_an_event_already_applied_answers_200_satisfied(
    gateway: httpx.AsyncClient, reader: dict[str, str], make_event: Any, publish: Any, applied: Any
) -> None:
    event = opened(make_event)
    await publish("campaign", event)
    await applied("campaign", [event])
    answer = await gateway.get(f"/v1/campaigns/{CAMPAIGN_ID}", headers=with_token(reader, event))
    assert answer.status_code == 200
    assert answer.headers["consistency"] == "satisfied"


async def test_a_read_with_the_token_of_an_event_not_yet_produced_answers_504_within_the_bound_then_200_once_produced(
    gateway: httpx.AsyncClient, running_gateway: Any, reader: dict[str, str], make_event: Any, publish: Any
) -> None:
    first, pledge = opened(make_event), pledged(make_event)
    await publish("campaign", first)
    bound = running_gateway.settings.consistency_wait_seconds

    started = time.monotonic()
    late = await gateway.get(f"/v1/campaigns/{CAMPAIGN_ID}", headers=with_token(reader, pledge))
    waited = time.monotonic() - started
    assert late.status_code == 504
    assert late.headers["content-type"] == "application/problem+json"
    assert "does not yet include that write" in late.json()["detail"]
    assert bound <= waited < bound + 1.0

    await publish("campaign", pledge)
    answer = await gateway.get(f"/v1/campaigns/{CAMPAIGN_ID}", headers=with_token(reader, pledge))
    assert answer.status_code == 200
    assert answer.headers["consistency"] == "satisfied"
    assert answer.json()["pledged_vnd"] == 1, "the view includes the write the token named"


async def test_a_read_with_a_token_backan_dx_did_not_issue_is_a_400_problem(
    gateway: httpx.AsyncClient, reader: dict[str, str]
) -> None:
    for token in ("not a token!", consistency_token("somebody-else", "e-1")):
        answer = await gateway.get("/v1/overview", headers=reader | {"Consistency-Token": token})
        assert answer.status_code == 400, token
        assert answer.headers["content-type"] == "application/problem+json"


async def test_a_read_without_a_token_answers_at_once_without_a_consistency_header(
    gateway: httpx.AsyncClient, reader: dict[str, str]
) -> None:
    answer = await gateway.get("/v1/overview", headers=reader)
    assert answer.status_code == 200
    assert "consistency" not in answer.headers
    assert answer.json()["as_of"] == {"campaign": None, "household": None, "dti": None}
