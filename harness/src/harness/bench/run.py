"""Runs the benchmarks that exist so far and reports them."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg

from harness.bench import append
from harness.bench.results import RESULTS, Results
from harness.postgres import PostgresServer
from harness.progress import step


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


def run_benchmarks(server: PostgresServer, *, quick: bool) -> Results:
    seconds = 8.0 if quick else 30.0
    results = Results()
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
    results.write("quick" if quick else "full")
    print(results.table())
    print(f"\nwritten to {RESULTS.relative_to(RESULTS.parents[2])}")
    return results
