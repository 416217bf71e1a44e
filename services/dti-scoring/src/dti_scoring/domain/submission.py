"""A submission (một lần nộp giá trị): one value offered for one indicator, and what its review decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from dti_scoring.domain.errors import AlreadyReviewedError, SelfReviewError, SupersededSubmissionError
from dti_scoring.domain.values import IndicatorValue


class SubmissionStatus(StrEnum):
    """Where a submission stands: waiting for review, approved, rejected, or replaced by a resubmission."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class Submission:
    """A value submitted for an indicator, with its evidence and, once reviewed, the review."""

    submission_id: str
    indicator_code: str
    value: IndicatorValue
    submitted_by: str
    submitted_at: datetime
    evidence: str | None = None
    provenance: str | None = None
    status: SubmissionStatus = SubmissionStatus.PENDING
    reviewed_by: str | None = None
    review_reason: str | None = None

    @property
    def approved(self) -> bool:
        """Whether a reviewer approved this value (đã duyệt), so that it counts in the score."""
        return self.status is SubmissionStatus.APPROVED

    def check_reviewable(self) -> None:
        """Only a pending submission can be reviewed: a decision stands, a replaced value is moot."""
        if self.status is SubmissionStatus.SUPERSEDED:
            raise SupersededSubmissionError(f"submission {self.submission_id} was replaced by a resubmission")
        if self.status is not SubmissionStatus.PENDING:
            raise AlreadyReviewedError(f"submission {self.submission_id} was {self.status} already")

    def check_reviewer(self, reviewer: str) -> None:
        """Four eyes: whoever submitted a value may not be the one to approve or reject it."""
        if reviewer == self.submitted_by:
            raise SelfReviewError(f"{reviewer} submitted {self.submission_id} and cannot review it")
