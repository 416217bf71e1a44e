"""Indicators fed by events: the registry's and the campaign's CloudEvents, produced onto their topics, move the
system's submissions of DS.01 (households with a smartphone) and DG.04 (households with digitised records) on the
commune's open assessment for the current year; a reviewer approves them like any other."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from pydantic import BaseModel

from backan_shared.contracts import INTEGRATION_EVENTS, campaign, household
from backan_shared.envelope import CloudEvent
from dti_scoring.domain.indicator_codes import DIGITISED_HOUSEHOLD_RECORDS_SHARE as DG_04
from dti_scoring.domain.indicator_codes import SMARTPHONE_HOUSEHOLD_SHARE as DS_01
from dti_scoring.entrypoints.indicator_feeds import current_year
from dti_scoring.settings import Settings
from harness.testing import Produce

pytestmark = pytest.mark.infra

SONG_CAU = "01837"
QUANG_THUAN = "02017"
CAMPAIGN_ID = "campaign-2023"
Eventually = Callable[..., Awaitable[Any]]


@pytest.fixture
def with_indicator_feeds() -> bool:
    """These tests start the app's consumers too."""
    return True


class Upstream:
    """The household registry and the smartphone campaign, as dti-scoring sees them: CloudEvents on their topics,
    keyed by aggregate id (household id, campaign id) as the services' outbox relays key them."""

    def __init__(self, produce: Produce, settings: Settings):
        self.produce = produce
        self.settings = settings

    async def send(self, topic: str, key: str, event: CloudEvent) -> CloudEvent:
        await self.produce(topic, event, key=key)
        return event

    async def household(self, payload: BaseModel, event_type: str, household_id: str) -> CloudEvent:
        event = INTEGRATION_EVENTS.create(payload, event_type=event_type, source="household-registry")
        return await self.send(self.settings.household_topic, household_id, event)

    async def campaign(self, payload: BaseModel, event_type: str) -> CloudEvent:
        event = INTEGRATION_EVENTS.create(payload, event_type=event_type, source="campaign-ledger")
        return await self.send(self.settings.campaign_topic, CAMPAIGN_ID, event)

    async def register(self, *household_ids: str, commune: str = SONG_CAU) -> None:
        for household_id in household_ids:
            registered = household.HouseholdRegistered(
                household_id=household_id, commune_code=commune, area="rural", registered_on=date(2023, 1, 5)
            )
            await self.household(registered, household.REGISTERED, household_id)

    async def classify(self, household_id: str, *, digitised: bool, commune: str = SONG_CAU) -> CloudEvent:
        classified = household.HouseholdClassified(
            household_id=household_id,
            commune_code=commune,
            year=current_year(),
            classification="near_poor",
            records_digitised=digitised,
        )
        return await self.household(classified, household.CLASSIFIED, household_id)

    async def deliver(self, delivery_id: str, household_id: str, commune: str = SONG_CAU) -> CloudEvent:
        delivered = campaign.PhoneDelivered(
            campaign_id=CAMPAIGN_ID,
            delivery_id=delivery_id,
            commune_code=commune,
            household_id=household_id,
            delivered_on=date(2023, 9, 1),
        )
        return await self.campaign(delivered, campaign.PHONE_DELIVERED)

    async def reverse_delivery(self, delivery_id: str) -> CloudEvent:
        reversed_ = campaign.EntryReversed(
            campaign_id=CAMPAIGN_ID,
            entry_id=f"JE-reversal-{delivery_id}",
            reversed_entry_id=f"JE-{delivery_id}",
            reason="handed to the wrong household",
            reversed_kind="delivery",
            reference=delivery_id,
        )
        return await self.campaign(reversed_, campaign.ENTRY_REVERSED)

    async def allocate(self, commune: str = SONG_CAU) -> CloudEvent:
        """An event the feeds pass by, on the campaign's partition: once it is processed, so is all before it."""
        allocated = campaign.PhonesAllocated(
            campaign_id=CAMPAIGN_ID, allocation_id="AL-1", commune_code=commune, phones=10
        )
        return await self.campaign(allocated, campaign.PHONES_ALLOCATED)


@pytest.fixture
def upstream(produce: Produce, settings: Settings) -> Upstream:
    return Upstream(produce, settings)


async def latest_submission(dti: Any, assessment_id: str, code: str) -> dict[str, Any] | None:
    """The indicator's latest submission in the assessment view, whoever made it."""
    made = [s for s in (await dti.view(assessment_id))["submissions"] if s["indicator_code"] == code]
    return made[-1] if made else None


def fed(value: str, counted: str) -> Callable[[dict[str, Any] | None], bool]:
    """A predicate: the submission is the system's, pending, of `value`, counting `counted` (e.g. '1 of 4')."""

    def holds(submission: dict[str, Any] | None) -> bool:
        return (
            submission is not None
            and submission["submitted_by"] == "system"
            and submission["status"] == "pending"
            and Decimal(str(submission["value"])) == Decimal(value)
            and f"{counted} households registered in commune" in (submission["provenance"] or "")
        )

    return holds


async def commune_counts(pool: asyncpg.Pool, commune: str) -> tuple[int, int, int] | None:
    """The commune's (households, smartphone households, digitised households), as dti-scoring counts them."""
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            """SELECT households, smartphone_households, digitised_households FROM dti_commune_counts
               WHERE commune_code = $1""",
            commune,
        )
    return None if row is None else (row[0], row[1], row[2])


async def processed(pool: asyncpg.Pool, group: str, event: CloudEvent) -> bool:
    """Whether the consumer group has applied the event (its processed-event record is committed)."""
    async with pool.acquire() as conn:
        return bool(
            await conn.fetchval(
                "SELECT true FROM processed_events WHERE consumer_group = $1 AND event_id = $2", group, event.id
            )
        )


async def stream_length(pool: asyncpg.Pool, assessment_id: str) -> int:
    """How many events the assessment's stream holds: a feed that changed nothing appended none."""
    async with pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM events WHERE stream_id = $1", assessment_id))


async def all_published(pool: asyncpg.Pool, assessment_id: str) -> bool:
    """Whether the relay has published every integration event the assessment wrote so far."""
    async with pool.acquire() as conn:
        return bool(
            await conn.fetchval(
                "SELECT count(*) > 0 AND bool_and(published_at IS NOT NULL) FROM outbox WHERE message_key = $1",
                assessment_id,
            )
        )


async def opened_when_counted(
    dti: Any, pool: asyncpg.Pool, eventually: Eventually, counts: tuple[int, int, int]
) -> str:
    """Sông Cầu's assessment for this year, opened once the counts are known and fed the shares they answer."""
    await eventually(lambda: commune_counts(pool, SONG_CAU), lambda known: known == counts)
    assessment_id: str = await dti.open(SONG_CAU, current_year())
    await eventually(lambda: latest_submission(dti, assessment_id, DG_04))
    return assessment_id


async def test_opening_an_assessment_submits_the_shares_the_counts_already_known_answer(
    dti, upstream, pool, eventually
) -> None:
    await upstream.register("hh-1", "hh-2", "hh-3", "hh-4")
    await upstream.classify("hh-1", digitised=True)
    await upstream.classify("hh-2", digitised=True)
    await upstream.classify("hh-3", digitised=False)
    await upstream.deliver("DL-1", "hh-1")
    assessment_id = await opened_when_counted(dti, pool, eventually, (4, 1, 2))
    smartphones = await eventually(lambda: latest_submission(dti, assessment_id, DS_01), fed("0.25", "1 of 4"))
    assert smartphones["provenance"].startswith("campaign-ledger deliveries: 1 of 4 households")
    digitised = await latest_submission(dti, assessment_id, DG_04)
    assert fed("0.5", "2 of 4")(digitised), digitised


async def test_an_assessment_of_an_earlier_year_is_not_fed_today_s_counts(
    dti, upstream, pool, settings, eventually, consumed_to_end
) -> None:
    await upstream.register("hh-1", "hh-2")
    await upstream.deliver("DL-1", "hh-1")
    await eventually(lambda: commune_counts(pool, SONG_CAU), lambda known: known == (2, 1, 0))
    last_year = await dti.open(SONG_CAU, current_year() - 1)
    await eventually(lambda: all_published(pool, last_year))  # in the topic, so the feed's reading can be awaited
    await consumed_to_end(settings.assessment_feed_group, settings.dti_topic)
    assert (await dti.view(last_year))["submissions"] == []


async def test_a_phone_delivered_in_the_campaign_moves_the_commune_s_smartphone_share_submission(
    dti, upstream, pool, settings, eventually
) -> None:
    await upstream.register("hh-1", "hh-2", "hh-3", "hh-4")
    assessment_id = await opened_when_counted(dti, pool, eventually, (4, 0, 0))
    first = await eventually(lambda: latest_submission(dti, assessment_id, DS_01), fed("0", "0 of 4"))
    await upstream.deliver("DL-1", "hh-1")
    elsewhere = await upstream.deliver("DL-2", "hh-4", commune=QUANG_THUAN)  # not a household of Quang Thuận
    await eventually(lambda: processed(pool, settings.campaign_feed_group, elsewhere))
    moved = await latest_submission(dti, assessment_id, DS_01)
    assert fed("0.25", "1 of 4")(moved), moved
    assert moved is not None
    statuses = {s["submission_id"]: s["status"] for s in (await dti.view(assessment_id))["submissions"]}
    assert (statuses[first["submission_id"]], statuses[moved["submission_id"]]) == ("superseded", "pending")


async def test_a_reversed_delivery_no_longer_counts_and_a_second_phone_counts_its_household_once(
    dti, upstream, pool, eventually
) -> None:
    await upstream.register("hh-1", "hh-2")
    assessment_id = await opened_when_counted(dti, pool, eventually, (2, 0, 0))
    for delivery_id, household_id in (("DL-1", "hh-1"), ("DL-2", "hh-2"), ("DL-3", "hh-1")):
        await upstream.deliver(delivery_id, household_id)
    await eventually(lambda: latest_submission(dti, assessment_id, DS_01), fed("1", "2 of 2"))
    await upstream.reverse_delivery("DL-2")
    await eventually(lambda: latest_submission(dti, assessment_id, DS_01), fed("0.5", "1 of 2"))


async def test_a_redelivered_or_republished_delivery_changes_nothing(
    dti, upstream, pool, settings, eventually, consumed_to_end
) -> None:
    await upstream.register("hh-1", "hh-2")
    assessment_id = await opened_when_counted(dti, pool, eventually, (2, 0, 0))
    delivered = await upstream.deliver("DL-1", "hh-1")
    submission = await eventually(lambda: latest_submission(dti, assessment_id, DS_01), fed("0.5", "1 of 2"))
    before = (await stream_length(pool, assessment_id), await commune_counts(pool, SONG_CAU))
    await upstream.send(settings.campaign_topic, CAMPAIGN_ID, delivered)  # the same event, as a redelivery
    await upstream.deliver("DL-1", "hh-1")  # the same delivery under a new event id, as a republication
    await upstream.allocate()  # an event the feed passes by, sent last
    await consumed_to_end(settings.campaign_feed_group, settings.campaign_topic)
    assert (await stream_length(pool, assessment_id), await commune_counts(pool, SONG_CAU)) == before
    assert await latest_submission(dti, assessment_id, DS_01) == submission


async def test_the_digitised_records_share_follows_the_registry_s_classifications_once_each(
    dti, upstream, pool, settings, eventually, consumed_to_end
) -> None:
    await upstream.register("hh-1", "hh-2", "hh-3", "hh-4")
    assessment_id = await opened_when_counted(dti, pool, eventually, (4, 0, 0))
    await upstream.classify("hh-1", digitised=True)
    classified = await upstream.classify("hh-2", digitised=True)
    await upstream.classify("hh-3", digitised=False)
    unregistered = await upstream.classify("hh-9", digitised=True)  # not one of the commune's households
    await eventually(lambda: latest_submission(dti, assessment_id, DG_04), fed("0.5", "2 of 4"))
    await eventually(lambda: processed(pool, settings.household_feed_group, unregistered))
    before = await stream_length(pool, assessment_id)
    await upstream.send(settings.household_topic, "hh-2", classified)
    await upstream.household(  # an event the feed passes by, sent last
        household.PersonalDataErased(household_id="hh-2", erased_on=date(2024, 1, 1)),
        household.PERSONAL_DATA_ERASED,
        "hh-2",
    )
    await consumed_to_end(settings.household_feed_group, settings.household_topic)
    assert await stream_length(pool, assessment_id) == before
    assert fed("0.5", "2 of 4")(await latest_submission(dti, assessment_id, DG_04))


async def test_the_system_s_submission_approved_by_a_reviewer_counts_in_the_score(
    dti, upstream, pool, eventually
) -> None:
    await upstream.register("hh-1", "hh-2")
    assessment_id = await opened_when_counted(dti, pool, eventually, (2, 0, 0))
    await upstream.deliver("DL-1", "hh-1")
    submission = await eventually(lambda: latest_submission(dti, assessment_id, DS_01), fed("0.5", "1 of 2"))
    assert (await dti.view(assessment_id))["score"] == 0  # pending: it does not count yet
    dti.succeeded(await dti.review(assessment_id, submission["submission_id"]), 200)
    view = await dti.view(assessment_id)
    smartphones = next(indicator for indicator in view["indicators"] if indicator["code"] == DS_01)
    assert (smartphones["value"], smartphones["points"], view["score"]) == (0.5, 20, 20)  # 40 × 0.5
    finalised = dti.succeeded(await dti.finalise(assessment_id), 200)
    assert finalised["score"] == 20
