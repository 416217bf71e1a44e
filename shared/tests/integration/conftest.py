"""Fixtures for the shared library's Kafka tests: producing CloudEvents, reading a topic to its end, reading a
consumer group's committed offsets, and waiting for a condition by bounded polling (never by sleeping)."""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord
from aiokafka.admin import AIOKafkaAdminClient

from backan_shared.envelope import CloudEvent, to_kafka
from harness.kafka_topics import committed_offsets as committed_offsets_of
from harness.kafka_topics import partitions_of

T = TypeVar("T")
Eventually = Callable[..., Awaitable[Any]]
Produce = Callable[..., Awaitable[None]]
ReadTopic = Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]
CommittedOffsets = Callable[[str, str], Awaitable[dict[int, int]]]
EndOffsets = Callable[[str], Awaitable[dict[int, int]]]


async def _eventually(
    probe: Callable[[], Awaitable[T] | T], until: Callable[[T], bool] = bool, *, within: float = 15.0
) -> T:
    """Poll `probe` (plain or async) until `until(value)` holds and return that value; fail with the last value
    seen after `within` seconds."""
    last: T | None = None
    try:
        async with asyncio.timeout(within):
            while True:
                value = probe()
                last = await value if inspect.isawaitable(value) else value
                if until(last):
                    return last
                await asyncio.sleep(0.05)  # the polling interval, not a synchronisation
    except TimeoutError:
        pytest.fail(f"condition not met within {within} s; last observed {last!r}")


@pytest.fixture
def eventually() -> Eventually:
    return _eventually


@pytest.fixture
def group_id() -> Callable[[str], str]:
    """A consumer group id no other test (or earlier run) has used."""
    return lambda purpose: f"test-{purpose}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
async def produce(kafka_bootstrap: str) -> AsyncIterator[Produce]:
    """Send records with a plain producer: `await produce(topic, event_or_raw, key=...)`, acknowledged."""
    producer = AIOKafkaProducer(bootstrap_servers=kafka_bootstrap, acks="all")
    await producer.start()

    async def send(
        topic: str,
        message: CloudEvent | bytes,
        *,
        key: str,
        headers: Sequence[tuple[str, bytes]] = (),
        partition: int | None = None,
    ) -> None:
        if isinstance(message, CloudEvent):
            ce_headers, value = to_kafka(message)
            all_headers = [*ce_headers, *headers]
        else:
            value, all_headers = message, list(headers)
        await producer.send_and_wait(topic, value=value, key=key.encode(), headers=all_headers, partition=partition)

    yield send
    await producer.stop()


@pytest.fixture
def end_offsets(kafka_bootstrap: str) -> EndOffsets:
    """The next offset to be written on each partition of a topic."""

    async def read(topic: str) -> dict[int, int]:
        partitions = await partitions_of(kafka_bootstrap, topic)
        consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=None, enable_auto_commit=False)
        await consumer.start()
        try:
            return {tp.partition: offset for tp, offset in (await consumer.end_offsets(partitions)).items()}
        finally:
            await consumer.stop()

    return read


@pytest.fixture
def read_topic(kafka_bootstrap: str) -> ReadTopic:
    """Every record on a topic, from the beginning to the end offsets as of the call, partition by partition."""

    async def read(topic: str) -> list[ConsumerRecord[bytes, bytes]]:
        partitions = await partitions_of(kafka_bootstrap, topic)
        consumer = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=None, enable_auto_commit=False)
        await consumer.start()
        try:
            consumer.assign(partitions)
            await consumer.seek_to_beginning(*partitions)
            ends = await consumer.end_offsets(partitions)
            records: list[ConsumerRecord[bytes, bytes]] = []
            async with asyncio.timeout(20):
                while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
                    for batch in (await consumer.getmany(timeout_ms=200)).values():
                        records.extend(batch)
            return sorted(records, key=lambda r: (r.partition, r.offset))
        finally:
            await consumer.stop()

    return read


@pytest.fixture
def committed_offsets(kafka_bootstrap: str) -> CommittedOffsets:
    """What a consumer group has committed on a topic, by partition (absent: nothing committed)."""

    async def read(group: str, topic: str) -> dict[int, int]:
        offsets = await committed_offsets_of(kafka_bootstrap, group)
        return {tp.partition: offset for tp, offset in offsets.items() if tp.topic == topic and offset >= 0}

    return read


@pytest.fixture
def group_members(kafka_bootstrap: str) -> Callable[[str], Awaitable[int]]:
    """How many members a consumer group has once it is stable (0 while it is still rebalancing)."""

    async def count(group: str) -> int:
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
        await admin.start()
        try:
            [response] = await admin.describe_consumer_groups([group])
        finally:
            await admin.close()
        [described] = response.to_object()["groups"]
        return len(described["members"]) if described["state"] == "Stable" else 0

    return count
