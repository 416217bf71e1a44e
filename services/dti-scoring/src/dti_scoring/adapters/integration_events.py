"""From an assessment's private domain events to the integration events other services and partners read
(`backan_shared.contracts.dti`), bound for the outbox: keyed by assessment id, so one assessment's events keep
their order on one partition."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from backan_shared.contracts import INTEGRATION_EVENTS
from backan_shared.contracts.dti import (
    ASSESSMENT_FINALISED,
    ASSESSMENT_OPENED,
    ASSESSMENT_REOPENED,
    SUBMISSION_RECORDED,
    SUBMISSION_REVIEWED,
    DtiAssessmentFinalised,
    DtiAssessmentOpened,
    DtiAssessmentReopened,
    DtiSubmissionRecorded,
    DtiSubmissionReviewed,
    GroupPoints,
    IndicatorPoints,
    PillarPoints,
)
from backan_shared.outbox import OutboxMessage
from dti_scoring.domain.assessment import Assessment
from dti_scoring.domain.events import (
    AssessmentEvent,
    AssessmentFinalised,
    AssessmentOpened,
    AssessmentReopened,
    SubmissionReviewed,
    ValueSubmitted,
)
from dti_scoring.domain.scoring import AssessmentScore


@dataclass(frozen=True)
class IntegrationPublisher:
    """Makes the outbox messages of a command's events, for one topic and CloudEvents source."""

    topic: str
    source: str

    def messages(self, assessment: Assessment, events: Sequence[AssessmentEvent]) -> list[OutboxMessage]:
        """One message per event; `assessment` is the state the events left it in."""
        return [self.message(assessment, *integration_event(assessment, event)) for event in events]

    def message(self, assessment: Assessment, event_type: str, payload: BaseModel) -> OutboxMessage:
        """A payload in its CloudEvents envelope, keyed by the assessment's id."""
        key = assessment.assessment_id
        envelope = INTEGRATION_EVENTS.create(payload, event_type=event_type, source=self.source, subject=key)
        return OutboxMessage(self.topic, key, envelope)


def integration_event(assessment: Assessment, event: AssessmentEvent) -> tuple[str, BaseModel]:
    """The integration event type and payload that publish one domain event."""
    facts = assessment_facts(assessment)
    match event:
        case AssessmentOpened():
            return ASSESSMENT_OPENED, DtiAssessmentOpened(**facts, opened_at=event.at)
        case ValueSubmitted():
            return SUBMISSION_RECORDED, submission_recorded(facts, event)
        case SubmissionReviewed():
            return SUBMISSION_REVIEWED, submission_reviewed(facts, assessment, event)
        case AssessmentFinalised():
            return ASSESSMENT_FINALISED, assessment_finalised(facts, event)
        case AssessmentReopened():
            return ASSESSMENT_REOPENED, assessment_reopened(facts, assessment, event)


def assessment_facts(assessment: Assessment) -> dict[str, Any]:
    """The fields every DTI integration event carries."""
    return {
        "assessment_id": assessment.assessment_id,
        "unit_code": assessment.unit_code,
        "level": assessment.level.value,
        "year": assessment.year,
        "framework_version": assessment.framework_version,
    }


def submission_recorded(facts: dict[str, Any], event: ValueSubmitted) -> DtiSubmissionRecorded:
    """A submission, without its evidence reference (free text stays in dti-scoring)."""
    return DtiSubmissionRecorded(
        **facts,
        submission_id=event.submission_id,
        indicator_code=event.indicator_code,
        value=event.value,
        submitted_by=event.submitted_by,
        submitted_at=event.at,
        has_evidence=event.evidence is not None,
        system_submitted=event.provenance is not None,
        supersedes=event.supersedes,
    )


def submission_reviewed(
    facts: dict[str, Any], assessment: Assessment, event: SubmissionReviewed
) -> DtiSubmissionReviewed:
    """A review, with the indicator and value it decided on (and without the reason's free text)."""
    submission = assessment.submission(event.submission_id)
    return DtiSubmissionReviewed(
        **facts,
        submission_id=event.submission_id,
        indicator_code=submission.indicator_code,
        value=submission.value,
        approved=event.approved,
        reviewed_by=event.reviewed_by,
        reviewed_at=event.at,
    )


def assessment_finalised(facts: dict[str, Any], event: AssessmentFinalised) -> DtiAssessmentFinalised:
    """The frozen score: total, index, and points per pillar, group and indicator."""
    score = event.score
    return DtiAssessmentFinalised(
        **facts,
        score=score.total,
        max_score=score.max_score,
        index=score.index,
        pillars=pillar_points(score),
        groups=[GroupPoints(code=g.code, points=g.points, max_points=g.max_points) for g in score.groups],
        indicators=[
            IndicatorPoints(
                code=i.code, main_index=i.main_index, value=i.value, points=i.points, max_points=i.max_points
            )
            for i in score.indicators
        ],
        finalised_by=event.finalised_by,
        finalised_at=event.at,
    )


def pillar_points(score: AssessmentScore) -> list[PillarPoints]:
    """Points per main index."""
    return [
        PillarPoints(
            code=m.code,
            group=m.group,
            points=m.points,
            max_points=m.max_points,
            normalised=m.normalised,
            scored=m.scored,
        )
        for m in score.main_indices
    ]


def assessment_reopened(
    facts: dict[str, Any], assessment: Assessment, event: AssessmentReopened
) -> DtiAssessmentReopened:
    """A reopening, with the score that stood until then (the last finalisation in the audit trail)."""
    finalisations = [entry for entry in assessment.audit_trail if entry.action == "finalised"]
    previous = finalisations[-1].total if finalisations else None
    return DtiAssessmentReopened(**facts, previous_score=previous, reopened_by=event.reopened_by, reopened_at=event.at)
