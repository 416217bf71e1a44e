"""Fixtures for every test in the repository: the real PostgreSQL and Kafka that `./dx test` started.

Each test that needs a database gets a fresh one on the shared server, and each that needs topics gets
topics with unique names, so tests neither see each other's data nor the data of a running `./dx up`.
Infrastructure tests are never skipped: run outside `./dx test`, they fail and say how to run them.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import asyncpg
import pytest

from backan_shared.database import create_pool
from backan_shared.migrations import SHARED_MIGRATIONS, MigrationSource, apply_migrations
from backan_shared.topics import TopicSpec, declare_topics
from harness.kafka_topics import committed_offsets, delete_topics, end_offsets, partitions_of, topic_names


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
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    base = postgres_admin_url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    admin = await asyncpg.connect(postgres_admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


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


ConsumedToEnd = Callable[[str, str], Awaitable[None]]


@pytest.fixture
def consumed_to_end(kafka_bootstrap: str) -> ConsumedToEnd:
    """Wait (20 s at most) until a consumer group has committed, on a topic, at least the end offsets the topic
    has now: the group has handled every record in it, including events it passes by without a trace in the
    database. (An event published through an outbox must be in the topic before this is asked.)"""

    async def wait(group: str, topic: str) -> None:
        target = await end_offsets(kafka_bootstrap, await partitions_of(kafka_bootstrap, topic))
        async with asyncio.timeout(20):
            while True:
                committed = await committed_offsets(kafka_bootstrap, group)
                if all(committed.get(partition, 0) >= end for partition, end in target.items()):
                    return
                await asyncio.sleep(0.05)  # the polling interval; the timeout bounds the wait

    return wait
