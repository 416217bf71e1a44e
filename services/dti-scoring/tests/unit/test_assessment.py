import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from dti_scoring.domain.assessment import Assessment, AssessmentStatus, AuditEntry
from dti_scoring.domain.commands import (
    FinaliseAssessment,
    OpenAssessment,
    ReopenAssessment,
    ReviewSubmission,
    SubmitValue,
)
from dti_scoring.domain.errors import (
    AlreadyFinalisedError,
    AlreadyReviewedError,
    AssessmentFinalisedError,
    AssessmentHistoryError,
    DtiScoringError,
    DuplicateSubmissionError,
    FrameworkMismatchError,
    MissingReasonError,
    NotFinalisedError,
    SelfReviewError,
    SupersededSubmissionError,
    UnknownIndicatorError,
    UnknownLevelError,
    UnknownSubmissionError,
    ValueOutOfRangeError,
    WrongValueTypeError,
)
from dti_scoring.domain.events import AssessmentEvent, AssessmentFinalised, ValueSubmitted
from dti_scoring.domain.framework import Framework, Level
from dti_scoring.domain.framework_reader import read_framework
from dti_scoring.domain.scoring import score_assessment
from dti_scoring.domain.submission import SubmissionStatus
from dti_scoring.frameworks import current

OFFICER = "officer@song-cau"
REVIEWER = "reviewer@so-tttt"
DIRECTOR = "director@so-tttt"
START = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)


def small_framework() -> Framework:
    text = Path(__file__).with_name("small_framework.json").read_text(encoding="utf-8")
    return read_framework(json.loads(text, parse_float=Decimal))


@dataclass
class Stream:
    """An assessment's stream of events, as the event store would keep it; each command appends its events."""

    framework: Framework = field(default_factory=small_framework)
    events: list[AssessmentEvent] = field(default_factory=list)
    clock: datetime = START

    def __post_init__(self) -> None:
        command = OpenAssessment(
            assessment_id="a-1", unit_code="01837", level=Level.COMMUNE, year=2023, opened_by=OFFICER, at=self.now()
        )
        self.events += Assessment.open(command, self.framework)

    @property
    def assessment(self) -> Assessment:
        return Assessment.replay(self.events)

    def now(self) -> datetime:
        self.clock += timedelta(minutes=1)
        return self.clock

    def submit(self, submission_id: str, code: str, value: object, by: str = OFFICER) -> list[AssessmentEvent]:
        command = SubmitValue(
            assessment_id="a-1",
            submission_id=submission_id,
            indicator_code=code,
            value=value,
            submitted_by=by,
            at=self.now(),
            evidence=f"https://songcau.backan.gov.vn/evidence/{submission_id}.pdf",
        )
        return self._record(self.assessment.submit_value(command, self.framework))

    def review(self, submission_id: str, approved: bool, by: str = REVIEWER, reason: str = "") -> None:
        command = ReviewSubmission(
            assessment_id="a-1",
            submission_id=submission_id,
            approved=approved,
            reviewed_by=by,
            at=self.now(),
            reason=reason,
        )
        self._record(self.assessment.review_submission(command))

    def finalise(self, by: str = REVIEWER) -> list[AssessmentEvent]:
        command = FinaliseAssessment(assessment_id="a-1", finalised_by=by, at=self.now())
        return self._record(self.assessment.finalise(command, self.framework))

    def reopen(self, reason: str, by: str = DIRECTOR) -> None:
        self._record(
            self.assessment.reopen(ReopenAssessment(assessment_id="a-1", reason=reason, reopened_by=by, at=self.now()))
        )

    def _record(self, events: list[AssessmentEvent]) -> list[AssessmentEvent]:
        self.events += events
        return events


def frozen_score(events: list[AssessmentEvent]) -> Decimal:
    (finalised,) = events
    assert isinstance(finalised, AssessmentFinalised)
    return finalised.score.total


def test_a_rejected_value_does_not_count_and_its_approved_resubmission_does() -> None:
    stream = Stream()
    stream.submit("s-1", "A1.COUNT", 12)
    stream.review("s-1", approved=False, reason="the evidence lists only 4 cooperatives")
    assert stream.assessment.approved_values() == {}
    stream.submit("s-2", "A1.COUNT", 4)
    stream.review("s-2", approved=True)
    assert stream.assessment.approved_values() == {"A1.COUNT": 4}
    assert frozen_score(stream.finalise()) == 5


def test_a_resubmission_supersedes_the_earlier_submission_even_an_approved_one() -> None:
    stream = Stream()
    stream.submit("s-1", "F1.YES", True)
    stream.review("s-1", approved=True)
    (resubmitted,) = stream.submit("s-2", "F1.YES", False)
    assert isinstance(resubmitted, ValueSubmitted) and resubmitted.supersedes == "s-1"
    assert stream.assessment.submission("s-1").status is SubmissionStatus.SUPERSEDED
    assert stream.assessment.approved_values() == {}
    with pytest.raises(SupersededSubmissionError):
        stream.review("s-1", approved=True)


def test_finalising_twice_is_refused() -> None:
    stream = Stream()
    stream.finalise()
    with pytest.raises(AlreadyFinalisedError):
        stream.finalise()


def test_submitting_or_reviewing_after_finalising_is_refused() -> None:
    stream = Stream()
    stream.submit("s-1", "F1.YES", True)
    stream.finalise()
    with pytest.raises(AssessmentFinalisedError):
        stream.submit("s-2", "F1.LVL", 2)
    with pytest.raises(AssessmentFinalisedError):
        stream.review("s-1", approved=True)


def test_finalising_freezes_the_score_of_the_approved_values_in_the_event() -> None:
    stream = Stream()
    stream.submit("s-1", "F1.LVL", 3)
    stream.submit("s-2", "A1.RATIO", 0.4)
    stream.review("s-1", approved=True)
    stream.review("s-2", approved=True)
    stream.submit("s-3", "F1.YES", True)  # still pending when finalised: scores nothing
    (finalised,) = stream.finalise()
    assert isinstance(finalised, AssessmentFinalised)
    assert finalised.score == score_assessment({"F1.LVL": 3, "A1.RATIO": Decimal("0.4")}, stream.framework)
    assert (finalised.score.total, stream.assessment.score) == (Decimal(40), finalised.score)
    assert stream.assessment.status is AssessmentStatus.FINALISED


def test_reopening_brings_the_assessment_back_with_an_audit_trail() -> None:
    stream = Stream()
    stream.submit("s-1", "F1.YES", True)
    stream.review("s-1", approved=True)
    stream.finalise()
    stream.reopen("Decision 488 asks for the commune's website evidence")
    assessment = stream.assessment
    assert (assessment.status, assessment.score) == (AssessmentStatus.OPEN, None)
    finalised, reopened = assessment.audit_trail
    assert (finalised.action, finalised.by, finalised.total) == ("finalised", REVIEWER, 10)
    assert reopened == AuditEntry(
        "reopened", DIRECTOR, stream.clock, reason="Decision 488 asks for the commune's website evidence"
    )
    stream.submit("s-2", "F1.LVL", 1)
    stream.review("s-2", approved=True)
    assert frozen_score(stream.finalise()) == Decimal("17.50")
    assert [entry.action for entry in stream.assessment.audit_trail] == ["finalised", "reopened", "finalised"]


def test_reopening_needs_a_reason_and_a_finalised_assessment() -> None:
    stream = Stream()
    with pytest.raises(NotFinalisedError):
        stream.reopen("to correct a value")
    stream.finalise()
    with pytest.raises(MissingReasonError):
        stream.reopen("   ")


def test_the_reviewer_cannot_be_the_submitter() -> None:
    stream = Stream()
    stream.submit("s-1", "F1.YES", True, by=REVIEWER)
    with pytest.raises(SelfReviewError):
        stream.review("s-1", approved=True, by=REVIEWER)


def test_a_rejection_must_say_why() -> None:
    stream = Stream()
    stream.submit("s-1", "F1.YES", True)
    with pytest.raises(MissingReasonError):
        stream.review("s-1", approved=False, reason="")


def test_reviewing_an_unknown_or_already_reviewed_submission_is_refused() -> None:
    stream = Stream()
    with pytest.raises(UnknownSubmissionError):
        stream.review("s-404", approved=True)
    stream.submit("s-1", "F1.YES", True)
    stream.review("s-1", approved=False, reason="no evidence")
    with pytest.raises(AlreadyReviewedError):
        stream.review("s-1", approved=True)


@pytest.mark.parametrize(
    ("code", "value", "error"),
    [
        ("A1.RATIO", Decimal("1.2"), ValueOutOfRangeError),
        ("A1.RATIO", "80%", WrongValueTypeError),
        ("A1.COUNT", -3, ValueOutOfRangeError),
        ("A1.COUNT", 2.5, WrongValueTypeError),
        ("F1.YES", "yes", WrongValueTypeError),
        ("F1.LVL", 7, UnknownLevelError),
        ("X9.99", True, UnknownIndicatorError),
    ],
)
def test_a_bad_value_or_an_unknown_indicator_is_refused_and_changes_nothing(
    code: str, value: object, error: type[DtiScoringError]
) -> None:
    stream = Stream()
    with pytest.raises(error):
        stream.submit("s-1", code, value)
    assert len(stream.events) == 1


def test_a_submission_id_names_one_submission() -> None:
    stream = Stream()
    stream.submit("s-1", "F1.YES", True)
    with pytest.raises(DuplicateSubmissionError):
        stream.submit("s-1", "F1.LVL", 1)


def test_an_assessment_is_scored_on_the_framework_it_was_opened_on() -> None:
    stream = Stream()
    with pytest.raises(FrameworkMismatchError):
        stream.assessment.finalise(
            FinaliseAssessment(assessment_id="a-1", finalised_by=REVIEWER, at=START), current(Level.COMMUNE, 2023)
        )


@pytest.mark.parametrize(("level", "year"), [(Level.DISTRICT, 2023), (Level.COMMUNE, 2019)])
def test_an_assessment_opens_only_on_a_framework_for_its_level_and_year(level: Level, year: int) -> None:
    command = OpenAssessment(
        assessment_id="a-2", unit_code="01837", level=level, year=year, opened_by=OFFICER, at=START
    )
    with pytest.raises(FrameworkMismatchError):
        Assessment.open(command, small_framework())


def test_the_version_counts_the_events_and_replay_needs_the_opening_first() -> None:
    stream = Stream()
    stream.submit("s-1", "F1.YES", True)
    stream.review("s-1", approved=True)
    assert stream.assessment.version == len(stream.events) == 3
    with pytest.raises(AssessmentHistoryError):
        Assessment.replay(stream.events[1:])
    with pytest.raises(AssessmentHistoryError):
        Assessment.replay(stream.events + stream.events[:1])
