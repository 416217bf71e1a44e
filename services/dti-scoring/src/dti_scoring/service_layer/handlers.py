"""The command handlers of dti-scoring, one small function per command, registered in `HANDLERS`.

Each turns a command into a decision on the assessment's stream; the aggregate checks the invariants, the
framework catalogue supplies the framework version, and `run_decision` does the rest.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from dti_scoring.domain.assessment import Assessment
from dti_scoring.domain.commands import (
    FeedIndicatorValue,
    FinaliseAssessment,
    OpenAssessment,
    ReopenAssessment,
    ReviewSubmission,
    SubmitValue,
)
from dti_scoring.domain.errors import DuplicateAssessmentError
from dti_scoring.domain.events import AssessmentEvent
from dti_scoring.frameworks import current
from dti_scoring.service_layer.decisions import Context, Result, act_on_assessment, run_decision

Command = OpenAssessment | SubmitValue | FeedIndicatorValue | ReviewSubmission | FinaliseAssessment | ReopenAssessment
Handler = Callable[[Any, Context], Awaitable[Result]]


async def open_assessment(command: OpenAssessment, context: Context) -> Result:
    """Open an assessment on the framework in force for its level and year."""
    framework = current(command.level, command.year)

    def decide(history: list[AssessmentEvent]) -> list[AssessmentEvent]:
        if history:
            raise DuplicateAssessmentError(f"assessment {command.assessment_id} exists already")
        return Assessment.open(command, framework)

    return await run_decision(context, command.assessment_id, decide)


async def submit_value(command: SubmitValue, context: Context) -> Result:
    """Submit or resubmit an indicator's value."""
    return await act_on_assessment(context, command.assessment_id, lambda a, f: a.submit_value(command, f))


async def feed_indicator_value(command: FeedIndicatorValue, context: Context) -> Result:
    """Submit a value the system computed, as the system, unless it would change nothing."""
    return await act_on_assessment(context, command.assessment_id, lambda a, f: a.feed_value(command, f))


async def review_submission(command: ReviewSubmission, context: Context) -> Result:
    """Approve or reject a submission."""
    return await act_on_assessment(context, command.assessment_id, lambda a, _: a.review_submission(command))


async def finalise_assessment(command: FinaliseAssessment, context: Context) -> Result:
    """Score the approved values and freeze the score."""
    return await act_on_assessment(context, command.assessment_id, lambda a, f: a.finalise(command, f))


async def reopen_assessment(command: ReopenAssessment, context: Context) -> Result:
    """Reopen a finalised assessment, with the reason in its audit trail."""
    return await act_on_assessment(context, command.assessment_id, lambda a, _: a.reopen(command))


HANDLERS: dict[type[Command], Handler] = {
    OpenAssessment: open_assessment,
    SubmitValue: submit_value,
    FeedIndicatorValue: feed_indicator_value,
    ReviewSubmission: review_submission,
    FinaliseAssessment: finalise_assessment,
    ReopenAssessment: reopen_assessment,
}


async def handle(command: Command, context: Context) -> Result:
    """Run the handler registered for the command's type."""
    return await HANDLERS[type(command)](command, context)
