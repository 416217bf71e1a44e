"""The consumers that feed the indicators the system answers itself (`service_layer.indicator_feed`).

Three consumer groups, one per topic: the household registry's (households registered, records digitised),
the smartphone campaign's (phones delivered, deliveries reversed) and dti-scoring's own (an assessment opened
or reopened picks up the counts already kept). The runner applies each event once, in one transaction with
its processed-event record; events of other types pass by. Each feed takes a transaction's events together:
the household and campaign feeds record each fact, then recount each commune they concern once; every feed
takes its communes' locks in the same order, so no two transactions wait on each other in a circle.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import asyncpg

from backan_shared.consumer import Handler, Subscription
from backan_shared.contracts import INTEGRATION_EVENTS, campaign, dti, household
from backan_shared.contracts.dti import AssessmentFacts
from backan_shared.envelope import CloudEvent
from backan_shared.service_app import Runtime
from dti_scoring.bootstrap import dependencies
from dti_scoring.service_layer import indicator_feed
from dti_scoring.service_layer.dependencies import Dependencies
from dti_scoring.settings import Settings

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
ASSESSMENT_OPENINGS = frozenset({dti.ASSESSMENT_OPENED, dti.ASSESSMENT_REOPENED})

VIETNAM = timezone(timedelta(hours=7), "ICT")


def current_year() -> int:
    """The year it is in Vietnam (UTC+7, no daylight saving): the year of the assessments the counts feed."""
    return datetime.now(VIETNAM).year


def indicator_feeds(runtime: Runtime) -> list[Subscription]:
    """The three subscriptions, each in the consumer group its setting names."""
    settings = cast(Settings, runtime.settings)
    deps = dependencies(runtime)
    return [
        _counting(settings.household_feed_group, settings.household_topic, deps, HOUSEHOLD_FACTS),
        _counting(settings.campaign_feed_group, settings.campaign_topic, deps, CAMPAIGN_FACTS),
        Subscription(
            settings.assessment_feed_group,
            (settings.dti_topic,),
            feeding_openings(deps),
            wants=handled(ASSESSMENT_OPENINGS),
        ),
    ]


def _counting(group_id: str, topic: str, deps: Dependencies, facts: Mapping[str, Fact]) -> Subscription:
    # Events without a fact to record pass by in the runner, without a transaction or a processed-event record.
    return Subscription(group_id, (topic,), counting(deps, facts), wants=handled(facts))


def handled(by_type: Collection[str]) -> Callable[[CloudEvent], bool]:
    """Whether an event (as its newest version) is one of these types."""
    return lambda event: INTEGRATION_EVENTS.upcast(event).type in by_type


def counting(deps: Dependencies, facts: Mapping[str, Fact]) -> Handler:
    """A handler that records each event's fact, then recounts each commune they concern once."""

    async def handle(conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        communes = set()
        for event in events:
            event = INTEGRATION_EVENTS.upcast(event)
            fact = facts.get(event.type)
            if fact is not None and (commune := await fact(conn, INTEGRATION_EVENTS.payload(event))) is not None:
                communes.add(commune)
        await indicator_feed.recount_and_feed_communes(conn, deps, communes, current_year())

    return handle


def feeding_openings(deps: Dependencies) -> Handler:
    """A handler that feeds each opened (or reopened) assessment, communes in order: each takes its
    commune's lock, and the counting feeds take theirs in the same order, so none waits on another in a circle."""

    async def handle(conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        upcast = [INTEGRATION_EVENTS.upcast(event) for event in events]
        opened = [
            cast(AssessmentFacts, INTEGRATION_EVENTS.payload(event))
            for event in upcast
            if event.type in ASSESSMENT_OPENINGS
        ]
        for facts in sorted(opened, key=lambda facts: facts.unit_code):
            await indicator_feed.assessment_opened(conn, deps, facts, current_year())

    return handle
