"""Feeding the indicators the system answers itself: from the registry's and the campaign's events to
submissions on the commune's assessment, pending review like any other.

The consumer runner hands over the new events of one transaction (`conn`, which also records them as processed)
together: each fact is recorded (`record_*`), then each commune they concern is recounted once, under its lock
(`recount_and_feed_communes`, in order, so two transactions never wait on each other's locks in a circle). When
a share changed and the commune has an open commune-level assessment for the current year, the share is
submitted through the command handlers as the system, inside the same transaction (`deps.within(conn)`): the
counts, the submission and the processed-event records commit or roll back together. (A recount per event made
the first load of a register recount each commune once per household in it.)

With no open assessment, nothing is submitted: the counts are kept, and opening (or reopening) the commune's
assessment for the current year submits the shares they answer (`assessment_opened`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime

import asyncpg

from backan_shared.contracts import campaign, household
from backan_shared.contracts.dti import AssessmentFacts
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
from dti_scoring.service_layer.dependencies import Dependencies
from dti_scoring.service_layer.handlers import handle


async def record_household_registered(conn: asyncpg.Connection, registered: household.HouseholdRegistered) -> str:
    """A household the registry registered; its commune is to be recounted."""
    await record_registration(conn, registered.household_id, registered.commune_code)
    return registered.commune_code


async def record_household_classified(conn: asyncpg.Connection, classified: household.HouseholdClassified) -> str:
    """Whether the household's records are digitised, as its latest classification says."""
    await record_records_digitised(conn, classified.household_id, classified.commune_code, classified.records_digitised)
    return classified.commune_code


async def record_phone_delivered(conn: asyncpg.Connection, delivery: campaign.PhoneDelivered) -> str:
    """A household given a phone by the campaign (counted once, however many phones it was given)."""
    await record_delivery(
        conn, delivery.campaign_id, delivery.delivery_id, delivery.commune_code, delivery.household_id
    )
    return delivery.commune_code


async def record_entry_reversed(conn: asyncpg.Connection, reversal: campaign.EntryReversed) -> str | None:
    """A reversed delivery no longer counts; the campaign's other reversals are not about households."""
    if reversal.reversed_kind != "delivery" or reversal.reference is None:
        return None
    # a reversal read before its delivery is kept, and the delivery never counts once it arrives
    return await record_reversed_delivery(conn, reversal.campaign_id, reversal.reference)


async def recount_and_feed_communes(
    conn: asyncpg.Connection, deps: Dependencies, commune_codes: Iterable[str], year: int
) -> None:
    """Recount each commune once, under its lock, and submit the shares that changed."""
    for commune_code in sorted(set(commune_codes)):
        await lock_commune(conn, commune_code)
        await recount_and_feed(conn, deps, commune_code, year)


async def assessment_opened(conn: asyncpg.Connection, deps: Dependencies, facts: AssessmentFacts, year: int) -> None:
    """Submit the shares the counts already known answer to a commune's just opened (or reopened) assessment.

    Only an assessment of the current year `year` is fed: the counts are today's, not an earlier year's.
    """
    if facts.level != Level.COMMUNE.value or facts.year != year:
        return
    # under the lock, so a recount running now either finishes first or sees the assessment open
    await lock_commune(conn, facts.unit_code)
    counts = await commune_counts(conn, facts.unit_code)
    if counts is not None:
        await feed(conn, deps, facts.unit_code, year, fed_values(counts))


async def recount_and_feed(conn: asyncpg.Connection, deps: Dependencies, commune_code: str, year: int) -> None:
    """Recount the commune and submit the shares that changed."""
    change = await recount(conn, commune_code)
    await feed(conn, deps, commune_code, year, change.changed_values())


async def feed(
    conn: asyncpg.Connection, deps: Dependencies, commune_code: str, year: int, values: list[FedValue]
) -> None:
    """Submit the values to the commune's open assessment for the year; without one, they wait for its opening."""
    if not values:
        return
    assessment_id = await open_assessment_id(conn, commune_code, year)
    if assessment_id is None:
        return
    for value in values:
        await submit_fed_value(deps.within(conn), assessment_id, value)


async def submit_fed_value(deps: Dependencies, assessment_id: str, value: FedValue) -> None:
    """Submit one value as the system; an official writing to the assessment at the same moment is absorbed by
    `run_command`, which decides again on the moved stream."""
    await handle(feed_command(assessment_id, value), deps)


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
