"""The assessment view (`GET /v1/dti/assessments/{id}`): an assessment's state, explained per indicator.

A finalised assessment shows its frozen score. An open one shows what its approved values earn so far,
marked provisional, so officials see the effect of each review before anyone finalises.
"""

from __future__ import annotations

from datetime import datetime

from backan_shared.api.dti import (
    AssessmentPublic,
    AuditEntryPublic,
    IndicatorExplanation,
    PillarPublic,
    SubmissionPublic,
)
from dti_scoring.adapters.framework_view import rule_public
from dti_scoring.domain.assessment import Assessment, AssessmentStatus, AuditEntry
from dti_scoring.domain.framework import Framework
from dti_scoring.domain.scoring import AssessmentScore, IndicatorScore, MainIndexScore, score_assessment
from dti_scoring.domain.submission import Submission


def current_score(assessment: Assessment, framework: Framework) -> AssessmentScore:
    """The frozen score of a finalised assessment, or the provisional score of its approved values."""
    if assessment.score is not None:
        return assessment.score
    return score_assessment(assessment.approved_values(), framework)


def assessment_view(assessment: Assessment, framework: Framework, as_of: datetime) -> AssessmentPublic:
    """The whole view of an assessment, as of its latest event's time."""
    score = current_score(assessment, framework)
    return AssessmentPublic(
        assessment_id=assessment.assessment_id,
        unit_code=assessment.unit_code,
        level=assessment.level.value,
        year=assessment.year,
        framework_version=assessment.framework_version,
        status=assessment.status.value,
        provisional=assessment.status is AssessmentStatus.OPEN,
        score=score.total,
        max_score=score.max_score,
        index=score.index,
        pillars={main.code: pillar(main, framework) for main in score.main_indices},
        groups={group.code: group.points for group in score.groups},
        indicators=[explanation(indicator, assessment, framework) for indicator in score.indicators],
        submissions=[submission_public(submission) for submission in assessment.submissions.values()],
        audit_trail=[audit_entry_public(entry) for entry in assessment.audit_trail],
        version=assessment.version,
        as_of=as_of,
    )


def pillar(main: MainIndexScore, framework: Framework) -> PillarPublic:
    """A main index's points, with its names."""
    names = next(m for m in framework.main_indices if m.code == main.code)
    return PillarPublic(
        name=names.name_vi,
        name_en=names.name_en,
        group=main.group,
        points=main.points,
        max_points=main.max_points,
        normalised=main.normalised,
        scored=main.scored,
    )


def explanation(score: IndicatorScore, assessment: Assessment, framework: Framework) -> IndicatorExplanation:
    """Why an indicator has its points, and where its latest submission stands."""
    indicator = framework.indicator(score.code)
    latest_id = assessment.latest_by_indicator.get(score.code)
    latest = None if latest_id is None else assessment.submissions[latest_id]
    return IndicatorExplanation(
        code=score.code,
        name=indicator.name_vi,
        name_en=indicator.name_en,
        main_index=score.main_index,
        value=score.value,
        points=score.points,
        max_points=score.max_points,
        rule=rule_public(score.rule),
        submission_status="none" if latest is None else latest.status.value,
        submission_id=latest_id,
    )


def submission_public(submission: Submission) -> SubmissionPublic:
    """A submission with its review."""
    return SubmissionPublic(
        submission_id=submission.submission_id,
        indicator_code=submission.indicator_code,
        value=submission.value,
        status=submission.status.value,
        submitted_by=submission.submitted_by,
        submitted_at=submission.submitted_at,
        evidence_url=submission.evidence,
        provenance=submission.provenance,
        reviewed_by=submission.reviewed_by,
        review_reason=submission.review_reason,
    )


def audit_entry_public(entry: AuditEntry) -> AuditEntryPublic:
    """A finalisation or reopening in the audit trail."""
    return AuditEntryPublic(action=entry.action, by=entry.by, at=entry.at, reason=entry.reason, total=entry.total)
