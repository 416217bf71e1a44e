"""The consumer's spans, after the OpenTelemetry messaging conventions.

The aiokafka instrumentation's receive span ends before the handler runs, so the runner opens a
`process <topic>` span itself: for a single record, in the trace the record was published in (the producer's
context from its headers); for several applied together, one span linked to each of their producers' spans (a
span has one parent; the conventions link the rest). A record parked on the dead-letter topic is published in
its original producer's context too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from aiokafka import ConsumerRecord
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, Span, SpanKind, Status, StatusCode

TRACE_HEADERS = ("traceparent", "tracestate")

_tracer = trace.get_tracer(__name__)
_PER_RECORD = ("messaging.destination.partition.id", "messaging.kafka.offset", "messaging.kafka.message.key")


def producer_context(record: ConsumerRecord[Any, Any]) -> Context:
    """The trace context the record was published in, read as the aiokafka instrumentation reads it: the first
    value of each header counts (a dict built from all of them would let a later duplicate win), and a header
    without a value is ignored rather than failing the record."""
    carrier: dict[str, str] = {}
    for key, value in record.headers or ():
        if key in TRACE_HEADERS and value is not None:
            carrier.setdefault(key, value.decode(errors="replace"))
    return propagate.extract(carrier)


@contextlib.contextmanager
def processing(records: Sequence[ConsumerRecord[Any, Any]], group_id: str) -> Iterator[None]:
    """The `process <topic>` span of records applied together, marked failed if applying them fails."""
    with _process_span(records, group_id) as span:
        try:
            yield
        except Exception as failure:
            span.record_exception(failure)
            span.set_status(Status(StatusCode.ERROR, str(failure)))
            raise


def _process_span(records: Sequence[ConsumerRecord[Any, Any]], group_id: str) -> AbstractContextManager[Span]:
    first = records[0]
    attributes = _attributes(first, group_id)
    if len(records) == 1:
        return _tracer.start_as_current_span(
            f"process {first.topic}", context=producer_context(first), kind=SpanKind.CONSUMER, attributes=attributes
        )
    for per_record in _PER_RECORD:
        attributes.pop(per_record, None)
    attributes["messaging.batch.message_count"] = len(records)
    contexts = [trace.get_current_span(producer_context(record)).get_span_context() for record in records]
    return _tracer.start_as_current_span(
        f"process {first.topic}",
        kind=SpanKind.CONSUMER,
        attributes=attributes,
        links=[Link(context) for context in contexts if context.is_valid],
    )


@contextlib.contextmanager
def publishing_dead_letter(record: ConsumerRecord[Any, Any], dlq_topic: str) -> Iterator[None]:
    """The `publish <topic>.dlq` span of a parked record, in the trace the record was published in."""
    with _tracer.start_as_current_span(
        f"publish {dlq_topic}",
        context=producer_context(record),
        kind=SpanKind.PRODUCER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation.type": "publish",
            "messaging.destination.name": dlq_topic,
        },
    ):
        yield


def _attributes(record: ConsumerRecord[Any, Any], group_id: str) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.destination.name": record.topic,
        "messaging.consumer.group.name": group_id,
        "messaging.destination.partition.id": str(record.partition),
        "messaging.kafka.offset": record.offset,
    }
    if record.key is not None:
        attributes["messaging.kafka.message.key"] = record.key.decode(errors="replace")
    return attributes
