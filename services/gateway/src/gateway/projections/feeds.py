"""The three feeds of the composed read models: which topic, which consumer group, which handlers.

The consumers (through the shared consumer runner, a poll's events at a time) and the rebuild apply events the
same way: the statements `write_for` answers, run grouped (`run_writes`); they differ in the schema their
transaction writes to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import asyncpg

from backan_shared.consumer import Subscription
from backan_shared.contracts import INTEGRATION_EVENTS
from backan_shared.contracts import campaign as campaign_contract
from backan_shared.contracts import dti as dti_contract
from backan_shared.contracts import household as household_contract
from backan_shared.envelope import CloudEvent
from gateway.projections import campaigns, dti, households
from gateway.projections.freshness import record_event_time
from gateway.projections.handling import Handlers, Write, run_writes
from gateway.projections.schema import enter_live
from gateway.settings import Settings


@dataclass(frozen=True)
class Feed:
    """One service's integration topic as the gateway reads it.

    `name` keys the as_of of everything built from the feed; `source` is the CloudEvents source of the events
    (and of the consistency tokens) the owning service publishes.
    """

    name: str
    source: str
    topic: str
    group_id: str
    handlers: Handlers


def feeds(
    *,
    campaign_topic: str = campaign_contract.TOPIC,
    household_topic: str = household_contract.TOPIC,
    dti_topic: str = dti_contract.TOPIC,
    group_prefix: str = "gateway",
) -> list[Feed]:
    """The campaign, household and DTI feeds (the contracts' topics unless others are named)."""
    return [
        Feed("campaign", "campaign-ledger", campaign_topic, f"{group_prefix}.campaign", campaigns.HANDLERS),
        Feed("household", "household-registry", household_topic, f"{group_prefix}.household", households.HANDLERS),
        Feed("dti", "dti-scoring", dti_topic, f"{group_prefix}.dti", dti.HANDLERS),
    ]


def feeds_of(settings: Settings) -> list[Feed]:
    """The feeds the gateway's settings name."""
    return feeds(
        campaign_topic=settings.campaign_topic,
        household_topic=settings.household_topic,
        dti_topic=settings.dti_topic,
        group_prefix=settings.consumer_group_prefix,
    )


async def apply_events(feed: Feed, conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
    """Apply events of the feed to the read models of the transaction's schema, each distinct statement once for
    all of them (the handlers' statements commute), and move the feed's as_of forward to the newest.

    An event type this gateway does not know raises (the runner parks it on the dead-letter topic, so an
    operator sees the gateway needs an upgrade); a known type the feed's views do not use only moves as_of.
    """
    if not events:
        return
    await run_writes(conn, [needed for event in events if (needed := write_for(feed, event)) is not None])
    await record_event_time(conn, feed.name, max(event.time for event in events))


def write_for(feed: Feed, event: CloudEvent) -> Write | None:
    """The statement the event needs on the feed's read models (None: nothing); raises for a payload that is
    not a valid integration event."""
    payload = INTEGRATION_EVENTS.payload(event)
    handler = feed.handlers.get(type(payload))
    return None if handler is None else handler(payload, event.time)


def subscription(feed: Feed) -> Subscription:
    """The consumer group that keeps the live read models of one feed up to date, a poll's events at a time."""

    async def handle(conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        await enter_live(conn)
        await apply_events(feed, conn, events)

    return Subscription(feed.group_id, (feed.topic,), handle)


def subscriptions(all_feeds: Sequence[Feed]) -> list[Subscription]:
    """One consumer group per feed."""
    return [subscription(feed) for feed in all_feeds]
