"""Commands to an assessment: what an official asks for, in the imperative.

Ids and times come with the command, so the domain stays a pure function of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from dti_scoring.domain.framework import Level


@dataclass(frozen=True, kw_only=True)
class OpenAssessment:
    """Open a unit's assessment for a year, on the framework in force for its level and that year."""

    assessment_id: str
    unit_code: str
    level: Level
    year: int
    opened_by: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class SubmitValue:
    """Submit (or resubmit) an indicator's value with its evidence (a document reference or URL).

    `provenance` says where a value the system submits itself came from (which events, up to when).
    """

    assessment_id: str
    submission_id: str
    indicator_code: str
    value: object
    submitted_by: str
    at: datetime
    evidence: str | None = None
    provenance: str | None = None


SYSTEM_SUBMITTER: Final = "system"
"""Who submits the values dti-scoring computes itself from other services' events."""


@dataclass(frozen=True, kw_only=True)
class FeedIndicatorValue:
    """Submit a value the system computed from the events it consumed, saying where it came from.

    It is a submission like any other, made by `SYSTEM_SUBMITTER` and reviewed by a person; unlike
    `SubmitValue`, repeating the system's last value for the indicator is a no-op rather than a resubmission.
    """

    assessment_id: str
    submission_id: str
    indicator_code: str
    value: object
    provenance: str
    at: datetime

    def as_submission(self) -> SubmitValue:
        """The plain submission this feed makes."""
        return SubmitValue(
            assessment_id=self.assessment_id,
            submission_id=self.submission_id,
            indicator_code=self.indicator_code,
            value=self.value,
            submitted_by=SYSTEM_SUBMITTER,
            at=self.at,
            provenance=self.provenance,
        )


@dataclass(frozen=True, kw_only=True)
class ReviewSubmission:
    """Approve or reject a submission; a rejection says why."""

    assessment_id: str
    submission_id: str
    approved: bool
    reviewed_by: str
    at: datetime
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class FinaliseAssessment:
    """Compute the score from the approved values and freeze it."""

    assessment_id: str
    finalised_by: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class ReopenAssessment:
    """Reopen a finalised assessment, saying why (the reason is kept in its audit trail)."""

    assessment_id: str
    reason: str
    reopened_by: str
    at: datetime
