"""The consumers that feed the indicators the system answers itself (`service_layer.indicator_feed`).

Three consumer groups, one per topic: the household registry's (households registered, records digitised),
the smartphone campaign's (phones delivered, deliveries reversed) and dti-scoring's own (an assessment opened
or reopened picks up the counts already kept). The runner applies each event once, in one transaction with
its processed-event record; events of other types pass by. The household and campaign feeds take a
transaction's events together: each fact is recorded, then each commune they concern recounted once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import asyncpg

from backan_shared.consumer import BatchHandler, Handler, InBatches, Subscription
from backan_shared.contracts import INTEGRATION_EVENTS, campaign, dti, household
from backan_shared.envelope import CloudEvent
from backan_shared.service_app import Runtime
from dti_scoring.entrypoints.dependencies import context_of
from dti_scoring.service_layer import indicator_feed
from dti_scoring.service_layer.decisions import Context
from dti_scoring.settings import Settings

Reaction = Callable[[asyncpg.Connection, Context, Any, int], Awaitable[None]]
Fact = Callable[[asyncpg.Connection, Any], Awaitable[str | None]]
"""Records what an event says; the commune whose counts it may change (None: none)."""

HOUSEHOLD_FACTS: Mapping[str, Fact] = {
    household.REGISTERED: indicator_feed.record_household_registered,
    household.CLASSIFIED: indicator_feed.record_household_classified,
}
CAMPAIGN_FACTS: Mapping[str, Fact] = {
    campaign.PHONE_DELIVERED: indicator_feed.record_phone_delivered,
    campaign.ENTRY_REVERSED: indicator_feed.record_entry_reversed,
}
ASSESSMENT_REACTIONS: Mapping[str, Reaction] = {
    dti.ASSESSMENT_OPENED: indicator_feed.assessment_opened,
    dti.ASSESSMENT_REOPENED: indicator_feed.assessment_opened,
}

VIETNAM = timezone(timedelta(hours=7), "ICT")


def current_year() -> int:
    """The year it is in Vietnam (UTC+7, no daylight saving): the year of the assessments the counts feed."""
    return datetime.now(VIETNAM).year


def indicator_feeds(runtime: Runtime) -> list[Subscription]:
    """The three subscriptions, each in the consumer group its setting names."""
    settings = cast(Settings, runtime.settings)
    context = context_of(runtime)
    return [
        _counting(settings.household_feed_group, settings.household_topic, context, HOUSEHOLD_FACTS),
        _counting(settings.campaign_feed_group, settings.campaign_topic, context, CAMPAIGN_FACTS),
        Subscription(
            settings.assessment_feed_group,
            (settings.dti_topic,),
            reacting(context, ASSESSMENT_REACTIONS),
            wants=handled(ASSESSMENT_REACTIONS),
        ),
    ]


def _counting(group_id: str, topic: str, context: Context, facts: Mapping[str, Fact]) -> Subscription:
    # Events without a fact to record pass by in the runner, without a transaction or a processed-event record.
    return Subscription(group_id, (topic,), InBatches(counting(context, facts)), wants=handled(facts))


def handled(by_type: Mapping[str, object]) -> Callable[[CloudEvent], bool]:
    """Whether an event (as its newest version) is one of these types."""
    return lambda event: INTEGRATION_EVENTS.upcast(event).type in by_type


def counting(context: Context, facts: Mapping[str, Fact]) -> BatchHandler:
    """A batch handler that records each event's fact, then recounts each commune they concern once."""

    async def handle(conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        communes = set()
        for event in events:
            event = INTEGRATION_EVENTS.upcast(event)
            fact = facts.get(event.type)
            if fact is not None and (commune := await fact(conn, INTEGRATION_EVENTS.payload(event))) is not None:
                communes.add(commune)
        await indicator_feed.recount_and_feed_communes(conn, context, communes, current_year())

    return handle


def reacting(context: Context, reactions: Mapping[str, Reaction]) -> Handler:
    """A consumer handler that passes each event with a reaction to it, as its payload model."""

    async def handle(conn: asyncpg.Connection, event: CloudEvent) -> None:
        event = INTEGRATION_EVENTS.upcast(event)
        reaction = reactions.get(event.type)
        if reaction is not None:
            await reaction(conn, context, INTEGRATION_EVENTS.payload(event), current_year())

    return handle
