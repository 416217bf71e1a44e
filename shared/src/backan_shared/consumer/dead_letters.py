"""Dead-lettering: a record that keeps failing is parked on `<topic>.dlq` with why, and recorded as handled, so
the records behind it go on."""

from __future__ import annotations

import traceback
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer, ConsumerRecord

from backan_shared.consumer.processed_events import record_processed
from backan_shared.consumer.tracing import TRACE_HEADERS, publishing_dead_letter
from backan_shared.kafka_clients import KafkaCluster, client_options
from backan_shared.logs import get_logger

log = get_logger(__name__)


class DeadLetters:
    """The dead-letter topics of one consumer group: a producer of their own, and the group's processed-events
    record."""

    def __init__(self, pool: asyncpg.Pool, cluster: KafkaCluster, group_id: str):
        self._pool = pool
        self._cluster = cluster
        self._group_id = group_id
        self._producer: AIOKafkaProducer | None = None
        self.parked_total = 0

    async def start(self) -> None:
        self._producer = AIOKafkaProducer(**client_options(self._cluster), enable_idempotence=True, acks="all")
        await self._producer.start()

    async def stop(self) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def park(self, record: ConsumerRecord[Any, Any], failure: Exception, attempts: int) -> None:
        """Send the record, unchanged, to `<topic>.dlq` with the failure in its headers; record it as
        dead-lettered so a redelivery passes it by."""
        assert self._producer is not None, "start() first"
        dlq_topic = f"{record.topic}.dlq"
        headers = dead_letter_headers(record, failure, attempts, self._group_id)
        with publishing_dead_letter(record, dlq_topic):
            await self._producer.send_and_wait(dlq_topic, value=record.value, key=record.key, headers=headers)
        async with self._pool.acquire() as connection:
            await record_processed(connection, self._group_id, [(event_id(record), record.topic)], "dead-lettered")
        self.parked_total += 1
        log.error("event dead-lettered", topic=record.topic, offset=record.offset, error=str(failure))


def dead_letter_headers(
    record: ConsumerRecord[Any, Any], failure: Exception, attempts: int, group_id: str
) -> list[tuple[str, bytes]]:
    """The record's headers, then why and where it failed.

    Its trace headers are left out: the instrumented producer adds its own traceparent on send, and a copied one
    would make two, on which readers disagree (the instrumentation takes the first). Sending from the original
    producer's context instead keeps the parked record in the trace it was published in.
    """
    kept = [(k, v) for k, v in (record.headers or ()) if not k.startswith("dlq_") and k not in TRACE_HEADERS]
    return [
        *kept,
        ("dlq_error", str(failure).encode()[:4000]),
        ("dlq_error_type", type(failure).__name__.encode()),
        ("dlq_stacktrace", "".join(traceback.format_exception(failure)).encode()[-8000:]),
        ("dlq_original_topic", record.topic.encode()),
        ("dlq_original_partition", str(record.partition).encode()),
        ("dlq_original_offset", str(record.offset).encode()),
        ("dlq_consumer_group", group_id.encode()),
        ("dlq_attempts", str(attempts).encode()),
    ]


def event_id(record: ConsumerRecord[Any, Any]) -> str:
    """The record's CloudEvent id, or (for a record that is not a CloudEvent) its place in the topic."""
    fallback = f"{record.topic}:{record.partition}:{record.offset}".encode()
    ce_id: bytes = dict(record.headers or ()).get("ce_id", fallback)
    return ce_id.decode(errors="replace")
