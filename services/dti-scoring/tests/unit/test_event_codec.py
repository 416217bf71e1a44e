"""The event codec: every assessment event survives the trip through JSON with its exact types and decimals."""

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from backan_shared.event_store import GlobalPosition, NewEvent, RecordedEvent
from dti_scoring.adapters.event_codec import CODEC, EVENT_TYPES, STREAM_TYPE
from dti_scoring.domain.events import (
    AssessmentEvent,
    AssessmentFinalised,
    AssessmentOpened,
    AssessmentReopened,
    SubmissionReviewed,
    ValueSubmitted,
)
from dti_scoring.domain.framework import Level
from dti_scoring.domain.framework_reader import read_framework
from dti_scoring.domain.scoring import score_assessment

AT = datetime(2024, 1, 15, 9, 0, tzinfo=UTC)
FRAMEWORK = read_framework(
    json.loads(Path(__file__).with_name("small_framework.json").read_text(encoding="utf-8"), parse_float=Decimal)
)
# one approved value for each rule kind of the fixture framework
VALUES = {"F1.YES": True, "F1.LVL": 2, "A1.RATIO": Decimal("0.45"), "A1.COUNT": 7, "A1.ROUND": Decimal("0.333")}


def recorded(new: NewEvent) -> RecordedEvent:
    """What the event store gives back: the data after a trip through PostgreSQL's jsonb."""
    data = json.loads(json.dumps(new.data))
    return RecordedEvent(uuid.uuid4(), "a-1", STREAM_TYPE, 1, new.type, data, {}, AT, GlobalPosition(1, 1))


def submitted(value: object) -> ValueSubmitted:
    return ValueSubmitted(
        assessment_id="a-1",
        submission_id="s-2",
        indicator_code="A1.RATIO",
        value=value,
        submitted_by="officer",
        at=AT,
        evidence="https://songcau.backan.gov.vn/e.pdf",
        provenance=None,
        supersedes="s-1",
    )


EVENTS: list[AssessmentEvent] = [
    AssessmentOpened(
        assessment_id="a-1",
        unit_code="01837",
        level=Level.COMMUNE,
        year=2023,
        framework_version=FRAMEWORK.version,
        opened_by="officer",
        at=AT,
    ),
    submitted(Decimal("0.62")),
    submitted(True),
    submitted(14),
    SubmissionReviewed(assessment_id="a-1", submission_id="s-2", approved=False, reason="why", reviewed_by="r", at=AT),
    AssessmentFinalised(assessment_id="a-1", score=score_assessment(VALUES, FRAMEWORK), finalised_by="r", at=AT),
    AssessmentReopened(assessment_id="a-1", reason="corrections", reopened_by="d", at=AT),
]


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: type(event).__name__)
def test_every_event_comes_back_equal_after_a_trip_through_json(event: AssessmentEvent) -> None:
    assert CODEC.decode(recorded(CODEC.encode(event))) == event


def test_a_value_keeps_its_type_so_a_yes_is_not_read_back_as_one() -> None:
    values = [CODEC.decode(recorded(CODEC.encode(submitted(v)))).value for v in (True, 1, Decimal("1"))]
    assert [type(value) for value in values] == [bool, int, Decimal]


def test_stored_data_holds_no_floats_so_decimals_stay_exact() -> None:
    finalised = CODEC.encode(EVENTS[5])
    assert finalised.data["score"]["total"] == str(score_assessment(VALUES, FRAMEWORK).total)
    json.dumps(finalised.data)  # a Decimal or a datetime left in would make this raise
    assert not any(isinstance(leaf, float) for leaf in leaves(finalised.data))


def test_each_event_class_has_its_own_stable_type_name() -> None:
    assert sorted(EVENT_TYPES.values()) == sorted(
        {"assessment-opened", "value-submitted", "submission-reviewed", "assessment-finalised", "assessment-reopened"}
    )


def test_an_unknown_stored_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown to dti-scoring"):
        CODEC.decode(recorded(NewEvent("assessment-deleted", {})))


def leaves(data: object) -> list[object]:
    if isinstance(data, dict):
        return [leaf for value in data.values() for leaf in leaves(value)]
    if isinstance(data, list):
        return [leaf for value in data for leaf in leaves(value)]
    return [data]
