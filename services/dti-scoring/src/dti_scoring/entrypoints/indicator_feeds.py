"""The consumers that feed the indicators the system answers itself (`service_layer.indicator_feed`).

Three consumer groups, one per topic: the household registry's (households registered, records digitised),
the smartphone campaign's (phones delivered, deliveries reversed) and dti-scoring's own (an assessment opened
or reopened picks up the counts already kept). The runner applies each event once, in one transaction with
its processed-event record; events of other types pass by.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any, cast

import asyncpg

from backan_shared.consumer import Handler, Subscription
from backan_shared.contracts import INTEGRATION_EVENTS, campaign, dti, household
from backan_shared.envelope import CloudEvent
from backan_shared.service_app import Runtime
from dti_scoring.entrypoints.dependencies import context_of
from dti_scoring.service_layer import indicator_feed
from dti_scoring.service_layer.decisions import Context
from dti_scoring.settings import Settings

Reaction = Callable[[asyncpg.Connection, Context, Any, int], Awaitable[None]]

HOUSEHOLD_REACTIONS: Mapping[str, Reaction] = {
    household.REGISTERED: indicator_feed.household_registered,
    household.CLASSIFIED: indicator_feed.household_classified,
}
CAMPAIGN_REACTIONS: Mapping[str, Reaction] = {
    campaign.PHONE_DELIVERED: indicator_feed.phone_delivered,
    campaign.ENTRY_REVERSED: indicator_feed.entry_reversed,
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
        _feed(settings.household_feed_group, settings.household_topic, context, HOUSEHOLD_REACTIONS),
        _feed(settings.campaign_feed_group, settings.campaign_topic, context, CAMPAIGN_REACTIONS),
        _feed(settings.assessment_feed_group, settings.dti_topic, context, ASSESSMENT_REACTIONS),
    ]


def _feed(group_id: str, topic: str, context: Context, reactions: Mapping[str, Reaction]) -> Subscription:
    # Events without a reaction pass by in the runner, without a transaction or a processed-event record.
    return Subscription(group_id, (topic,), reacting(context, reactions), wants=reacted_to(reactions))


def reacted_to(reactions: Mapping[str, Reaction]) -> Callable[[CloudEvent], bool]:
    """Whether an event (as its newest version) has a reaction."""
    return lambda event: INTEGRATION_EVENTS.upcast(event).type in reactions


def reacting(context: Context, reactions: Mapping[str, Reaction]) -> Handler:
    """A consumer handler that passes each event with a reaction to it, as its payload model."""

    async def handle(conn: asyncpg.Connection, event: CloudEvent) -> None:
        event = INTEGRATION_EVENTS.upcast(event)
        reaction = reactions.get(event.type)
        if reaction is not None:
            await reaction(conn, context, INTEGRATION_EVENTS.payload(event), current_year())

    return handle
