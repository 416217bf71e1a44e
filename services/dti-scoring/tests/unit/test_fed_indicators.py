"""The indicators the system answers itself: shares of the counts per commune, and when the aggregate takes the
system's value as a new submission."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from dti_scoring.domain.assessment import Assessment
from dti_scoring.domain.commands import (
    SYSTEM_SUBMITTER,
    FeedIndicatorValue,
    FinaliseAssessment,
    OpenAssessment,
    ReviewSubmission,
    SubmitValue,
)
from dti_scoring.domain.events import AssessmentEvent, ValueSubmitted
from dti_scoring.domain.fed_indicators import CommuneCounts, CountsChange, fed_values, household_share
from dti_scoring.domain.framework import Framework, Level
from dti_scoring.domain.framework_reader import read_framework

RATIO = "A1.RATIO"
START = datetime(2023, 3, 2, 8, 0, tzinfo=UTC)


def small_framework() -> Framework:
    text = Path(__file__).with_name("small_framework.json").read_text(encoding="utf-8")
    return read_framework(json.loads(text, parse_float=Decimal))


class Stream:
    """An assessment's events, as the event store keeps them; each command appends what it decided."""

    def __init__(self) -> None:
        self.framework = small_framework()
        self.minutes = 0
        opening = OpenAssessment(
            assessment_id="a-1", unit_code="01837", level=Level.COMMUNE, year=2023, opened_by="officer", at=START
        )
        self.events: list[AssessmentEvent] = Assessment.open(opening, self.framework)

    def now(self) -> datetime:
        self.minutes += 1
        return START + timedelta(minutes=self.minutes)

    def feed(self, value: str, provenance: str = "2 of 4 households", code: str = RATIO) -> list[AssessmentEvent]:
        command = FeedIndicatorValue(
            assessment_id="a-1",
            submission_id=f"s-{len(self.events)}",
            indicator_code=code,
            value=Decimal(value),
            provenance=provenance,
            at=self.now(),
        )
        return self.record(Assessment.replay(self.events).feed_value(command, self.framework))

    def submit(self, value: str, by: str = "officer") -> list[AssessmentEvent]:
        command = SubmitValue(
            assessment_id="a-1",
            submission_id=f"s-{len(self.events)}",
            indicator_code=RATIO,
            value=Decimal(value),
            submitted_by=by,
            at=self.now(),
        )
        return self.record(Assessment.replay(self.events).submit_value(command, self.framework))

    def review(self, submission_id: str, approved: bool) -> None:
        command = ReviewSubmission(
            assessment_id="a-1",
            submission_id=submission_id,
            approved=approved,
            reviewed_by="reviewer",
            at=self.now(),
            reason="" if approved else "the registry is not complete yet",
        )
        self.record(Assessment.replay(self.events).review_submission(command))

    def finalise(self) -> None:
        command = FinaliseAssessment(assessment_id="a-1", finalised_by="reviewer", at=self.now())
        self.record(Assessment.replay(self.events).finalise(command, self.framework))

    def record(self, events: list[AssessmentEvent]) -> list[AssessmentEvent]:
        self.events += events
        return events


def counts(households: int, smartphones: int, digitised: int) -> CommuneCounts:
    return CommuneCounts("01837", households, smartphones, digitised)


def test_a_share_is_the_part_over_the_households_to_four_decimals() -> None:
    assert household_share(37, 120) == Decimal("0.3083")
    assert household_share(1, 8) == Decimal("0.1250")
    assert household_share(120, 120) == Decimal("1")


def test_a_commune_without_registered_households_has_no_share_to_submit() -> None:
    assert household_share(0, 0) is None
    assert fed_values(counts(0, 0, 0)) == []


def test_the_counts_answer_both_indicators_with_their_provenance() -> None:
    smartphones, digitised = fed_values(counts(120, 37, 96))
    assert (smartphones.indicator_code, smartphones.value) == ("DS.01", Decimal("0.3083"))
    assert smartphones.provenance.startswith("campaign-ledger deliveries: 37 of 120 households")
    assert (digitised.indicator_code, digitised.value) == ("DG.04", Decimal("0.8000"))
    assert digitised.provenance.startswith("household-registry records: 96 of 120 households")


def test_only_the_shares_an_event_changed_are_submitted_again() -> None:
    assert [v.indicator_code for v in CountsChange(None, counts(1, 0, 0)).changed_values()] == ["DS.01", "DG.04"]
    assert [v.indicator_code for v in CountsChange(counts(4, 1, 2), counts(4, 2, 2)).changed_values()] == ["DS.01"]
    assert CountsChange(counts(2, 1, 1), counts(4, 2, 2)).changed_values() == []  # same shares, more households


def test_the_system_s_value_is_a_pending_submission_by_the_system_with_its_provenance() -> None:
    stream = Stream()
    (submitted,) = stream.feed("0.5", "campaign-ledger deliveries: 2 of 4 households")
    assert isinstance(submitted, ValueSubmitted)
    assert (submitted.submitted_by, submitted.value) == (SYSTEM_SUBMITTER, Decimal("0.5"))
    assert submitted.provenance == "campaign-ledger deliveries: 2 of 4 households"
    assert Assessment.replay(stream.events).approved_values() == {}


def test_feeding_the_same_value_again_changes_nothing_and_a_new_value_supersedes_the_old() -> None:
    stream = Stream()
    (first,) = stream.feed("0.5")
    assert stream.feed("0.50") == []  # a redelivered event, or a retry after a crash
    (second,) = stream.feed("0.75")
    assert isinstance(first, ValueSubmitted) and isinstance(second, ValueSubmitted)
    assert second.supersedes == first.submission_id


def test_the_system_does_not_repeat_a_value_an_official_replaced_or_a_reviewer_rejected() -> None:
    stream = Stream()
    (fed,) = stream.feed("0.5")
    assert isinstance(fed, ValueSubmitted)
    stream.review(fed.submission_id, approved=False)
    assert stream.feed("0.5") == []
    stream.submit("0.6")
    assert stream.feed("0.5") == []
    assert len(stream.feed("0.55")) == 1  # until its own value changes


def test_a_finalised_assessment_is_not_fed() -> None:
    stream = Stream()
    stream.finalise()
    assert stream.feed("0.5") == []


def test_a_framework_version_without_the_indicator_is_not_fed() -> None:
    assert Stream().feed("0.5", code="DS.01") == []
