"""The command handlers of dti-scoring, one small function per command, registered in `HANDLERS`; `handle` runs
a command through it.

Each names the `Assessment` method that decides, with the framework version the assessment was opened on, and
runs it through `backan_shared.command_handling.run_command` on the assessment's stream
(`aggregates.ASSESSMENTS`): its events, integration events and view are written in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from backan_shared.command_handling import CommandHandlers, CommandResult, Handler, run_command
from dti_scoring.domain.assessment import Assessment
from dti_scoring.domain.commands import (
    FeedIndicatorValue,
    FinaliseAssessment,
    OpenAssessment,
    ReopenAssessment,
    ReviewSubmission,
    SubmitValue,
)
from dti_scoring.domain.errors import DuplicateAssessmentError, UnknownAssessmentError
from dti_scoring.domain.events import AssessmentEvent
from dti_scoring.domain.framework import Framework
from dti_scoring.frameworks import current, load_framework
from dti_scoring.service_layer.aggregates import ASSESSMENTS
from dti_scoring.service_layer.dependencies import Dependencies

Command = OpenAssessment | SubmitValue | FeedIndicatorValue | ReviewSubmission | FinaliseAssessment | ReopenAssessment
Result = CommandResult[Assessment, AssessmentEvent]
Action = Callable[[Assessment, Framework], list[AssessmentEvent]]


async def _on_assessment(deps: Dependencies, assessment_id: str, action: Action) -> Result:
    """Run `action` on an existing assessment and the framework version it was opened on."""

    def decide(assessment: Assessment | None) -> list[AssessmentEvent]:
        if assessment is None:
            raise UnknownAssessmentError(f"no assessment has id {assessment_id!r}")
        return action(assessment, load_framework(assessment.framework_version))

    return await run_command(deps, ASSESSMENTS, assessment_id, decide)


async def open_assessment(command: OpenAssessment, deps: Dependencies) -> Result:
    """Open an assessment on the framework in force for its level and year."""
    framework = current(command.level, command.year)

    def decide(existing: Assessment | None) -> list[AssessmentEvent]:
        if existing is not None:
            raise DuplicateAssessmentError(f"assessment {command.assessment_id} exists already")
        return Assessment.open(command, framework)

    return await run_command(deps, ASSESSMENTS, command.assessment_id, decide)


async def submit_value(command: SubmitValue, deps: Dependencies) -> Result:
    """Submit or resubmit an indicator's value."""
    return await _on_assessment(deps, command.assessment_id, lambda a, f: a.submit_value(command, f))


async def feed_indicator_value(command: FeedIndicatorValue, deps: Dependencies) -> Result:
    """Submit a value the system computed, as the system, unless it would change nothing."""
    return await _on_assessment(deps, command.assessment_id, lambda a, f: a.feed_value(command, f))


async def review_submission(command: ReviewSubmission, deps: Dependencies) -> Result:
    """Approve or reject a submission."""
    return await _on_assessment(deps, command.assessment_id, lambda a, _: a.review_submission(command))


async def finalise_assessment(command: FinaliseAssessment, deps: Dependencies) -> Result:
    """Score the approved values and freeze the score."""
    return await _on_assessment(deps, command.assessment_id, lambda a, f: a.finalise(command, f))


async def reopen_assessment(command: ReopenAssessment, deps: Dependencies) -> Result:
    """Reopen a finalised assessment, with the reason in its audit trail."""
    return await _on_assessment(deps, command.assessment_id, lambda a, _: a.reopen(command))


HANDLERS: dict[type, Handler[Dependencies, Result]] = {
    OpenAssessment: open_assessment,
    SubmitValue: submit_value,
    FeedIndicatorValue: feed_indicator_value,
    ReviewSubmission: review_submission,
    FinaliseAssessment: finalise_assessment,
    ReopenAssessment: reopen_assessment,
}
handle: CommandHandlers[Dependencies, Result] = CommandHandlers(HANDLERS)
"""Runs a command through the handler its type is registered with."""
