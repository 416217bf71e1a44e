"""Events of an assessment: what happened, in the past tense. Private to dti-scoring (integration events,
the contracts other services read, are made from them in a later layer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dti_scoring.domain.framework import Level
from dti_scoring.domain.scoring import AssessmentScore
from dti_scoring.domain.values import IndicatorValue


@dataclass(frozen=True, kw_only=True)
class AssessmentOpened:
    """A unit's assessment for a year was opened on a framework version."""

    assessment_id: str
    unit_code: str
    level: Level
    year: int
    framework_version: str
    opened_by: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class ValueSubmitted:
    """A value was submitted for an indicator; `supersedes` names the earlier submission it replaces."""

    assessment_id: str
    submission_id: str
    indicator_code: str
    value: IndicatorValue
    submitted_by: str
    at: datetime
    evidence: str | None = None
    provenance: str | None = None
    supersedes: str | None = None


@dataclass(frozen=True, kw_only=True)
class SubmissionReviewed:
    """A reviewer approved or rejected a submission."""

    assessment_id: str
    submission_id: str
    approved: bool
    reason: str
    reviewed_by: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class AssessmentFinalised:
    """The assessment was finalised with this score, frozen from then on."""

    assessment_id: str
    score: AssessmentScore
    finalised_by: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class AssessmentReopened:
    """A finalised assessment was reopened, for a reason."""

    assessment_id: str
    reason: str
    reopened_by: str
    at: datetime


AssessmentEvent = AssessmentOpened | ValueSubmitted | SubmissionReviewed | AssessmentFinalised | AssessmentReopened
