"""Replay: the gateway rebuilding its composed read models from the topics, against plain aiokafka reading the
same messages (the physical limit of reading them), in the same run."""

from __future__ import annotations

import time

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from backan_shared.database import create_pool
from gateway.projections.feeds import Feed, feeds
from gateway.rebuild import BATCH_SIZE, RebuildProgress, rebuild_read_models
from harness.bench.system import BenchSystem


def bench_feeds(system: BenchSystem) -> list[Feed]:
    """The feeds the bench's gateway reads: its own topics and consumer groups."""
    names = system.kafka_names("gateway")
    return feeds(
        campaign_topic=names["CAMPAIGN_TOPIC"],
        household_topic=names["HOUSEHOLD_TOPIC"],
        dti_topic=names["DTI_TOPIC"],
        group_prefix=names["CONSUMER_GROUP_PREFIX"],
    )


async def gateway_rebuild(system: BenchSystem) -> tuple[RebuildProgress, float]:
    """(how far it came, seconds) of a full rebuild of the bench gateway's read models, swap included."""
    pool = await create_pool(system.database_url("gateway"), min_size=1, max_size=2)
    try:
        started = time.monotonic()
        progress = await rebuild_read_models(pool, system.kafka.bootstrap_servers, bench_feeds(system))
        return progress, time.monotonic() - started
    finally:
        await pool.close()


async def raw_consume(system: BenchSystem) -> tuple[int, float]:
    """(messages, seconds) of reading the same topics from their first to their end offsets, doing nothing."""
    bootstrap = system.kafka.bootstrap_servers
    started = time.monotonic()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = await _partitions(bootstrap, [feed.topic for feed in bench_feeds(system)])
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        messages = await _read_to_end(consumer)
    finally:
        await consumer.stop()
    return messages, time.monotonic() - started


async def _partitions(bootstrap_servers: str, topics: list[str]) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    return [TopicPartition(topic["topic"], p["partition"]) for topic in described for p in topic["partitions"]]


async def _read_to_end(consumer: AIOKafkaConsumer) -> int:
    ends = await consumer.end_offsets(list(consumer.assignment()))
    messages = 0
    while any([await consumer.position(p) < end for p, end in ends.items()]):
        batch = await consumer.getmany(timeout_ms=500, max_records=BATCH_SIZE)
        messages += sum(len(records) for records in batch.values())
    return messages
