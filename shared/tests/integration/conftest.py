"""Fixtures for the shared library's Kafka tests: consumer group ids of their own, and what a topic and a
group look like to the cluster (end offsets, committed offsets, members). Waiting, producing and reading a
topic are the root conftest's fixtures."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import pytest

from harness.kafka_topics import committed_offsets as committed_offsets_of
from harness.kafka_topics import end_offsets as end_offsets_of
from harness.kafka_topics import partitions_of, stable_members

CommittedOffsets = Callable[[str, str], Awaitable[dict[int, int]]]
EndOffsets = Callable[[str], Awaitable[dict[int, int]]]


@pytest.fixture
def group_id() -> Callable[[str], str]:
    """A consumer group id no other test (or earlier run) has used."""
    return lambda purpose: f"test-{purpose}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def end_offsets(kafka_bootstrap: str) -> EndOffsets:
    """The next offset to be written on each partition of a topic."""

    async def read(topic: str) -> dict[int, int]:
        offsets = await end_offsets_of(kafka_bootstrap, await partitions_of(kafka_bootstrap, topic))
        return {tp.partition: offset for tp, offset in offsets.items()}

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
    return lambda group: stable_members(kafka_bootstrap, group)
