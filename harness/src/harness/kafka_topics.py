"""Small questions to the Kafka cluster about topics and consumer groups, for the tests and the bench: which
topics exist, a topic's partitions and end offsets, what a group has committed; and deleting topics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


@asynccontextmanager
async def _admin(bootstrap: str) -> AsyncIterator[AIOKafkaAdminClient]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        yield admin
    finally:
        await admin.close()


async def topic_names(bootstrap: str) -> set[str]:
    async with _admin(bootstrap) as admin:
        return set(await admin.list_topics())


async def delete_topics(bootstrap: str, topics: list[str]) -> None:
    async with _admin(bootstrap) as admin:
        await admin.delete_topics(topics)


async def partitions_of(bootstrap: str, topic: str) -> list[TopicPartition]:
    """The topic's partitions, in order."""
    async with _admin(bootstrap) as admin:
        [described] = await admin.describe_topics([topic])
    return sorted(TopicPartition(topic, p["partition"]) for p in described["partitions"])


async def end_offsets(bootstrap: str, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
    """The next offset to be written on each partition."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        return dict(await consumer.end_offsets(partitions))
    finally:
        await consumer.stop()


async def committed_offsets(bootstrap: str, group: str) -> dict[TopicPartition, int]:
    """What the consumer group has committed, on every partition it has committed on."""
    async with _admin(bootstrap) as admin:
        offsets = await admin.list_consumer_group_offsets(group)
    return {tp: meta.offset for tp, meta in offsets.items()}


async def stable_members(bootstrap: str, group: str) -> int:
    """How many members the consumer group has once it is stable (0 while it is still rebalancing)."""
    async with _admin(bootstrap) as admin:
        [response] = await admin.describe_consumer_groups([group])
    [described] = response.to_object()["groups"]
    return len(described["members"]) if described["state"] == "Stable" else 0
