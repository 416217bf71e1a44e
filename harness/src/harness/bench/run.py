"""`./dx bench`: every benchmark in one run on this machine, then the table and bench/results/latest.json.

First the event store's appends on a scratch database; then the bench's own copy of the four services
(system.py) takes surveys straight and through the gateway, at a steady rate for propagation, rebuilds and
replays; their memory is read last, before they stop.
"""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, contextmanager, nullcontext
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path

import asyncpg
import structlog

from backan_shared.garbage_collection import tune_for_a_long_running_service
from harness.bench import append, bulk_import, clients, memory, profile, system
from harness.bench.commands import CLIENTS, record_surveys
from harness.bench.latency import Latencies
from harness.bench.propagation import RATE, measure_propagation, wait_until_caught_up
from harness.bench.rebuild import registry_rebuild
from harness.bench.replay import gateway_rebuild, raw_consume
from harness.bench.results import RESULTS, Results
from harness.bench.workload import Survey, annual_reviews, register_households
from harness.kafka import KafkaCluster
from harness.postgres import PostgresServer
from harness.progress import say, step


@dataclass(frozen=True)
class Scale:
    """How long each measurement runs and how many households it works on."""

    mode: str
    append_seconds: float
    command_seconds: float
    propagation_seconds: float
    households: int
    import_bound_seconds: float  # the bulk import is given up (and said so) past this
    propagation_rate: int = RATE
    settle_seconds: float = 10.0  # how long the propagation phase waits for the writes sent last
    import_rows: int = bulk_import.ROWS
    catch_up_seconds: float = 120.0  # how long the gateway may take to drain the command phases' events


QUICK = Scale("quick", 4, 6, 6, households=800, import_bound_seconds=60, catch_up_seconds=20)
FULL = Scale("full", 30, command_seconds=30, propagation_seconds=30, households=3000, import_bound_seconds=600)


async def _fresh_database(server: PostgresServer) -> str:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(server.admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name


async def _drop_database(server: PostgresServer, name: str) -> None:
    conn = await asyncpg.connect(server.admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def measure_appends(server: PostgresServer, seconds: float, results: Results) -> None:
    """append_eps, raw_append_eps, peer_append_eps and their ratios, on a scratch database."""
    name = asyncio.run(_fresh_database(server))
    url = server.database_url(name)
    try:
        with step(f"append: our event store, {append.WRITERS} writers, {seconds:.0f}s"):
            results.record("append_eps", asyncio.run(append.our_store(url, seconds)), "events/s")
        with step(f"append: plain asyncpg inserts, {append.WRITERS} connections, {seconds:.0f}s"):
            results.record("raw_append_eps", asyncio.run(append.raw_inserts(url, seconds)), "events/s")
        with step(f"append: eventsourcing's PostgreSQL recorder, {append.WRITERS} threads, {seconds:.0f}s"):
            results.record("peer_append_eps", append.peer_recorder(url, seconds), "events/s")
    finally:
        asyncio.run(_drop_database(server, name))
    results.ratio("append_vs_raw", "append_eps", "raw_append_eps")
    results.ratio("append_vs_peer", "append_eps", "peer_append_eps")


def _profiled(
    bench: system.BenchSystem, service: str, phase: str, enabled: bool
) -> AbstractAsyncContextManager[profile.Profile | None]:
    if not enabled:
        return nullcontext()
    database = system.database_name(bench.services[service], bench.run_id)
    return profile.profiled(bench.services[service].name, bench.postgres.admin_url, database, service, phase)


def _record_load(results: Results, prefix: str, latencies: Latencies) -> None:
    results.record(f"{prefix}_rps", latencies.rate, "commands/s")
    results.record(f"{prefix}_p50_ms", latencies.percentile_ms(50), "ms")
    results.record(f"{prefix}_p99_ms", latencies.percentile_ms(99), "ms")
    _say_failures(prefix, latencies)


def _say_failures(what: str, latencies: Latencies) -> None:
    if latencies.failures:
        say(f"{what}: {len(latencies.seconds)} measured; besides: {latencies.failure_note()}")


async def measure_commands(
    bench: system.BenchSystem, surveys: Iterator[Survey], scale: Scale, results: Results, *, profiling: bool
) -> list[profile.Profile]:
    """command_* straight to household-registry, gateway_command_* through the gateway, and their ratio."""
    seconds, profiles = scale.command_seconds, []
    with step(f"commands: surveys straight to household-registry, {CLIENTS} clients, {seconds:.0f}s"):
        async with _profiled(bench, "household-registry", "commands", profiling) as found:
            direct = await record_surveys(clients.registry(bench), surveys, seconds=seconds)
    profiles += [found] if found else []
    _record_load(results, "command", direct)
    with step(f"commands: surveys through the gateway, {CLIENTS} clients, {seconds:.0f}s"):
        async with _profiled(bench, "gateway", "commands", profiling) as found:
            through = await record_surveys(clients.gateway(bench), surveys, seconds=seconds)
    profiles += [found] if found else []
    _record_load(results, "gateway_command", through)
    results.ratio("gateway_vs_direct", "gateway_command_rps", "command_rps")
    return profiles


async def measure_propagation_latency(
    bench: system.BenchSystem, surveys: Iterator[Survey], scale: Scale, results: Results
) -> None:
    """propagation_p50_ms / _p99_ms at a steady rate, once the gateway has drained the earlier phases."""
    with step("waiting until the bench gateway has applied every survey so far"):
        if not await wait_until_caught_up(bench, within=scale.catch_up_seconds):
            say(f"the gateway is still behind after {scale.catch_up_seconds:.0f}s: propagation includes its backlog")
    seconds, rate = scale.propagation_seconds, scale.propagation_rate
    with step(f"propagation: {rate} surveys/s for {seconds:.0f}s, each read back with its Consistency-Token"):
        found = await measure_propagation(
            clients.registry(bench),
            clients.gateway(bench),
            surveys,
            seconds=seconds,
            rate=rate,
            settle_seconds=scale.settle_seconds,
        )
    results.record("propagation_p50_ms", found.visible.percentile_ms(50), "ms")
    results.record("propagation_p99_ms", found.visible.percentile_ms(99), "ms")
    results.record("propagation_load_rps", found.commands.rate, "commands/s")
    _say_failures("propagation commands", found.commands)
    _say_failures("propagation reads", found.visible)


async def measure_rebuilds(bench: system.BenchSystem, results: Results) -> None:
    """rebuild_eps (household-registry from its event store); replay_eps against raw_consume_eps."""
    with step("rebuild: household-registry's read models from its own event store"):
        events, seconds = await registry_rebuild(bench)
    results.record("rebuild_eps", events / seconds, "events/s")
    with step("replay: the gateway rebuilding its composed read models from the topics"):
        progress, seconds = await gateway_rebuild(bench)
    results.record("replay_eps", progress.read / seconds, "events/s")
    if progress.skipped:
        say(f"replay: {progress.skipped} of {progress.read} events could not be applied and were skipped")
    with step("replay: plain aiokafka reading the same messages"):
        messages, seconds = await raw_consume(bench)
    results.record("raw_consume_eps", messages / seconds, "events/s")
    results.ratio("replay_vs_raw", "replay_eps", "raw_consume_eps")


async def measure_system(
    bench: system.BenchSystem, scale: Scale, results: Results, *, profiling: bool
) -> list[profile.Profile]:
    """Every measurement that needs the services, in an order where each leaves the next a realistic state."""
    with step(f"registering {scale.households} households straight in household-registry (32 at a time)"):
        households = await register_households(clients.registry(bench), scale.households)
    surveys = annual_reviews(households)
    # Set aside first, so however fast the command phases run, they cannot use up the steady phase's surveys.
    steady = list(islice(surveys, int(scale.propagation_rate * scale.propagation_seconds)))
    profiles = await measure_commands(bench, surveys, scale, results, profiling=profiling)
    await measure_propagation_latency(bench, iter(steady), scale, results)
    await measure_rebuilds(bench, results)
    return profiles


async def measure_bulk_import(
    bench: system.BenchSystem, scale: Scale, results: Results, *, profiling: bool
) -> list[profile.Profile]:
    """bulk_import_s: 100,000 survey rows imported until the statistics count them (or why not measured)."""
    why = bulk_import.why_not_available(bench)
    if why:
        _not_measured(results, "bulk_import_s", why)
        return []
    rows = scale.import_rows
    with step(f"bulk import: registering households for {rows} survey rows (the registry's bulk path)"):
        households = await bulk_import.register_for_import(bench, rows)
    with step("bulk import: waiting until every service has read the registrations (the register precedes a review)"):
        if not await bulk_import.wait_until_registrations_read(bench, within=scale.catch_up_seconds * 6):
            say("the registrations are still being read: the import measured shares the machine with them")
    found = None
    try:
        content, per_year = bulk_import.review_file(households, rows)
        with step(f"bulk import: {rows} rows posted as one CSV, until the statistics count them"):
            async with _profiled(bench, "household-registry", "bulk-import", profiling) as found:
                timing = await bulk_import.time_import(
                    clients.registry(bench), content, per_year, within=scale.import_bound_seconds
                )
    except bulk_import.ImportNotMeasured as why_not:
        _not_measured(results, "bulk_import_s", str(why_not))
        return [found] if found else []
    results.record("bulk_import_s", timing.seconds, "s")
    results.record("bulk_import_rows_per_s", timing.rows_per_second, "rows/s")
    return [found] if found else []


def _not_measured(results: Results, name: str, why: str) -> None:
    results.skip(name, why)
    say(f"not measured: {name}: {why}")


def measure_memory(bench: system.BenchSystem, results: Results) -> None:
    for name, megabytes in memory.services_resident_mb(bench).items():
        results.record(name, megabytes, "MiB")


@contextmanager
def _quiet_library_logs() -> Iterator[None]:
    # The rebuilds run in this process: a line per skipped event would bury the progress; the counts are said.
    before = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    try:
        yield
    finally:
        structlog.configure(**before)


def run_benchmarks(
    server: PostgresServer,
    cluster: KafkaCluster,
    scale: Scale,
    *,
    profiling: bool = False,
    output: Path = RESULTS,
) -> Results:
    """Run every benchmark at `scale`, print the table and write the JSON to `output`."""
    results = Results()
    tune_for_a_long_running_service()  # the bench's clients and bulk registration allocate as a service does
    with _quiet_library_logs():
        measure_appends(server, scale.append_seconds, results)
        with system.running(server, cluster) as bench:
            profiles = asyncio.run(measure_system(bench, scale, results, profiling=profiling))
            profiles += asyncio.run(measure_bulk_import(bench, scale, results, profiling=profiling))
            measure_memory(bench, results)
    details = {"run_id": bench.run_id, "cpus": os.cpu_count(), "scale": asdict(scale), "profiled": profiling}
    results.write(scale.mode, output, details)
    print(results.table())
    print(f"\nwritten to {output}")
    for found in profiles:
        profile.report(found)
    return results
