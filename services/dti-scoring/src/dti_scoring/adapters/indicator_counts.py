"""The per-commune counts behind the event-fed indicators, on PostgreSQL (migrations/002_indicator_counts.sql).

Facts are recorded as upserts keyed by their natural ids, so a fact seen twice is one fact. A commune's counts
are recomputed from the facts rather than incremented, so a recount is right however often it runs. Whoever
records a fact takes the commune's lock and recounts before committing: the last to take the lock then sees
every committed fact besides its own, and no change of share goes unsubmitted.
"""

from __future__ import annotations

import asyncpg

from dti_scoring.domain.fed_indicators import CommuneCounts, CountsChange
from dti_scoring.domain.framework import Level

_RECOUNT = """
SELECT
    count(*) FILTER (WHERE h.registered) AS households,
    count(*) FILTER (WHERE h.registered AND h.records_digitised) AS digitised_households,
    (SELECT count(DISTINCT d.household_id)
       FROM dti_feed_deliveries d
       JOIN dti_feed_households given ON given.household_id = d.household_id
            AND given.registered AND given.commune_code = d.commune_code
      WHERE d.commune_code = $1
        AND NOT EXISTS (SELECT 1 FROM dti_feed_reversed_deliveries r
                         WHERE r.campaign_id = d.campaign_id AND r.delivery_id = d.delivery_id)
    ) AS smartphone_households
FROM dti_feed_households h
WHERE h.commune_code = $1
"""

_SAVE_COUNTS = """
INSERT INTO dti_commune_counts (commune_code, households, smartphone_households, digitised_households, updated_at)
VALUES ($1, $2, $3, $4, now())
ON CONFLICT (commune_code) DO UPDATE SET
    households = excluded.households, smartphone_households = excluded.smartphone_households,
    digitised_households = excluded.digitised_households, updated_at = excluded.updated_at
"""


async def lock_commune(conn: asyncpg.Connection, commune_code: str) -> None:
    """Hold the commune's lock until the transaction ends: its recounts and submissions go one at a time."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtext('dti-indicator-feed'), hashtext($1))", commune_code)


async def record_registration(conn: asyncpg.Connection, household_id: str, commune_code: str) -> None:
    """A household the registry registered in a commune."""
    await conn.execute(
        """INSERT INTO dti_feed_households (household_id, commune_code, registered) VALUES ($1, $2, true)
           ON CONFLICT (household_id) DO UPDATE SET commune_code = excluded.commune_code, registered = true""",
        household_id,
        commune_code,
    )


async def record_records_digitised(
    conn: asyncpg.Connection, household_id: str, commune_code: str, digitised: bool
) -> None:
    """Whether the household's latest classification left its records digitised."""
    await conn.execute(
        """INSERT INTO dti_feed_households (household_id, commune_code, records_digitised) VALUES ($1, $2, $3)
           ON CONFLICT (household_id) DO UPDATE SET records_digitised = excluded.records_digitised""",
        household_id,
        commune_code,
        digitised,
    )


async def record_delivery(
    conn: asyncpg.Connection, campaign_id: str, delivery_id: str, commune_code: str, household_id: str
) -> None:
    """A phone the campaign handed to a household of a commune."""
    await conn.execute(
        """INSERT INTO dti_feed_deliveries (campaign_id, delivery_id, commune_code, household_id)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
        campaign_id,
        delivery_id,
        commune_code,
        household_id,
    )


async def record_reversed_delivery(conn: asyncpg.Connection, campaign_id: str, delivery_id: str) -> str | None:
    """A delivery the campaign reversed; the commune it was made in, if the delivery is known."""
    await conn.execute(
        """INSERT INTO dti_feed_reversed_deliveries (campaign_id, delivery_id) VALUES ($1, $2)
           ON CONFLICT DO NOTHING""",
        campaign_id,
        delivery_id,
    )
    commune: str | None = await conn.fetchval(
        "SELECT commune_code FROM dti_feed_deliveries WHERE campaign_id = $1 AND delivery_id = $2",
        campaign_id,
        delivery_id,
    )
    return commune


async def commune_counts(conn: asyncpg.Connection, commune_code: str) -> CommuneCounts | None:
    """The commune's counts as last computed, or None if no event has mentioned it."""
    row = await conn.fetchrow(
        """SELECT commune_code, households, smartphone_households, digitised_households
           FROM dti_commune_counts WHERE commune_code = $1""",
        commune_code,
    )
    return None if row is None else CommuneCounts(**dict(row))


async def recount(conn: asyncpg.Connection, commune_code: str) -> CountsChange:
    """Count the commune's households again from the facts, save the counts, and say how they changed."""
    before = await commune_counts(conn, commune_code)
    row = await conn.fetchrow(_RECOUNT, commune_code)
    after = CommuneCounts(commune_code, row["households"], row["smartphone_households"], row["digitised_households"])
    await conn.execute(
        _SAVE_COUNTS, commune_code, after.households, after.smartphone_households, after.digitised_households
    )
    return CountsChange(before, after)


async def open_assessment_id(conn: asyncpg.Connection, commune_code: str, year: int) -> str | None:
    """The commune's open commune-level assessment for the year, if there is one."""
    assessment_id: str | None = await conn.fetchval(
        """SELECT assessment_id FROM dti_assessments
           WHERE unit_code = $1 AND level = $2 AND year = $3 AND status = 'open'""",
        commune_code,
        Level.COMMUNE.value,
        year,
    )
    return assessment_id
