"""The DTI family: assessments from `dti.events.v1`, their latest status and finalised score, and rankings.

Every DTI event carries the assessment's unit, level and year, so any of them can create its row. Whether an
assessment stands finalised is decided by its timestamps (finalised after it was last reopened), and a score is
replaced only by a later finalisation, so neither arrival order nor repetition changes the answer. Rankings are
a query: finalised scores of a level and year, ties sharing a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

from backan_shared.contracts import dti as contract
from gateway.read_models.handling import Handlers


async def _assessment(conn: asyncpg.Connection, facts: contract.AssessmentFacts) -> None:
    await conn.execute(
        """INSERT INTO dti_assessments (assessment_id, unit_code, level, year, framework_version)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING""",
        facts.assessment_id,
        facts.unit_code,
        facts.level,
        facts.year,
        facts.framework_version,
    )


async def opened(conn: asyncpg.Connection, event: contract.DtiAssessmentOpened, _time: datetime) -> None:
    """A unit's assessment for a year was opened."""
    await _assessment(conn, event)
    await conn.execute(
        "UPDATE dti_assessments SET opened_at = $2 WHERE assessment_id = $1", event.assessment_id, event.opened_at
    )


async def submission(
    conn: asyncpg.Connection, event: contract.DtiSubmissionRecorded | contract.DtiSubmissionReviewed, _time: datetime
) -> None:
    """Submissions and reviews change no composed view; they only make the assessment known."""
    await _assessment(conn, event)


async def finalised(conn: asyncpg.Connection, event: contract.DtiAssessmentFinalised, _time: datetime) -> None:
    """The score is frozen; only a later finalisation replaces it."""
    await _assessment(conn, event)
    await conn.execute(
        """UPDATE dti_assessments SET finalised_at = $2, score = $3, max_score = $4, index = $5, pillars = $6
           WHERE assessment_id = $1 AND (finalised_at IS NULL OR finalised_at < $2)""",
        event.assessment_id,
        event.finalised_at,
        event.score,
        event.max_score,
        event.index,
        [pillar.model_dump(mode="json") for pillar in event.pillars],
    )


async def reopened(conn: asyncpg.Connection, event: contract.DtiAssessmentReopened, _time: datetime) -> None:
    """The frozen score no longer stands until the assessment is finalised again."""
    await _assessment(conn, event)
    await conn.execute(
        """UPDATE dti_assessments SET reopened_at = GREATEST(reopened_at, $2) WHERE assessment_id = $1""",
        event.assessment_id,
        event.reopened_at,
    )


HANDLERS: Handlers = {
    contract.DtiAssessmentOpened: opened,
    contract.DtiSubmissionRecorded: submission,
    contract.DtiSubmissionReviewed: submission,
    contract.DtiAssessmentFinalised: finalised,
    contract.DtiAssessmentReopened: reopened,
}

_STANDING = "finalised_at IS NOT NULL AND (reopened_at IS NULL OR finalised_at > reopened_at)"


async def ranking(conn: asyncpg.Connection, level: str, year: int) -> list[asyncpg.Record]:
    """Finalised units of a level and year, best first; equal scores share a rank."""
    rows: list[asyncpg.Record] = await conn.fetch(
        f"""WITH standing AS (
                SELECT DISTINCT ON (unit_code) unit_code, assessment_id, score, max_score, index, pillars
                FROM dti_assessments WHERE level = $1 AND year = $2 AND {_STANDING}
                ORDER BY unit_code, finalised_at DESC)
            SELECT rank() OVER (ORDER BY score DESC) AS rank, * FROM standing ORDER BY rank, unit_code""",
        level,
        year,
    )
    return rows


async def latest_ranked_year(conn: asyncpg.Connection, level: str, unit_code: str | None = None) -> int | None:
    """The latest year with a finalised assessment at `level` (of `unit_code`, if named)."""
    year: int | None = await conn.fetchval(
        f"""SELECT max(year) FROM dti_assessments
            WHERE level = $1 AND ($2::text IS NULL OR unit_code = $2) AND {_STANDING}""",
        level,
        unit_code,
    )
    return year
