"""The consumer runner's contract on the real Kafka and PostgreSQL: at-least-once delivery plus the
processed-events record give each event exactly one effect, and an event that keeps failing is parked on
`<topic>.dlq` without holding back the events behind it."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import asyncpg
import pytest
from aiokafka import TopicPartition

from backan_shared.consumer import ConsumerRunner, Subscription
from backan_shared.envelope import CloudEvent, header

pytestmark = pytest.mark.infra

TYPE = "vn.backan.test.thing-happened.v1"


def happened(n: int, **data: Any) -> CloudEvent:
    return CloudEvent(source="urn:test", type=TYPE, data={"n": n, **data})


class RecordingHandler:
    """Writes one effect row per event it is given and counts every time it is given one, so a test can tell
    effects from deliveries.

    `fails(event, call_number)` makes a call raise after writing the event's effect, which the runner must roll
    back.
    """

    def __init__(self, fails: Callable[[CloudEvent, int], bool] = lambda _event, _call: False):
        self.calls: Counter[str] = Counter()
        self._fails = fails

    async def __call__(self, conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        for event in events:
            self.calls[event.id] += 1
            await conn.execute("INSERT INTO effects (event_id, n) VALUES ($1, $2)", event.id, event.data["n"])
            if self._fails(event, self.calls[event.id]):
                raise RuntimeError(f"cannot handle event {event.data['n']} (call {self.calls[event.id]})")


class SimulatedCrash(Exception):
    """The process died here."""


class CrashingBeforeOffsetCommit(ConsumerRunner):
    """A runner whose process dies after the effect's transaction committed and before any offset commit: every
    commit raises, as nothing can be committed by a process that is gone."""

    async def commit_done(self, partitions: list[TopicPartition]) -> None:
        raise SimulatedCrash("killed between the effect and the offset commit")


@pytest.fixture
async def effects(pool: asyncpg.Pool) -> Callable[[], Awaitable[list[tuple[str, int]]]]:
    """The effect table (deliberately without a unique key: only the runner may prevent a second effect)."""
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE effects (id bigserial PRIMARY KEY, event_id text NOT NULL, n int NOT NULL)")

    async def rows() -> list[tuple[str, int]]:
        async with pool.acquire() as conn:
            return [(r["event_id"], r["n"]) for r in await conn.fetch("SELECT event_id, n FROM effects ORDER BY id")]

    return rows


async def processed(pool: asyncpg.Pool, group: str) -> dict[str, str]:
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT event_id, outcome FROM processed_events WHERE consumer_group = $1", group)
    return {r["event_id"]: r["outcome"] for r in rows}


def nonempty(offsets: dict[int, int]) -> dict[int, int]:
    """The partitions that hold records (a group commits nothing on the others)."""
    return {partition: offset for partition, offset in offsets.items() if offset > 0}


@contextlib.asynccontextmanager
async def running(runner: ConsumerRunner) -> AsyncIterator[asyncio.Task[None]]:
    """Run the runner in the background; stop it and wait for it (and its last commit) on the way out."""
    task = asyncio.create_task(runner.run())
    try:
        yield task
    finally:
        await runner.stop()
        async with asyncio.timeout(15):
            await task


async def test_an_event_redelivered_after_a_crash_between_the_effect_and_the_offset_commit_has_exactly_one_effect(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    committed_offsets: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    group = group_id("crash")
    handler = RecordingHandler()
    event = happened(1)
    await produce(topic, event, key="thing-1")

    crashing = CrashingBeforeOffsetCommit(pool, kafka_bootstrap, Subscription(group, (topic,), handler))
    with pytest.raises(SimulatedCrash):
        async with asyncio.timeout(15):
            await crashing.run()
    assert await effects() == [(event.id, 1)], "the effect was durable before the crash"
    assert await committed_offsets(group, topic) == {}, "and Kafka never heard of it"

    survivor = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), handler))
    async with running(survivor):
        # The survivor can only commit offset 1 after it has been handed offset 0 again: the redelivery.
        await eventually(lambda: committed_offsets(group, topic), lambda offsets: offsets == {0: 1})

    assert await effects() == [(event.id, 1)]
    assert handler.calls == {event.id: 1}, "the redelivered event must not reach the handler a second time"
    assert await processed(pool, group) == {event.id: "applied"}
    assert survivor.applied_total == 0


async def test_a_poison_event_goes_to_the_dead_letter_topic_with_the_error_and_the_next_event_is_processed(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    read_topic: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    group = group_id("poison")
    handler = RecordingHandler(fails=lambda event, _call: bool(event.data.get("poison")))
    before, poison, after = happened(1), happened(2, poison=True), happened(3)
    for event in (before, poison, after):
        await produce(topic, event, key="thing-1")  # one key, one partition: `after` queues behind the poison

    runner = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), handler, max_attempts=3))
    async with running(runner):
        await eventually(effects, lambda rows: len(rows) == 2)

    assert await effects() == [(before.id, 1), (after.id, 3)], "the poison's failed attempts left no effect"
    assert handler.calls[poison.id] == 3
    assert await processed(pool, group) == {before.id: "applied", poison.id: "dead-lettered", after.id: "applied"}
    [parked] = await read_topic(f"{topic}.dlq")
    assert parked.key == b"thing-1"
    assert header(parked.headers, "ce_id") == poison.id, "the original record travels to the DLQ unchanged"
    assert header(parked.headers, "dlq_error") == "cannot handle event 2 (call 3)"
    assert header(parked.headers, "dlq_error_type") == "RuntimeError"
    assert "RuntimeError" in (header(parked.headers, "dlq_stacktrace") or "")
    assert header(parked.headers, "dlq_original_topic") == topic
    assert header(parked.headers, "dlq_original_partition") == "0"
    assert header(parked.headers, "dlq_original_offset") == "1"
    assert header(parked.headers, "dlq_consumer_group") == group
    assert header(parked.headers, "dlq_attempts") == "3"
    assert runner.dead_lettered_total == 1


async def test_a_record_that_is_not_a_cloud_event_is_dead_lettered_at_once_and_the_next_event_is_processed(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    read_topic: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    group = group_id("malformed")
    handler = RecordingHandler()
    after = happened(2)
    await produce(topic, b"this is not json", key="thing-1", headers=[("ce_id", b"not-a-cloud-event")])
    await produce(topic, after, key="thing-1")

    runner = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), handler, max_attempts=3))
    async with running(runner):
        await eventually(effects, lambda rows: len(rows) == 1)

    assert await effects() == [(after.id, 2)]
    [parked] = await read_topic(f"{topic}.dlq")
    assert parked.value == b"this is not json"
    assert header(parked.headers, "dlq_error_type") == "EnvelopeError"
    assert "missing ce_source" in (header(parked.headers, "dlq_error") or "")
    assert header(parked.headers, "dlq_attempts") == "1", "a malformed record cannot get better by retrying"
    assert header(parked.headers, "dlq_original_offset") == "0"
    assert await processed(pool, group) == {"not-a-cloud-event": "dead-lettered", after.id: "applied"}


async def test_a_transient_failure_is_retried_and_has_one_effect_and_nothing_is_dead_lettered(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    read_topic: Any,
    committed_offsets: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    group = group_id("transient")
    handler = RecordingHandler(fails=lambda _event, call: call == 1)
    event = happened(1)
    await produce(topic, event, key="thing-1")

    runner = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), handler, max_attempts=3))
    async with running(runner):
        await eventually(lambda: committed_offsets(group, topic), lambda offsets: offsets == {0: 1})

    assert handler.calls == {event.id: 2}
    assert await effects() == [(event.id, 1)], "the failed first attempt's effect was rolled back"
    assert await processed(pool, group) == {event.id: "applied"}
    assert await read_topic(f"{topic}.dlq") == []
    assert runner.dead_lettered_total == 0


class DatabaseDropsConnections(RecordingHandler):
    """The database connection dies under the first `outages` calls, as it does when PostgreSQL restarts."""

    def __init__(self, outages: int):
        super().__init__()
        self._outages = outages

    async def __call__(self, conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        for event in events:
            self.calls[event.id] += 1
            if self.calls[event.id] <= self._outages:
                raise asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")
            await conn.execute("INSERT INTO effects (event_id, n) VALUES ($1, $2)", event.id, event.data["n"])


async def test_a_database_outage_is_waited_out_not_dead_lettered(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    read_topic: Any,
    committed_offsets: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    group = group_id("outage")
    handler = DatabaseDropsConnections(outages=5)  # more failures than max_attempts allows for a bad event
    event = happened(1)
    await produce(topic, event, key="thing-1")

    runner = ConsumerRunner(
        pool, kafka_bootstrap, Subscription(group, (topic,), handler, max_attempts=2), retry_backoff=0.01
    )
    async with running(runner):
        await eventually(lambda: committed_offsets(group, topic), lambda offsets: offsets == {0: 1})

    assert handler.calls == {event.id: 6}
    assert await effects() == [(event.id, 1)]
    assert await read_topic(f"{topic}.dlq") == []
    assert runner.dead_lettered_total == 0


async def test_stopping_the_runner_commits_what_was_done_so_a_new_runner_in_the_group_does_not_redo_it(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    end_offsets: Any,
    committed_offsets: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=3)
    group = group_id("stop")
    handler = RecordingHandler()
    first = [happened(n) for n in range(6)]
    for event in first:
        await produce(topic, event, key=f"thing-{event.data['n']}")

    runner = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), handler))
    async with running(runner):
        await eventually(effects, lambda rows: len(rows) == len(first))
    written = await end_offsets(topic)
    assert await committed_offsets(group, topic) == nonempty(written), "stop() committed past every effect"

    later = happened(6)
    await produce(topic, later, key="thing-6")
    successor = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), handler))
    async with running(successor):
        await eventually(effects, lambda rows: len(rows) == len(first) + 1)
        written = nonempty(await end_offsets(topic))
        await eventually(lambda: committed_offsets(group, topic), lambda offsets: offsets == written)

    assert handler.calls == Counter({e.id: 1 for e in [*first, later]})
    assert successor.applied_total == 1
    assert sorted(n for _, n in await effects()) == list(range(7))


async def test_a_rebalance_while_a_handler_runs_does_not_stop_the_runner_and_each_event_has_one_effect(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    end_offsets: Any,
    committed_offsets: Any,
    group_members: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=2)
    group = group_id("rebalance")
    entered, release = asyncio.Event(), asyncio.Event()
    handler = RecordingHandler()

    async def held_until_released(conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        entered.set()
        await release.wait()
        await handler(conn, events)

    for n, partition in enumerate((0, 1)):
        await produce(topic, happened(n), key=f"thing-{n}", partition=partition)
    first = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), held_until_released))
    second = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), held_until_released))
    async with running(first) as first_task:
        await eventually(entered.is_set)  # `first` now holds a batch with both partitions in it
        async with running(second) as second_task:
            # The group rebalances while `first` is still inside its handler: at least one partition of the
            # batch it holds now belongs to `second`.
            await eventually(lambda: group_members(group), lambda members: members == 2)
            release.set()
            for n, partition in enumerate((0, 1), start=2):
                await produce(topic, happened(n), key=f"thing-{n}", partition=partition)
            await eventually(effects, lambda rows: len(rows) == 4)
            written = nonempty(await end_offsets(topic))
            await eventually(lambda: committed_offsets(group, topic), lambda offsets: offsets == written)
            assert not first_task.done() and not second_task.done(), "both members keep consuming"

    assert sorted(n for _, n in await effects()) == [0, 1, 2, 3]
    assert set(handler.calls.values()) == {1}


class FailsOnFirstStart(ConsumerRunner):
    """A runner whose first run dies (e.g. the broker was briefly away at startup)."""

    starts = 0

    async def run(self) -> None:
        self.starts += 1
        if self.starts == 1:
            raise ConnectionError("broker unreachable at startup")
        await super().run()


async def test_a_supervised_runner_that_fails_starts_again_and_goes_on_consuming(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    event = happened(1)
    await produce(topic, event, key="thing-1")
    runner = FailsOnFirstStart(
        pool, kafka_bootstrap, Subscription(group_id("supervised"), (topic,), RecordingHandler())
    )
    task = asyncio.create_task(runner.run_supervised(max_backoff=0.2))
    try:
        await eventually(effects, lambda rows: rows == [(event.id, 1)])
    finally:
        await runner.stop()
        await task
    assert runner.starts == 2


class TransactionRecordingHandler(RecordingHandler):
    """Also notes the transaction each event's effect was written in."""

    def __init__(self) -> None:
        super().__init__()
        self.transactions: dict[str, int] = {}

    async def __call__(self, conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        await super().__call__(conn, events)
        for event in events:
            self.transactions[event.id] = await conn.fetchval("SELECT txid_current()")


async def test_the_records_of_one_poll_are_applied_in_one_transaction(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    committed_offsets: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    group = group_id("batch")
    handler = TransactionRecordingHandler()
    events = [happened(n) for n in range(1, 21)]
    for event in events:  # all waiting before the runner starts, so its polls bring several at once
        await produce(topic, event, key="thing-1")

    runner = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), handler))
    async with running(runner):
        await eventually(lambda: committed_offsets(group, topic), lambda offsets: offsets == {0: 20})

    assert await effects() == [(event.id, event.data["n"]) for event in events], "each once, in order"
    assert len(set(handler.transactions.values())) < len(events), "a commit per poll, not per record"
    assert runner.applied_total == 20


async def test_an_event_the_subscription_does_not_want_passes_by_without_a_trace_and_the_next_is_applied(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    committed_offsets: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    group = group_id("wants")
    handler = RecordingHandler()
    unwanted, wanted = happened(1, ignore=True), happened(2)
    for event in (unwanted, wanted):
        await produce(topic, event, key="thing-1")

    subscription = Subscription(group, (topic,), handler, wants=lambda event: not event.data.get("ignore"))
    async with running(ConsumerRunner(pool, kafka_bootstrap, subscription)):
        await eventually(lambda: committed_offsets(group, topic), lambda offsets: offsets == {0: 2})

    assert await effects() == [(wanted.id, 2)]
    assert handler.calls == {wanted.id: 1}
    assert await processed(pool, group) == {wanted.id: "applied"}, "nothing recorded for the event passed by"


async def test_a_handler_gets_a_poll_s_new_events_at_once_in_order_each_once(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    eventually: Any,
    committed_offsets: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    group = group_id("batches")
    events = [happened(n) for n in range(1, 11)]
    for event in [*events[:5], events[0], *events[5:]]:  # the first one delivered twice
        await produce(topic, event, key="thing-1")
    handed: list[list[int]] = []

    async def count(conn: asyncpg.Connection, batch: Sequence[CloudEvent]) -> None:
        handed.append([event.data["n"] for event in batch])

    runner = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), count))
    async with running(runner):
        await eventually(lambda: committed_offsets(group, topic), lambda offsets: offsets == {0: 11})

    assert [n for batch in handed for n in batch] == list(range(1, 11)), "each new event once, in order"
    assert len(handed) < 10, "handed over together, not one call per event"
    assert runner.applied_total == 10


class DeadlockingHandler(RecordingHandler):
    """Its first calls lose a deadlock to another transaction, as two batches locking in another order would."""

    def __init__(self, deadlocks: int) -> None:
        super().__init__()
        self._deadlocks = deadlocks

    async def __call__(self, conn: asyncpg.Connection, events: Sequence[CloudEvent]) -> None:
        await super().__call__(conn, events)
        if any(self.calls[event.id] <= self._deadlocks for event in events):
            raise asyncpg.DeadlockDetectedError("deadlock detected")


async def test_an_event_that_loses_deadlocks_is_retried_without_costing_attempts_and_applied_once(
    pool: asyncpg.Pool,
    kafka_bootstrap: str,
    new_topic: Any,
    produce: Any,
    effects: Any,
    eventually: Any,
    committed_offsets: Any,
    group_id: Any,
) -> None:
    topic = await new_topic(partitions=1)
    group = group_id("deadlocks")
    handler = DeadlockingHandler(deadlocks=3)
    event = happened(1)
    await produce(topic, event, key="thing-1")

    runner = ConsumerRunner(pool, kafka_bootstrap, Subscription(group, (topic,), handler, max_attempts=3))
    async with running(runner):
        await eventually(lambda: committed_offsets(group, topic), lambda offsets: offsets == {0: 1})

    assert await effects() == [(event.id, 1)], "applied once, the lost attempts rolled back"
    assert handler.calls[event.id] == 4
    assert await processed(pool, group) == {event.id: "applied"}, "not dead-lettered: the event was not at fault"
