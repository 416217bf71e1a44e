"""The `Assessment` aggregate: one unit's DTI assessment for one year (đánh giá chỉ số chuyển đổi số).

Event-sourced: its state is the replay of its events. Each command method checks the invariants against that
state and returns the new events without changing anything; whoever appends them to the stream applies them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import assert_never

from dti_scoring.domain.commands import (
    SYSTEM_SUBMITTER,
    FeedIndicatorValue,
    FinaliseAssessment,
    OpenAssessment,
    ReopenAssessment,
    ReviewSubmission,
    SubmitValue,
)
from dti_scoring.domain.errors import (
    AlreadyFinalisedError,
    AssessmentFinalisedError,
    AssessmentHistoryError,
    DuplicateSubmissionError,
    FrameworkMismatchError,
    MissingReasonError,
    NotFinalisedError,
    UnknownSubmissionError,
)
from dti_scoring.domain.events import (
    AssessmentEvent,
    AssessmentFinalised,
    AssessmentOpened,
    AssessmentReopened,
    SubmissionReviewed,
    ValueSubmitted,
)
from dti_scoring.domain.framework import Framework, Level
from dti_scoring.domain.scoring import AssessmentScore, score_assessment
from dti_scoring.domain.submission import Submission, SubmissionStatus
from dti_scoring.domain.values import IndicatorValue


class AssessmentStatus(StrEnum):
    """Open for submissions and reviews, or finalised with a frozen score."""

    OPEN = "open"
    FINALISED = "finalised"


@dataclass(frozen=True)
class AuditEntry:
    """Who finalised or reopened the assessment, when, why, and the total that was frozen."""

    action: str
    by: str
    at: datetime
    reason: str | None = None
    total: Decimal | None = None


@dataclass
class Assessment:
    """A unit's assessment for a year on one framework version; `version` counts the events applied."""

    assessment_id: str
    unit_code: str
    level: Level
    year: int
    framework_version: str
    status: AssessmentStatus = AssessmentStatus.OPEN
    version: int = 1
    submissions: dict[str, Submission] = field(default_factory=dict)
    latest_by_indicator: dict[str, str] = field(default_factory=dict)
    score: AssessmentScore | None = None
    audit_trail: list[AuditEntry] = field(default_factory=list)

    @staticmethod
    def open(command: OpenAssessment, framework: Framework) -> list[AssessmentEvent]:
        """Open an assessment on `framework`, which must be for the unit's level and in force that year."""
        check_framework_fits(framework, command.level, command.year)
        opened = AssessmentOpened(
            assessment_id=command.assessment_id,
            unit_code=command.unit_code,
            level=command.level,
            year=command.year,
            framework_version=framework.version,
            opened_by=command.opened_by,
            at=command.at,
        )
        return [opened]

    @classmethod
    def replay(cls, events: Iterable[AssessmentEvent]) -> Assessment:
        """The assessment as its events left it; the first event must be its opening."""
        history = iter(events)
        opened = next(history, None)
        if not isinstance(opened, AssessmentOpened):
            raise AssessmentHistoryError(f"an assessment's history starts with its opening, not {opened!r}")
        assessment = cls(opened.assessment_id, opened.unit_code, opened.level, opened.year, opened.framework_version)
        for event in history:
            assessment.apply(event)
        return assessment

    def submit_value(self, command: SubmitValue, framework: Framework) -> list[AssessmentEvent]:
        """Submit a checked value; a resubmission supersedes the indicator's earlier submission."""
        self.check_open()
        self.check_framework(framework)
        self.check_new_submission(command.submission_id)
        value = framework.indicator(command.indicator_code).check_value(command.value)
        submitted = ValueSubmitted(
            assessment_id=self.assessment_id,
            submission_id=command.submission_id,
            indicator_code=command.indicator_code,
            value=value,
            submitted_by=command.submitted_by,
            at=command.at,
            evidence=command.evidence,
            provenance=command.provenance,
            supersedes=self.latest_by_indicator.get(command.indicator_code),
        )
        return [submitted]

    def feed_value(self, command: FeedIndicatorValue, framework: Framework) -> list[AssessmentEvent]:
        """Submit a value the system computed, unless the assessment is finalised or it holds that value already.

        Feeds are retried and redelivered, so repeating the system's last value for the indicator changes
        nothing; the system does not fight an official who submitted another value after it, nor a rejection,
        until its own value changes. A finalised score stays frozen: the system feeds it again once reopened.
        A framework version without the indicator is not fed: a missing measure is no reason to refuse the event.
        """
        if self.status is AssessmentStatus.FINALISED or not framework.has_indicator(command.indicator_code):
            return []
        value = framework.indicator(command.indicator_code).check_value(command.value)
        last = self.last_submission_by(SYSTEM_SUBMITTER, command.indicator_code)
        if last is not None and last.value == value:
            return []
        return self.submit_value(command.as_submission(), framework)

    def review_submission(self, command: ReviewSubmission) -> list[AssessmentEvent]:
        """Approve or reject a pending submission; a rejection needs a reason, and no one reviews their own."""
        self.check_open()
        submission = self.submission(command.submission_id)
        submission.check_reviewable()
        submission.check_reviewer(command.reviewed_by)
        reason = check_reason(command.reason, required=not command.approved, action="a rejection")
        reviewed = SubmissionReviewed(
            assessment_id=self.assessment_id,
            submission_id=command.submission_id,
            approved=command.approved,
            reason=reason,
            reviewed_by=command.reviewed_by,
            at=command.at,
        )
        return [reviewed]

    def finalise(self, command: FinaliseAssessment, framework: Framework) -> list[AssessmentEvent]:
        """Score the approved values and freeze the score in the event."""
        if self.status is AssessmentStatus.FINALISED:
            raise AlreadyFinalisedError(f"assessment {self.assessment_id} is finalised already")
        self.check_framework(framework)
        score = score_assessment(self.approved_values(), framework)
        finalised = AssessmentFinalised(
            assessment_id=self.assessment_id, score=score, finalised_by=command.finalised_by, at=command.at
        )
        return [finalised]

    def reopen(self, command: ReopenAssessment) -> list[AssessmentEvent]:
        """Reopen a finalised assessment for corrections; the reason goes into the audit trail."""
        if self.status is not AssessmentStatus.FINALISED:
            raise NotFinalisedError(f"assessment {self.assessment_id} is open, there is nothing to reopen")
        reason = check_reason(command.reason, required=True, action="a reopening")
        reopened = AssessmentReopened(
            assessment_id=self.assessment_id, reason=reason, reopened_by=command.reopened_by, at=command.at
        )
        return [reopened]

    def approved_values(self) -> dict[str, IndicatorValue]:
        """Each indicator's approved value: only its latest submission counts, and only once approved."""
        latest = (self.submissions[submission_id] for submission_id in self.latest_by_indicator.values())
        return {submission.indicator_code: submission.value for submission in latest if submission.approved}

    def last_submission_by(self, submitter: str, indicator_code: str) -> Submission | None:
        """The latest submission `submitter` made for the indicator, whatever became of it."""
        made = [
            s for s in self.submissions.values() if s.submitted_by == submitter and s.indicator_code == indicator_code
        ]
        return made[-1] if made else None

    def submission(self, submission_id: str) -> Submission:
        """The submission with this id, or `UnknownSubmissionError`."""
        if submission_id not in self.submissions:
            raise UnknownSubmissionError(f"assessment {self.assessment_id} has no submission {submission_id!r}")
        return self.submissions[submission_id]

    def check_open(self) -> None:
        """Values and reviews are frozen once the assessment is finalised."""
        if self.status is AssessmentStatus.FINALISED:
            raise AssessmentFinalisedError(f"assessment {self.assessment_id} is finalised; reopen it first")

    def check_framework(self, framework: Framework) -> None:
        """The assessment is scored on the framework version it was opened on, whatever came later."""
        if framework.version != self.framework_version:
            raise FrameworkMismatchError(
                f"assessment {self.assessment_id} uses framework {self.framework_version}, not {framework.version}"
            )

    def check_new_submission(self, submission_id: str) -> None:
        """A submission id names one submission for good."""
        if submission_id in self.submissions:
            raise DuplicateSubmissionError(f"assessment {self.assessment_id} has a submission {submission_id!r}")

    def apply(self, event: AssessmentEvent) -> None:
        """Change the state as the event says; events are facts, so nothing is checked here."""
        match event:
            case ValueSubmitted():
                self._on_value_submitted(event)
            case SubmissionReviewed():
                self._on_submission_reviewed(event)
            case AssessmentFinalised():
                self._on_finalised(event)
            case AssessmentReopened():
                self._on_reopened(event)
            case AssessmentOpened():
                raise AssessmentHistoryError(f"assessment {self.assessment_id} cannot be opened twice")
            case _:
                assert_never(event)
        self.version += 1

    def _on_value_submitted(self, event: ValueSubmitted) -> None:
        if event.supersedes is not None:
            earlier = self.submissions[event.supersedes]
            self.submissions[event.supersedes] = replace(earlier, status=SubmissionStatus.SUPERSEDED)
        self.submissions[event.submission_id] = Submission(
            event.submission_id,
            event.indicator_code,
            event.value,
            event.submitted_by,
            event.at,
            event.evidence,
            event.provenance,
        )
        self.latest_by_indicator[event.indicator_code] = event.submission_id

    def _on_submission_reviewed(self, event: SubmissionReviewed) -> None:
        status = SubmissionStatus.APPROVED if event.approved else SubmissionStatus.REJECTED
        reviewed = replace(
            self.submissions[event.submission_id],
            status=status,
            reviewed_by=event.reviewed_by,
            review_reason=event.reason,
        )
        self.submissions[event.submission_id] = reviewed

    def _on_finalised(self, event: AssessmentFinalised) -> None:
        self.status = AssessmentStatus.FINALISED
        self.score = event.score
        self.audit_trail.append(AuditEntry("finalised", event.finalised_by, event.at, total=event.score.total))

    def _on_reopened(self, event: AssessmentReopened) -> None:
        # the frozen score stays in the audit trail; the assessment has no score until finalised again
        self.status = AssessmentStatus.OPEN
        self.score = None
        self.audit_trail.append(AuditEntry("reopened", event.reopened_by, event.at, reason=event.reason))


def check_framework_fits(framework: Framework, level: Level, year: int) -> None:
    """A framework serves one level and the years it is in force."""
    if framework.level != level or not framework.in_force(year):
        raise FrameworkMismatchError(f"framework {framework.version} is not for {level} assessments of {year}")


def check_reason(reason: str, *, required: bool, action: str) -> str:
    """The reason without surrounding blanks; `MissingReasonError` if one is required and none is given."""
    if required and not reason.strip():
        raise MissingReasonError(f"{action} must say why")
    return reason.strip()
