"""Feeding the indicators the system answers itself: from the registry's and the campaign's events to
submissions on the commune's assessment, pending review like any other.

Each function runs inside the consumer runner's transaction for one event (`conn`), which also records the
event as processed. It records the fact, takes the commune's lock, recounts, and when a share changed and the
commune has an open commune-level assessment for the current year, submits the share through the command
handlers as the system. That submission commits in its own transaction first; if the event's transaction
then fails, the redelivered event recounts the same share and the aggregate refuses to submit it twice.

With no open assessment, nothing is submitted: the counts are kept, and opening (or reopening) the commune's
assessment for the current year submits the shares they answer (`assessment_opened`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import asyncpg

from backan_shared.contracts import campaign, household
from backan_shared.contracts.dti import AssessmentFacts
from backan_shared.event_store import ConcurrencyError
from dti_scoring.adapters.indicator_counts import (
    commune_counts,
    lock_commune,
    open_assessment_id,
    record_delivery,
    record_records_digitised,
    record_registration,
    record_reversed_delivery,
    recount,
)
from dti_scoring.domain.commands import FeedIndicatorValue
from dti_scoring.domain.fed_indicators import FedValue, fed_values
from dti_scoring.domain.framework import Level
from dti_scoring.service_layer.decisions import Context
from dti_scoring.service_layer.handlers import handle

FEED_ATTEMPTS = 5
"""How often a submission is tried when an official writes to the same assessment at the same moment."""


async def household_registered(
    conn: asyncpg.Connection, context: Context, registered: household.HouseholdRegistered, year: int
) -> None:
    """Count a household the registry registered."""
    await lock_commune(conn, registered.commune_code)
    await record_registration(conn, registered.household_id, registered.commune_code)
    await recount_and_feed(conn, context, registered.commune_code, year)


async def household_classified(
    conn: asyncpg.Connection, context: Context, classified: household.HouseholdClassified, year: int
) -> None:
    """Count the household's records as digitised, or no longer, as its latest classification says."""
    await lock_commune(conn, classified.commune_code)
    await record_records_digitised(conn, classified.household_id, classified.commune_code, classified.records_digitised)
    await recount_and_feed(conn, context, classified.commune_code, year)


async def phone_delivered(
    conn: asyncpg.Connection, context: Context, delivery: campaign.PhoneDelivered, year: int
) -> None:
    """Count a household given a phone by the campaign (once, however many phones it was given)."""
    await lock_commune(conn, delivery.commune_code)
    await record_delivery(
        conn, delivery.campaign_id, delivery.delivery_id, delivery.commune_code, delivery.household_id
    )
    await recount_and_feed(conn, context, delivery.commune_code, year)


async def entry_reversed(
    conn: asyncpg.Connection, context: Context, reversal: campaign.EntryReversed, year: int
) -> None:
    """A reversed delivery no longer counts; the campaign's other reversals are not about households."""
    if reversal.reversed_kind != "delivery" or reversal.reference is None:
        return
    commune_code = await record_reversed_delivery(conn, reversal.campaign_id, reversal.reference)
    # a reversal read before its delivery is kept, and the delivery never counts once it arrives
    if commune_code is not None:
        await lock_commune(conn, commune_code)
        await recount_and_feed(conn, context, commune_code, year)


async def assessment_opened(conn: asyncpg.Connection, context: Context, facts: AssessmentFacts, year: int) -> None:
    """Submit the shares the counts already known answer to a commune's just opened (or reopened) assessment.

    Only an assessment of the current year `year` is fed: the counts are today's, not an earlier year's.
    """
    if facts.level != Level.COMMUNE.value or facts.year != year:
        return
    # under the lock, so a recount running now either finishes first or sees the assessment open
    await lock_commune(conn, facts.unit_code)
    counts = await commune_counts(conn, facts.unit_code)
    if counts is not None:
        await feed(conn, context, facts.unit_code, year, fed_values(counts))


async def recount_and_feed(conn: asyncpg.Connection, context: Context, commune_code: str, year: int) -> None:
    """Recount the commune and submit the shares that changed."""
    change = await recount(conn, commune_code)
    await feed(conn, context, commune_code, year, change.changed_values())


async def feed(
    conn: asyncpg.Connection, context: Context, commune_code: str, year: int, values: list[FedValue]
) -> None:
    """Submit the values to the commune's open assessment for the year; without one, they wait for its opening."""
    if not values:
        return
    assessment_id = await open_assessment_id(conn, commune_code, year)
    if assessment_id is None:
        return
    for value in values:
        await submit_fed_value(context, assessment_id, value)


async def submit_fed_value(context: Context, assessment_id: str, value: FedValue) -> None:
    """Submit one value as the system, trying again if an official wrote to the assessment meanwhile."""
    for attempt in range(1, FEED_ATTEMPTS + 1):
        try:
            await handle(feed_command(assessment_id, value), context)
            return
        except ConcurrencyError:
            if attempt == FEED_ATTEMPTS:
                raise


def feed_command(assessment_id: str, value: FedValue) -> FeedIndicatorValue:
    """The command that submits one fed value, with a new submission id."""
    return FeedIndicatorValue(
        assessment_id=assessment_id,
        submission_id=str(uuid.uuid4()),
        indicator_code=value.indicator_code,
        value=value.value,
        provenance=value.provenance,
        at=datetime.now(UTC),
    )
