"""CloudEvents 1.0 envelopes for integration events, in Kafka binary mode.

An integration event is a `CloudEvent` whose `data` is the JSON of a registered pydantic payload model. Its
type is a versioned name (`vn.backan.campaign.phone-delivered.v1`); the `EventRegistry` maps each type to its
payload model, and upcasters turn an old version's data into the next version's, so readers only ever see
the newest shape. On Kafka the attributes travel as `ce_*` headers, the data as the record value, and the
aggregate id as the record key (the binding's partitionkey).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pydantic_core
from pydantic import BaseModel, Field

SPEC_VERSION = "1.0"
JSON = "application/json"
TYPE_PATTERN = re.compile(r"^vn\.backan\.[a-z0-9-]+(\.[a-z0-9-]+)+\.v(?P<version>[1-9][0-9]*)$")
_ATTRIBUTES = ("id", "source", "type", "specversion", "time", "subject", "dataschema")


class EnvelopeError(ValueError):
    """A message that is not a well-formed CloudEvent of a known type."""


class CloudEvent(BaseModel):
    """The CloudEvents 1.0 context attributes plus the JSON data."""

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    specversion: str = SPEC_VERSION
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    subject: str | None = None
    datacontenttype: str = JSON
    dataschema: str | None = None
    data: dict[str, Any]


def type_version(event_type: str) -> int:
    match = TYPE_PATTERN.match(event_type)
    if match is None:
        raise EnvelopeError(f"{event_type!r} is not a versioned type name like vn.backan.<domain>.<name>.v1")
    return int(match["version"])


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


class EventRegistry:
    """Which payload model each event type has, and how old versions become new ones."""

    def __init__(self) -> None:
        self._models: dict[str, type[BaseModel]] = {}
        self._upcasters: dict[str, tuple[str, Upcaster]] = {}

    def register(self, event_type: str, model: type[BaseModel]) -> None:
        type_version(event_type)
        if event_type in self._models and self._models[event_type] is not model:
            raise ValueError(f"{event_type} is already registered to {self._models[event_type].__name__}")
        self._models[event_type] = model

    def register_upcaster(self, old_type: str, new_type: str, upcast: Upcaster) -> None:
        """Teach the registry to read `old_type` as `new_type` (a chain of these reaches the newest)."""
        if type_version(new_type) <= type_version(old_type):
            raise ValueError("an upcaster must lead to a newer version")
        self._upcasters[old_type] = (new_type, upcast)

    def types(self) -> dict[str, type[BaseModel]]:
        return dict(self._models)

    def create(self, payload: BaseModel, *, event_type: str, source: str, subject: str | None = None) -> CloudEvent:
        """Wrap a payload in an envelope, checking the payload is the type's registered model."""
        model = self._models.get(event_type)
        if model is None:
            raise EnvelopeError(f"unknown event type {event_type!r}")
        if not isinstance(payload, model):
            raise EnvelopeError(f"{event_type} carries {model.__name__}, not {type(payload).__name__}")
        return CloudEvent(
            source=source,
            type=event_type,
            subject=subject,
            dataschema=f"urn:backan-dx:schema:{event_type}",
            data=payload.model_dump(mode="json"),
        )

    def upcast(self, event: CloudEvent) -> CloudEvent:
        """The same event in the newest version this registry knows of its type."""
        seen = set()
        while event.type in self._upcasters:
            if event.type in seen:
                raise EnvelopeError(f"upcasters for {event.type} loop")
            seen.add(event.type)
            new_type, upcast = self._upcasters[event.type]
            event = event.model_copy(update={"type": new_type, "data": upcast(dict(event.data))})
        return event

    def payload(self, event: CloudEvent) -> BaseModel:
        """The event's data as its (upcast) payload model."""
        event = self.upcast(event)
        model = self._models.get(event.type)
        if model is None:
            raise EnvelopeError(f"unknown event type {event.type!r}")
        return model.model_validate(event.data)


def to_kafka(event: CloudEvent) -> tuple[list[tuple[str, bytes]], bytes]:
    """Binary-mode Kafka headers and value for an event."""
    headers: list[tuple[str, bytes]] = [("content-type", event.datacontenttype.encode())]
    for name in _ATTRIBUTES:
        value = getattr(event, name)
        if value is None:
            continue
        text = value.isoformat() if isinstance(value, datetime) else str(value)
        headers.append((f"ce_{name}", text.encode()))
    value_bytes = pydantic_core.to_json(event.data)  # compact UTF-8, as json.dumps would give it, 3x faster
    return headers, value_bytes


def from_kafka(headers: list[tuple[str, bytes]] | tuple[tuple[str, bytes], ...], value: bytes | None) -> CloudEvent:
    """Read a binary-mode Kafka record back into an envelope; anything malformed is an EnvelopeError."""
    attributes: dict[str, Any] = {}
    content_type = JSON
    for name, raw in headers or ():
        if name.startswith("ce_"):
            attributes[name[3:]] = raw.decode()
        elif name == "content-type":
            content_type = raw.decode()
    missing = [a for a in ("id", "source", "type", "specversion") if a not in attributes]
    if missing:
        raise EnvelopeError(f"not a CloudEvent: missing {', '.join('ce_' + m for m in missing)}")
    if attributes["specversion"] != SPEC_VERSION:
        raise EnvelopeError(f"unsupported CloudEvents specversion {attributes['specversion']}")
    try:
        data = pydantic_core.from_json(value or b"null")
    except ValueError as error:
        raise EnvelopeError(f"data is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise EnvelopeError("data must be a JSON object")
    try:
        return CloudEvent(datacontenttype=content_type, data=data, **attributes)
    except ValueError as error:
        raise EnvelopeError(f"invalid CloudEvent attributes: {error}") from error


def header(headers: list[tuple[str, bytes]] | tuple[tuple[str, bytes], ...], name: str) -> str | None:
    """The first value of a Kafka header, decoded."""
    for key, raw in headers or ():
        if key == name:
            return raw.decode()
    return None
