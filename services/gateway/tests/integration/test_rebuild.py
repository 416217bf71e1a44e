"""Rebuilding the composed read models from the start of the topics, while the API answers, changes no view."""

import asyncio
import contextlib
from typing import Any

import pytest

from backan_shared.consistency import consistency_token
from backan_shared.contracts import campaign
from backan_shared.envelope import CloudEvent
from gateway.rebuild import RebuildError, rebuild_read_models

pytestmark = pytest.mark.infra


async def keep_reading(gateway: Any, reader: dict[str, str], statuses: list[int]) -> None:
    """Read the overview and a dashboard over and over, recording each answer's status."""
    while True:
        for path in ("/v1/overview", "/v1/communes/01837/dashboard"):
            statuses.append((await gateway.get(path, headers=reader)).status_code)
        await asyncio.sleep(0.01)  # let the rebuild run between reads


async def test_after_a_rebuild_every_composed_view_is_identical_and_the_api_answered_throughout(
    pilot_scenario: Any,
    running_gateway: Any,
    kafka_bootstrap: str,
    publish: Any,
    snapshot: Any,
    gateway: Any,
    reader: dict[str, str],
) -> None:
    for event in pilot_scenario.events["household"][-3:]:
        await publish("household", event)  # duplicates on the topic, as an at-least-once relay leaves them
    before = await snapshot()
    statuses: list[int] = []
    lines: list[str] = []
    reading = asyncio.create_task(keep_reading(gateway, reader, statuses))
    try:
        progress = await rebuild_read_models(
            running_gateway.pool, kafka_bootstrap, list(running_gateway.feeds.values()), report=lines.append
        )
    finally:
        reading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reading
    assert await snapshot() == before
    assert statuses and set(statuses) == {200}, "reads never failed during the rebuild"
    total = sum(len(events) for events in pilot_scenario.events.values())
    assert (progress.applied, progress.duplicates, progress.skipped) == (total, 3, 0)
    assert any("events applied" in line and "read to the end offsets" in line for line in lines)
    assert lines[-1] == "swapped the rebuilt read models in"


async def test_the_consumers_keep_updating_the_rebuilt_read_models_after_the_swap(
    pilot_scenario: Any,
    running_gateway: Any,
    kafka_bootstrap: str,
    publish: Any,
    make_event: Any,
    gateway: Any,
    reader: dict[str, str],
) -> None:
    await rebuild_read_models(running_gateway.pool, kafka_bootstrap, list(running_gateway.feeds.values()))
    pledge = campaign.PledgeRecorded(
        campaign_id="c-pilot-2023",
        pledge_id="PL-0009",
        donor_name="VNPT",
        donor_kind="enterprise",
        amount_vnd=7,
        phones=0,
    )
    event = make_event(pledge, campaign.PLEDGE_RECORDED, "campaign-ledger", "c-pilot-2023")
    await publish("campaign", event)
    token = consistency_token("campaign-ledger", event.id)
    answer = await gateway.get("/v1/campaigns/c-pilot-2023", headers=reader | {"Consistency-Token": token})
    assert answer.status_code == 200
    assert answer.json()["pledged_vnd"] == 300_000_007
    async with running_gateway.pool.acquire() as conn:
        schemas = await conn.fetch("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'read_models%'")
    assert [row["nspname"] for row in schemas] == ["read_models"], "the old tables are gone"


async def test_an_event_that_cannot_be_applied_is_skipped_and_the_rest_of_its_batch_still_applied(
    pilot_scenario: Any,
    running_gateway: Any,
    kafka_bootstrap: str,
    publish: Any,
    make_event: Any,
    applied: Any,
    snapshot: Any,
) -> None:
    # A pledge without its amounts: the envelope is sound, the payload breaks the contract.
    poison = CloudEvent(
        source="campaign-ledger", type=campaign.PLEDGE_RECORDED, subject="c-pilot-2023", data={"campaign_id": "x"}
    )
    pledge = campaign.PledgeRecorded(
        campaign_id="c-pilot-2023",
        pledge_id="PL-0010",
        donor_name="FPT",
        donor_kind="enterprise",
        amount_vnd=5,
        phones=0,
    )
    after_it = make_event(pledge, campaign.PLEDGE_RECORDED, "campaign-ledger", "c-pilot-2023")
    for event in (poison, after_it):
        await publish("campaign", event)
    await applied("campaign", [after_it])  # the live consumer dead-lettered the poison and went on
    before = await snapshot()

    progress = await rebuild_read_models(running_gateway.pool, kafka_bootstrap, list(running_gateway.feeds.values()))

    assert await snapshot() == before
    total = sum(len(events) for events in pilot_scenario.events.values())
    assert (progress.applied, progress.skipped) == (total + 1, 1)


async def test_a_second_rebuild_is_refused_while_one_runs(running_gateway: Any, kafka_bootstrap: str) -> None:
    async with running_gateway.pool.acquire() as conn:
        await conn.execute("SELECT pg_advisory_lock(6120402338)")
        try:
            with pytest.raises(RebuildError, match="another rebuild"):
                await rebuild_read_models(running_gateway.pool, kafka_bootstrap, list(running_gateway.feeds.values()))
        finally:
            await conn.execute("SELECT pg_advisory_unlock(6120402338)")
