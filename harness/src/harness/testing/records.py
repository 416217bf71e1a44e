"""Records on a topic, as a test sees them: producing them as an owning service would, reading everything a
topic holds, and waiting until a consumer group has read it all. The questions to the cluster's admin API
(partitions, offsets) are `harness.kafka_topics`'."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Protocol

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition

from backan_shared.envelope import CloudEvent, to_kafka
from harness.kafka_topics import committed_offsets, end_offsets, partitions_of
from harness.testing.polling import EVENTUALLY_SECONDS, eventually


class Produce(Protocol):
    """Send one record, acknowledged by every in-sync replica before the call returns."""

    async def __call__(
        self,
        topic: str,
        message: CloudEvent | bytes,
        *,
        key: str,
        headers: Sequence[tuple[str, bytes]] = (),
        partition: int | None = None,
    ) -> None: ...


@asynccontextmanager
async def producing(bootstrap: str) -> AsyncIterator[Produce]:
    """A producer for the block: a CloudEvent goes in Kafka binary mode (its attributes as `ce_` headers, then
    any extra `headers`), raw bytes as they are; keyed by `key`, as an owning service's relay keys them."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all")
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
            event_headers, value = to_kafka(message)
            all_headers = [*event_headers, *headers]
        else:
            value, all_headers = message, list(headers)
        await producer.send_and_wait(topic, value=value, key=key.encode(), headers=all_headers, partition=partition)

    try:
        yield send
    finally:
        await producer.stop()


async def read_topic(bootstrap: str, topic: str) -> list[ConsumerRecord[bytes, bytes]]:
    """Every record on a topic, from the beginning to the end offsets as of the call, ordered by partition then
    offset (one aggregate's records, sharing a key and so a partition, stay in the order they were written)."""
    partitions = await partitions_of(bootstrap, topic)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        records: list[ConsumerRecord[bytes, bytes]] = []
        async with asyncio.timeout(EVENTUALLY_SECONDS):
            while [tp for tp, end in ends.items() if await consumer.position(tp) < end]:
                for batch in (await consumer.getmany(timeout_ms=200)).values():
                    records.extend(batch)
        return sorted(records, key=lambda record: (record.partition, record.offset))
    finally:
        await consumer.stop()


async def consumed_to_end(bootstrap: str, group: str, topic: str, *, within: float = EVENTUALLY_SECONDS) -> None:
    """Wait until a consumer group has committed, on a topic, at least the end offsets the topic has now: the
    group has handled every record in it, including events it passes by without a trace in the database (its
    runner commits only once an event's effect is durable). An event published through an outbox must be in
    the topic before this is asked."""
    target = await end_offsets(bootstrap, await partitions_of(bootstrap, topic))

    def read_all(committed: dict[TopicPartition, int]) -> bool:
        return all(committed.get(partition, 0) >= end for partition, end in target.items())

    await eventually(
        lambda: committed_offsets(bootstrap, group),
        read_all,
        within=within,
        what=f"consumer group {group} reading {topic} to its end",
    )
