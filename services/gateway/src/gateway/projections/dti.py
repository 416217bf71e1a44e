"""The DTI family's projection: assessments from `dti.events.v1`, their latest status and finalised score.

Every DTI event carries the assessment's unit, level and year, so any of them can create its row. Whether an
assessment stands finalised is decided by its timestamps (finalised after it was last reopened), and a score is
replaced only by a later finalisation, so neither arrival order nor repetition changes the answer. Rankings are
a query: finalised scores of a level and year, ties sharing a rank (1, 2, 2, 4).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backan_shared.contracts import dti as contract
from gateway.projections.handling import Handlers, Write, write

_FACTS = "assessment_id, unit_code, level, year, framework_version"


def _keys(facts: contract.AssessmentFacts) -> tuple[Any, ...]:
    return (facts.assessment_id, facts.unit_code, facts.level, facts.year, facts.framework_version)


def opened(event: contract.DtiAssessmentOpened, _time: datetime) -> Write:
    """A unit's assessment for a year was opened."""
    return write(
        f"""INSERT INTO dti_assessments ({_FACTS}, opened_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (assessment_id) DO UPDATE SET opened_at = EXCLUDED.opened_at""",
        *_keys(event),
        event.opened_at,
    )


def submission(event: contract.DtiSubmissionRecorded | contract.DtiSubmissionReviewed, _time: datetime) -> Write:
    """Submissions and reviews change no composed view; they only make the assessment known."""
    return write(
        f"INSERT INTO dti_assessments ({_FACTS}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING", *_keys(event)
    )


def finalised(event: contract.DtiAssessmentFinalised, _time: datetime) -> Write:
    """The score is frozen; only a later finalisation replaces it."""
    return write(
        f"""INSERT INTO dti_assessments ({_FACTS}, finalised_at, score, max_score, index, pillars)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (assessment_id) DO UPDATE SET finalised_at = EXCLUDED.finalised_at, score = EXCLUDED.score,
                max_score = EXCLUDED.max_score, index = EXCLUDED.index, pillars = EXCLUDED.pillars
            WHERE dti_assessments.finalised_at IS NULL OR dti_assessments.finalised_at < EXCLUDED.finalised_at""",
        *_keys(event),
        event.finalised_at,
        event.score,
        event.max_score,
        event.index,
        [pillar.model_dump(mode="json") for pillar in event.pillars],
    )


def reopened(event: contract.DtiAssessmentReopened, _time: datetime) -> Write:
    """The frozen score no longer stands until the assessment is finalised again."""
    return write(
        f"""INSERT INTO dti_assessments ({_FACTS}, reopened_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (assessment_id) DO UPDATE
            SET reopened_at = GREATEST(dti_assessments.reopened_at, EXCLUDED.reopened_at)""",
        *_keys(event),
        event.reopened_at,
    )


HANDLERS: Handlers = {
    contract.DtiAssessmentOpened: opened,
    contract.DtiSubmissionRecorded: submission,
    contract.DtiSubmissionReviewed: submission,
    contract.DtiAssessmentFinalised: finalised,
    contract.DtiAssessmentReopened: reopened,
}
