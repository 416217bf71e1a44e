"""Propagation: from a survey's commit (its HTTP answer) until the gateway's composed view includes it, with
surveys arriving at a steady rate (an open loop: each is sent on schedule, whether or not the last returned).

The survey goes straight to household-registry, so the time measured starts at the commit and nothing of the
gateway's forwarding is in it. Visibility is asked the way a client asks: the commune's dashboard read with
the write's Consistency-Token, which the gateway answers 200 once its read models include the write (the gateway
waits, boundedly, and answers 504 when the bound passes first: then the bench asks again).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import asyncpg
import httpx

from backan_shared.consistency import HEADER as CONSISTENCY_TOKEN
from harness.bench.clients import Endpoint, client
from harness.bench.commands import record_one
from harness.bench.latency import Latencies
from harness.bench.replay import bench_feeds
from harness.bench.system import BenchSystem
from harness.bench.workload import Survey

RATE = 200
SETTLE_SECONDS = 10.0  # after the last survey is sent, how long the phase waits for the stragglers
WRITERS = 64  # surveys awaiting their answer at most: past that the sender waits, and the rate it held is said
READERS = 256  # connections for the reads in flight, so no read queues for a connection in the client


@dataclass
class Propagation:
    """Commit-to-visible latencies, and the surveys' own answers (their rate shows whether the load was held).

    A write not visible when the phase ends counts with the time it had waited by then: a lower bound, so an
    overloaded system cannot look fast by losing its slowest writes from the percentiles.
    """

    visible: Latencies = field(default_factory=Latencies)
    commands: Latencies = field(default_factory=Latencies)
    started: float = field(default_factory=time.monotonic)
    last_commit: float = 0.0


@dataclass(frozen=True)
class _Phase:
    write: httpx.AsyncClient
    read: httpx.AsyncClient
    writing: asyncio.Semaphore
    deadline: float


async def measure_propagation(
    writer: Endpoint,
    reader: Endpoint,
    surveys: Iterator[Survey],
    *,
    seconds: float,
    rate: int = RATE,
    settle_seconds: float = SETTLE_SECONDS,
) -> Propagation:
    """Send `rate` surveys a second for `seconds`, each followed by reads until the view includes it."""
    result = Propagation()
    async with client(writer, WRITERS) as write, client(reader, READERS) as read:
        phase = _Phase(write, read, asyncio.Semaphore(WRITERS), result.started + seconds + settle_seconds)
        tasks = await _send_on_schedule(phase, surveys, result, seconds, rate)
        _, late = await asyncio.wait(tasks, timeout=max(0.0, phase.deadline - time.monotonic()))
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    result.commands.failures.update({"no answer before the phase ended": len(late)} if late else {})
    result.commands.elapsed = max(result.last_commit - result.started, seconds)
    return result


async def _send_on_schedule(
    phase: _Phase, surveys: Iterator[Survey], result: Propagation, seconds: float, rate: int
) -> list[asyncio.Task[None]]:
    tasks = []
    for n, survey in enumerate(surveys):
        await asyncio.sleep(max(0.0, result.started + n / rate - time.monotonic()))
        await phase.writing.acquire()
        if time.monotonic() - result.started >= seconds:
            phase.writing.release()
            break
        tasks.append(asyncio.create_task(_write_then_read(phase, survey, result)))
    return tasks


async def _write_then_read(phase: _Phase, survey: Survey, result: Propagation) -> None:
    try:
        answer = await record_one(phase.write, survey, result.commands)
    finally:
        phase.writing.release()
    if answer is None:
        return
    committed = result.last_commit = time.monotonic()
    token = answer.headers.get(CONSISTENCY_TOKEN)
    if token is None:
        result.visible.failures["no Consistency-Token in the answer"] += 1
        return
    path = f"/v1/communes/{survey.household.commune_code}/dashboard"
    try:
        async with asyncio.timeout_at(_loop_time(phase.deadline)):
            outcome = await _read_until_visible(phase.read, path, token)
    except TimeoutError:
        outcome = "not visible when the phase ended (measured with its wait so far)"
        result.visible.seconds.append(time.monotonic() - committed)
    if outcome == "visible":
        result.visible.seconds.append(time.monotonic() - committed)
    else:
        result.visible.failures[outcome] += 1


def _loop_time(monotonic_deadline: float) -> float:
    # asyncio.timeout_at takes the loop's clock; convert from time.monotonic().
    return asyncio.get_running_loop().time() + monotonic_deadline - time.monotonic()


async def _read_until_visible(read: httpx.AsyncClient, path: str, token: str) -> str:
    while True:
        try:
            seen = await read.get(path, headers={CONSISTENCY_TOKEN: token})
        except httpx.TransportError:
            continue  # e.g. a keep-alive connection the server closed as it was reused: ask again
        if seen.status_code == 200:
            return "visible"
        if seen.status_code != 504:  # 504: not yet visible within the gateway's own bound; ask again
            return f"HTTP {seen.status_code}"


async def caught_up(system: BenchSystem) -> bool:
    """Whether the gateway has applied every integration event household-registry has written."""
    household = next(feed for feed in bench_feeds(system) if feed.name == "household")
    registry = await asyncpg.connect(system.database_url("household-registry"))
    gateway = await asyncpg.connect(system.database_url("gateway"))
    try:
        written = await registry.fetchval("SELECT count(*) FROM outbox")
        applied = await gateway.fetchval(
            "SELECT count(*) FROM processed_events WHERE consumer_group = $1", household.group_id
        )
    finally:
        await registry.close()
        await gateway.close()
    return bool(applied >= written)


async def wait_until_caught_up(system: BenchSystem, *, within: float) -> bool:
    """Wait until the gateway has drained what earlier phases wrote, so no backlog is measured; False if it
    has not after `within` seconds (then the propagation measured includes the rest of the backlog)."""
    try:
        async with asyncio.timeout(within):
            while True:
                if await caught_up(system):
                    return True
                await asyncio.sleep(0.2)  # a poll of two counts; the timeout bounds the wait
    except TimeoutError:
        return False
