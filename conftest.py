"""Fixtures for every test in the repository: the real PostgreSQL and Kafka that `./dx test` started.

Each test that needs a database gets a fresh one on the shared server, and each that needs topics gets
topics with unique names, so tests neither see each other's data nor the data of a running `./dx up`.
Infrastructure tests are never skipped: run outside `./dx test`, they fail and say how to run them.
The fixtures that wait, produce and read are doors to `harness.testing`, where each of those lives once.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import asyncpg
import pytest
from aiokafka import ConsumerRecord

from backan_shared.database import create_pool
from backan_shared.migrations import SHARED_MIGRATIONS, MigrationSource, apply_migrations
from backan_shared.topics import TopicSpec, declare_topics
from harness import testing
from harness.kafka_topics import delete_topics, topic_names


def _required(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        pytest.fail(f"{variable} is not set: run the suite with `./dx test`, which starts PostgreSQL and Kafka")
    return value


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    return _required("DX_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    return _required("KAFKA_BOOTSTRAP_SERVERS")


# Every topic a test makes has a random 10-hex segment: before `.events.v1` (`new_topic`, the services' test
# settings) or after `e2e.` (the end-to-end system); the running system's own topics never do.
_TEST_TOPIC = re.compile(r"(\.[0-9a-f]{10}\.events\.v1|^e2e\.[0-9a-f]{10}\..+\.events\.v1)(\.dlq)?$")


@pytest.fixture(scope="session", autouse=True)
def _test_topics_deleted_at_the_end() -> Iterator[None]:
    """Delete the topics this session's tests made. Left behind, they pile up run after run on a developer's
    broker (thousands of partitions: every topic listing slows, and the broker runs out of file handles)."""
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not bootstrap:  # a unit-only run outside `./dx test`: no broker, nothing made
        yield
        return
    before = asyncio.run(topic_names(bootstrap))
    yield
    made = [topic for topic in asyncio.run(topic_names(bootstrap)) - before if _TEST_TOPIC.search(topic)]
    if made:
        asyncio.run(delete_topics(bootstrap, made))


@pytest.fixture
async def database_url(postgres_admin_url: str) -> AsyncIterator[str]:
    """A new, empty database for one test, dropped afterwards."""
    async with testing.temporary_database(postgres_admin_url) as url:
        yield url


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    """A pool on a fresh database with the shared migrations applied."""
    pool = await create_pool(database_url, min_size=1, max_size=20)
    await apply_migrations(pool, [MigrationSource("shared", SHARED_MIGRATIONS)])
    yield pool
    await pool.close()


@pytest.fixture
def new_topic(kafka_bootstrap: str) -> Callable[..., Awaitable[str]]:
    """Declare a topic (and its dead-letter topic) with a unique name; return the name."""

    async def declare(prefix: str = "test", partitions: int = 3) -> str:
        spec = TopicSpec(f"{prefix}.{uuid.uuid4().hex[:10]}.events.v1", partitions=partitions)
        await declare_topics(kafka_bootstrap, [spec, spec.dead_letters])
        return spec.name

    return declare


@pytest.fixture(scope="session")
def eventually() -> Callable[..., Awaitable[Any]]:
    """Bounded polling for what happens asynchronously, never a sleep (`harness.testing.eventually`)."""
    return testing.eventually


@pytest.fixture
async def produce(kafka_bootstrap: str) -> AsyncIterator[testing.Produce]:
    """Send records as an owning service would: `await produce(topic, event_or_raw, key=...)`, acknowledged."""
    async with testing.producing(kafka_bootstrap) as send:
        yield send


ReadTopic = Callable[[str], Awaitable[list[ConsumerRecord[bytes, bytes]]]]


@pytest.fixture(scope="session")
def read_topic(kafka_bootstrap: str) -> ReadTopic:
    """Every record on a topic, from the beginning to the end offsets as of the call, partition by partition."""
    return lambda topic: testing.read_topic(kafka_bootstrap, topic)


ConsumedToEnd = Callable[[str, str], Awaitable[None]]


@pytest.fixture
def consumed_to_end(kafka_bootstrap: str) -> ConsumedToEnd:
    """Wait until a consumer group has committed, on a topic, the end offsets the topic has now (see
    `harness.testing.consumed_to_end`)."""
    return lambda group, topic: testing.consumed_to_end(kafka_bootstrap, group, topic)
