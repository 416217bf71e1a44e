"""dti-scoring's read models on PostgreSQL: the assessment view and the rankings per level and year.

`project_assessment` runs inside the transaction that appends an assessment's events (the `project` hook of
`handle_command`), so a read after a write sees it. It writes the whole view from the assessment's state, and
only over an older version, so a projection is idempotent and a late writer never undoes a newer view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import asyncpg

from backan_shared.api.dti import AssessmentPublic, RankingEntry
from backan_shared.event_store import GlobalPosition, PostgresEventStore, RecordedEvent
from backan_shared.migrations import MigrationSource
from dti_scoring.adapters.assessment_view import assessment_view
from dti_scoring.adapters.event_codec import CODEC, STREAM_TYPE
from dti_scoring.domain.assessment import Assessment
from dti_scoring.domain.errors import DuplicateAssessmentError
from dti_scoring.domain.events import AssessmentEvent, AssessmentFinalised, AssessmentReopened
from dti_scoring.domain.framework import Level
from dti_scoring.domain.ranking import RankedUnit, UnitResult, rank_units
from dti_scoring.frameworks import load_framework

MIGRATIONS = MigrationSource("dti-scoring", Path(__file__).parent.parent / "migrations")
_ONE_PER_UNIT_AND_YEAR = "dti_assessments_one_per_unit_and_year"


@dataclass(frozen=True)
class FinalisedResult:
    """A unit's frozen score and the assessment that froze it."""

    unit: UnitResult
    assessment_id: str


_UPSERT_VIEW = """
INSERT INTO dti_assessments
    (assessment_id, unit_code, level, year, framework_version, status, final_score, version, as_of, view)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (assessment_id) DO UPDATE SET
    status = excluded.status, final_score = excluded.final_score, version = excluded.version,
    as_of = excluded.as_of, view = excluded.view
WHERE dti_assessments.version <= excluded.version
"""


async def project_assessment(
    conn: asyncpg.Connection, assessment: Assessment, events: Sequence[AssessmentEvent]
) -> None:
    """Show the assessment as `events` left it; re-rank its level and year if its score froze or thawed."""
    await write_view(conn, assessment, as_of=events[-1].at)
    if any(isinstance(event, AssessmentFinalised | AssessmentReopened) for event in events):
        await refresh_rankings(conn, assessment.level, assessment.year)


async def write_view(conn: asyncpg.Connection, assessment: Assessment, *, as_of: datetime) -> None:
    """Write the assessment's view; `DuplicateAssessmentError` if its unit has another one that year."""
    view = assessment_view(assessment, load_framework(assessment.framework_version), as_of)
    final_score = assessment.score.total if assessment.score is not None else None
    try:
        async with conn.transaction():  # a savepoint, so the transaction can still say which assessment exists
            await conn.execute(
                _UPSERT_VIEW,
                assessment.assessment_id,
                assessment.unit_code,
                assessment.level.value,
                assessment.year,
                assessment.framework_version,
                assessment.status.value,
                final_score,
                assessment.version,
                as_of,
                view.model_dump(mode="json"),
            )
    except asyncpg.UniqueViolationError as violation:
        if violation.constraint_name != _ONE_PER_UNIT_AND_YEAR:
            raise
        raise await duplicate_assessment(conn, assessment) from violation


async def duplicate_assessment(conn: asyncpg.Connection, assessment: Assessment) -> DuplicateAssessmentError:
    """The error naming the assessment the unit already has for that level and year."""
    existing = await conn.fetchval(
        "SELECT assessment_id FROM dti_assessments WHERE unit_code = $1 AND level = $2 AND year = $3",
        assessment.unit_code,
        assessment.level.value,
        assessment.year,
    )
    return DuplicateAssessmentError(
        f"{assessment.level} {assessment.unit_code} already has an assessment for {assessment.year}: {existing}"
    )


async def refresh_rankings(conn: asyncpg.Connection, level: Level, year: int) -> None:
    """Rank `year` again, and `year + 1`, whose change from last year depends on it."""
    for ranked_year in (year, year + 1):  # ascending, so two refreshes never wait for each other in a cycle
        # without the lock, two finalisations committing at once would each rank without the other
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext('dti-rankings:' || $1), $2)", level.value, ranked_year
        )
    results = await finalised_results(conn, level, range(year - 1, year + 2))
    for ranked_year in (year, year + 1):
        await write_ranking(conn, level, ranked_year, results)


async def finalised_results(conn: asyncpg.Connection, level: Level, years: Iterable[int]) -> list[FinalisedResult]:
    """The frozen scores of a level's finalised assessments in those years."""
    rows = await conn.fetch(
        """SELECT assessment_id, unit_code, year, final_score FROM dti_assessments
           WHERE level = $1 AND year = ANY($2::int[]) AND status = 'finalised'""",
        level.value,
        list(years),
    )
    return [
        FinalisedResult(UnitResult(r["unit_code"], level, r["year"], r["final_score"]), r["assessment_id"])
        for r in rows
    ]


async def write_ranking(conn: asyncpg.Connection, level: Level, year: int, results: list[FinalisedResult]) -> None:
    """Replace a level and year's ranking with the one `results` give."""
    ranked = rank_units([result.unit for result in results], level, year)
    assessment_ids = {(r.unit.unit_code, r.unit.year): r.assessment_id for r in results}
    await conn.execute("DELETE FROM dti_rankings WHERE level = $1 AND year = $2", level.value, year)
    await conn.executemany(
        """INSERT INTO dti_rankings (level, year, unit_code, rank, score, previous_rank, rank_change, assessment_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
        [_ranking_row(level, year, place, assessment_ids[(place.unit_code, year)]) for place in ranked],
    )


def _ranking_row(level: Level, year: int, place: RankedUnit, assessment_id: str) -> tuple[object, ...]:
    return (
        level.value,
        year,
        place.unit_code,
        place.rank,
        place.score,
        place.previous_rank,
        place.rank_change,
        assessment_id,
    )


async def fetch_assessment(pool: asyncpg.Pool, assessment_id: str) -> AssessmentPublic | None:
    """The assessment view, or None if no assessment has that id."""
    async with pool.acquire() as conn:
        view = await conn.fetchval("SELECT view FROM dti_assessments WHERE assessment_id = $1", assessment_id)
    return None if view is None else AssessmentPublic.model_validate(view)


async def fetch_ranking(pool: asyncpg.Pool, level: Level, year: int) -> list[RankingEntry]:
    """A level and year's ranking, best first (ties by unit code)."""
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            """SELECT rank, unit_code, score, previous_rank, rank_change, assessment_id FROM dti_rankings
               WHERE level = $1 AND year = $2 ORDER BY rank, unit_code""",
            level.value,
            year,
        )
    return [RankingEntry(**dict(row)) for row in rows]


async def rebuild(pool: asyncpg.Pool, store: PostgresEventStore, *, batch_size: int = 1000) -> int:
    """Rebuild every assessment view and ranking by replaying the event store; return how many assessments.

    Writers wait while the views are rewritten; a view is only written over the same or an older version, so
    a command that committed after the replay read its stream keeps its newer view.
    """
    histories = await assessment_histories(store, batch_size)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("LOCK TABLE dti_assessments, dti_rankings IN SHARE ROW EXCLUSIVE MODE")
        for events in histories.values():
            await write_view(conn, Assessment.replay(events), as_of=events[-1].at)
        await refresh_all_rankings(conn)
    return len(histories)


async def assessment_histories(store: PostgresEventStore, batch_size: int) -> dict[str, list[AssessmentEvent]]:
    """Every assessment's events in stream order, read in batches along the store's global order."""
    recorded: dict[str, list[RecordedEvent]] = defaultdict(list)
    position = GlobalPosition()
    while batch := await store.read_all(position, limit=batch_size):
        for event in batch:
            if event.stream_type == STREAM_TYPE:
                recorded[event.stream_id].append(event)
        position = batch[-1].global_position
    return {
        stream: [CODEC.decode(e) for e in sorted(events, key=lambda e: e.version)]
        for stream, events in recorded.items()
    }


async def refresh_all_rankings(conn: asyncpg.Connection) -> None:
    """Rank every level and year that has a finalised assessment, and nothing else."""
    await conn.execute("DELETE FROM dti_rankings")
    keys = await conn.fetch("SELECT DISTINCT level, year FROM dti_assessments WHERE status = 'finalised'")
    for key in keys:
        level, year = Level(key["level"]), key["year"]
        await write_ranking(conn, level, year, await finalised_results(conn, level, (year - 1, year)))
