"""One trace from an HTTP request, through the outbox and Kafka, to the consumer's handler (DESIGN.md §3, §9)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator, Sequence
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import APIRouter, Request
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from backan_shared.consumer import ConsumerRunner, Subscription
from backan_shared.envelope import CloudEvent
from backan_shared.event_store import NewEvent
from backan_shared.outbox import OutboxMessage
from backan_shared.service_app import Runtime, ServiceDefinition, create_service_app
from backan_shared.settings import ServiceSettings
from backan_shared.telemetry import add_span_processor, setup_telemetry, tracer
from backan_shared.topics import TopicSpec

pytestmark = pytest.mark.infra

TYPE = "vn.backan.test.thing-recorded.v1"


def recording_router(topic: str) -> APIRouter:
    """A test-only command: append a domain event and its integration event, as a service's route would."""
    router = APIRouter()

    @router.post("/things/{thing_id}", status_code=201)
    async def record_thing(thing_id: str, request: Request) -> dict[str, str]:
        runtime: Runtime = request.app.state.runtime
        event = CloudEvent(source="urn:trace-test", type=TYPE, subject=thing_id, data={"thing": thing_id})
        await runtime.event_store.append(
            thing_id,
            "thing",
            0,
            [NewEvent("thing-recorded", {"thing": thing_id})],
            outbox=[OutboxMessage(topic, thing_id, event)],
        )
        return {"event_id": event.id}

    return router


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    """Finished spans of this process, from here on (the tracer provider is one per process, so is shared)."""
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.shutdown()  # later tests' spans are dropped rather than collected for nobody


def spans(exporter: InMemorySpanExporter, name: str, trace_id: int) -> list[ReadableSpan]:
    return [
        s
        for s in exporter.get_finished_spans()
        if s.name == name and s.context is not None and s.context.trace_id == trace_id
    ]


async def test_a_trace_id_set_on_a_request_reappears_on_the_consumers_span_on_the_other_side_of_kafka(
    database_url: str,
    kafka_bootstrap: str,
    new_topic: Any,
    eventually: Any,
    group_id: Any,
    exporter: InMemorySpanExporter,
) -> None:
    topic = await new_topic()
    group = group_id("tracing")
    handled: list[CloudEvent] = []

    async def handle(conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        handled.extend(events)

    definition = ServiceDefinition(
        title="trace test",
        description="a service with one command and one consumer, to follow a trace across Kafka",
        topics=[TopicSpec(topic)],
        routers=[recording_router(topic)],
        subscriptions=lambda _runtime: [Subscription(group, (topic,), handle)],
    )
    settings = ServiceSettings(
        service_name="trace-test", database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap
    )
    app = create_service_app(definition, settings)  # sets up telemetry (once per process)
    add_span_processor(SimpleSpanProcessor(exporter))
    trace_id = secrets.randbits(128) or 1
    traceparent = f"00-{trace_id:032x}-{secrets.randbits(64) or 1:016x}-01"

    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://trace-test") as client:
            response = await client.post("/things/thing-1", headers={"traceparent": traceparent})
        assert response.status_code == 201, response.text
        await eventually(lambda: spans(exporter, f"process {topic}", trace_id), within=20.0)

    [event] = handled
    assert event.id == response.json()["event_id"]
    [process] = spans(exporter, f"process {topic}", trace_id)
    attributes = dict(process.attributes or {})
    assert attributes["messaging.system"] == "kafka"
    assert attributes["messaging.destination.name"] == topic
    assert attributes["messaging.consumer.group.name"] == group
    assert attributes["messaging.operation.type"] == "process"
    assert attributes["messaging.kafka.offset"] == 0
    assert attributes["messaging.kafka.message.key"] == "thing-1"
    [publish] = spans(exporter, f"publish {topic}", trace_id)
    assert dict(publish.attributes or {})["messaging.destination.name"] == topic
    assert process.parent is not None and process.parent.trace_id == trace_id


async def test_a_dead_lettered_event_keeps_one_traceparent_and_stays_in_the_trace_it_was_published_in(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    eventually: Any,
    read_topic: Any,
    group_id: Any,
    exporter: InMemorySpanExporter,
) -> None:
    setup_telemetry("trace-test")  # instruments aiokafka: every send now carries the sender's traceparent
    add_span_processor(SimpleSpanProcessor(exporter))
    topic = await new_topic(partitions=1)
    group = group_id("tracing-dlq")

    async def always_fails(conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        raise RuntimeError("poison")

    with tracer("test").start_as_current_span("request") as request:
        await produce(topic, CloudEvent(source="urn:trace-test", type=TYPE, data={}), key="thing-1")
    trace_id = request.get_span_context().trace_id

    runner = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), always_fails, max_attempts=2))
    task = asyncio.create_task(runner.run())
    try:
        [parked] = await eventually(lambda: read_topic(f"{topic}.dlq"), lambda records: len(records) == 1)
    finally:
        await runner.stop()
        await task

    traceparents = [value.decode() for key, value in parked.headers if key == "traceparent"]
    assert len(traceparents) == 1, f"one traceparent, or readers disagree on which one counts: {traceparents}"
    assert traceparents[0].split("-")[1] == f"{trace_id:032x}"
    failed = spans(exporter, f"process {topic}", trace_id)
    assert len(failed) == 2 and all(s.status.status_code is StatusCode.ERROR for s in failed)
