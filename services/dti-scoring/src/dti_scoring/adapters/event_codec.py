"""The codec between an assessment's domain events and the event store's JSON rows.

Stored data is JSON-safe: datetimes in ISO 8601, decimals as strings (a float would turn 569.80 into
569.8000000000000682), a ratio value as a decimal string while yes/no and counts stay JSON booleans and
integers, so the value's type survives the round trip. Event type names are stable: renaming a class must not
orphan the events already stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from backan_shared.event_store import NewEvent, RecordedEvent
from dti_scoring.adapters.score_codec import decode_score, decode_value, encode_score
from dti_scoring.domain.events import (
    AssessmentEvent,
    AssessmentFinalised,
    AssessmentOpened,
    AssessmentReopened,
    SubmissionReviewed,
    ValueSubmitted,
)
from dti_scoring.domain.framework import Level
from dti_scoring.domain.scoring import AssessmentScore

STREAM_TYPE = "dti-assessment"

EVENT_TYPES: dict[type[AssessmentEvent], str] = {
    AssessmentOpened: "assessment-opened",
    ValueSubmitted: "value-submitted",
    SubmissionReviewed: "submission-reviewed",
    AssessmentFinalised: "assessment-finalised",
    AssessmentReopened: "assessment-reopened",
}
_CLASSES = {name: cls for cls, name in EVENT_TYPES.items()}

# a field's name says how to read it back: the events use each name with one meaning
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "at": datetime.fromisoformat,
    "level": Level,
    "value": decode_value,
    "score": decode_score,
}


class AssessmentEventCodec:
    """`EventCodec[AssessmentEvent]` for `backan_shared.command_handling.handle_command`."""

    def encode(self, event: AssessmentEvent) -> NewEvent:
        """The event as a stored event of its stable type name."""
        data = {field.name: encode_field(getattr(event, field.name)) for field in fields(event)}
        return NewEvent(EVENT_TYPES[type(event)], data)

    def decode(self, recorded: RecordedEvent) -> AssessmentEvent:
        """The domain event a stored event records."""
        event_class = _CLASSES.get(recorded.type)
        if event_class is None:
            raise ValueError(f"event {recorded.event_id} has type {recorded.type!r}, unknown to dti-scoring")
        arguments = {name: _DECODERS.get(name, _as_is)(raw) for name, raw in recorded.data.items()}
        return event_class(**arguments)


def encode_field(value: object) -> object:
    """One field of an event as JSON-safe data."""
    match value:
        case datetime():
            return value.isoformat()
        case AssessmentScore():
            return encode_score(value)
        case Decimal():
            return str(value)
        case Level():
            return value.value
        case _:
            return value


def _as_is(raw: Any) -> Any:
    return raw


CODEC = AssessmentEventCodec()
