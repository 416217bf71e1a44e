"""Bulk import: 100,000 survey rows of an annual review (rà soát) posted as one CSV file to household-registry's
`POST /v1/households/imports`, timed until its poverty statistics count every row.

An annual review surveys each household once for the review year, so the file has one row per household, all of
one year: 100,000 households. (Until session 3 of issue 7 it spread 11,112 households over the nine years the
standards cover, a workload no review has: each household's later rows replayed ever longer histories.) The
households are registered first through the registry's own bulk path (an internal function, no route), in this
process: thousands per transaction, so setting up is not what is measured. The registry records the file in the
background; the bench follows the import, then reads the province's figures of the year until they count the
imported households.
"""

from __future__ import annotations

import asyncio
import io
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import asyncpg
import httpx
from aiokafka import TopicPartition

from backan_shared.api.households import HeadCreate
from backan_shared.database import create_pool
from harness.bench.clients import Endpoint, client
from harness.bench.rebuild import registry_services
from harness.bench.replay import bench_feeds
from harness.bench.system import BenchSystem
from harness.bench.workload import Household, household_body, review_years, survey_body
from harness.kafka_topics import committed_offsets, end_offsets, partitions_of
from harness.progress import say
from household_registry.domain.commands import RegisterHousehold
from household_registry.domain.poverty_standard import Area
from household_registry.entrypoints.household_routes import head_of_household
from household_registry.service_layer.bulk_registration import register_households as register_in_bulk
from household_registry.service_layer.handlers import new_household_id

IMPORT_PATH = "/v1/households/imports"
ROWS = 100_000
REVIEW_YEAR = 2025  # the review the province ran at the end of 2025 (a year the 2022–2025 standard covers)
PROVINCE = "06"
FIRST_NATIONAL_ID = 500_000_000  # far above the ids the REST registrations use: no duplicate claim


class ImportNotMeasured(RuntimeError):
    """The import could not be timed to the end; the message says why and how far it came."""


@dataclass(frozen=True)
class ImportTiming:
    seconds: float
    rows_per_second: float


def why_not_available(system: BenchSystem) -> str | None:
    """None when the registry serves the import route, else why the import cannot be measured."""
    document = httpx.get(f"{system.url('household-registry')}/openapi.json", timeout=10).json()
    if "post" not in document.get("paths", {}).get(IMPORT_PATH, {}):
        return f"household-registry has no POST {IMPORT_PATH} yet"
    return None


def _command(number: int, rng: random.Random) -> RegisterHousehold:
    body = household_body(FIRST_NATIONAL_ID + number, rng)
    return RegisterHousehold(
        household_id=new_household_id(),
        commune_code=body["commune_code"],
        area=Area(body["area"]),
        ethnic_minority=body["ethnic_minority"],
        members=body["members"],
        head=head_of_household(HeadCreate(**body["head"])),
    )


async def register_for_import(system: BenchSystem, rows: int) -> list[Household]:
    """A household for each of the `rows` surveys, registered in bulk."""
    rng = random.Random(2025)
    commands = [_command(n, rng) for n in range(rows)]
    pool = await create_pool(system.database_url("household-registry"), min_size=1, max_size=2)
    try:
        await register_in_bulk(registry_services(system, pool), commands)
    finally:
        await pool.close()
    return [Household(str(c.household_id), c.commune_code, c.area) for c in commands]


def review_file(households: list[Household], rows: int) -> tuple[bytes, Counter[int]]:
    """The CSV of the review year's `rows` surveys, one per household, and how many rows each year has."""
    if REVIEW_YEAR not in review_years():
        raise ImportNotMeasured(f"no poverty standard of the registry covers the review year {REVIEW_YEAR}")
    rng, per_year, out = random.Random(2026), Counter[int](), io.StringIO()
    out.write("household_id,year,income_per_capita_vnd,deprivations\n")
    for household in households[:rows]:
        survey = survey_body(REVIEW_YEAR, household.area, rng)
        out.write(f"{household.household_id},{REVIEW_YEAR},{survey['income_per_capita_vnd']},")
        out.write(";".join(survey["deprivations"]) + "\n")
        per_year[REVIEW_YEAR] += 1
    return out.getvalue().encode(), per_year


async def province_households(http: httpx.AsyncClient, years: list[int]) -> Counter[int]:
    """Households the registry's statistics count in the province, per year."""
    counts = Counter[int]()
    for year in years:
        answer = await http.get("/v1/poverty", params={"unit_code": PROVINCE, "year": year})
        answer.raise_for_status()
        counts[year] = int(answer.json()["households"])
    return counts


async def time_import(registry: Endpoint, content: bytes, per_year: Counter[int], *, within: float) -> ImportTiming:
    """Post the file and wait until the statistics count every row; `within` seconds at most."""
    async with client(registry, 4) as http:
        expected = await province_households(http, sorted(per_year)) + per_year
        started = time.monotonic()
        posted = await http.post(IMPORT_PATH, content=content, headers={"content-type": "text/csv"})
        if posted.status_code not in (200, 202):
            raise ImportNotMeasured(f"the import was refused: HTTP {posted.status_code} {posted.text[:200]}")
        state = await _follow(http, posted.headers["location"], started, within)
        rate = state["rows_done"] / (time.monotonic() - started)
        await _until_counted(http, expected, started, within, state)
        return ImportTiming(time.monotonic() - started, rate)


async def _follow(http: httpx.AsyncClient, location: str, started: float, within: float) -> dict[str, Any]:
    last_said = time.monotonic()
    while True:
        state: dict[str, Any] = (await http.get(location)).json()
        if state["status"] == "failed" or state.get("rows_failed"):
            raise ImportNotMeasured(f"the import {state['status']}: {state.get('error') or state.get('failures')}")
        if state["status"] == "completed":
            return state
        _check_deadline(started, within, state)
        if time.monotonic() - last_said > 10:
            say(f"bulk import: {state['rows_done']}/{state['rows_total']} rows recorded so far")
            last_said = time.monotonic()
        await asyncio.sleep(0.25)


async def _until_counted(
    http: httpx.AsyncClient, expected: Counter[int], started: float, within: float, state: dict[str, Any]
) -> None:
    while not await province_households(http, sorted(expected)) >= expected:
        _check_deadline(started, within, state)
        await asyncio.sleep(0.25)


def _check_deadline(started: float, within: float, state: dict[str, Any]) -> None:
    elapsed = time.monotonic() - started
    if elapsed > within:
        raise ImportNotMeasured(
            f"not finished within the bench's bound of {within:.0f}s: {state['rows_done']}/{state['rows_total']} "
            f"rows done ({state['rows_done'] / elapsed:.0f} rows/s), status {state['status']}"
        )


async def wait_until_registrations_read(system: BenchSystem, *, within: float) -> bool:
    """Wait until the registrations are published and every service reading the household topic has read it to
    its end: the register exists months before a review, so its registrations still flowing to the other
    services is not part of the import; False if that has not happened after `within` seconds."""
    bootstrap = system.kafka.bootstrap_servers
    topic = system.kafka_names("household-registry")["HOUSEHOLD_TOPIC"]
    readers = [
        next(feed.group_id for feed in bench_feeds(system) if feed.name == "household"),
        system.kafka_names("campaign-ledger")["HOUSEHOLD_CONSUMER_GROUP"],
        system.kafka_names("dti-scoring")["HOUSEHOLD_FEED_GROUP"],
    ]
    try:
        async with asyncio.timeout(within):
            await _until(partial(_all_published, system))
            ends = await end_offsets(bootstrap, await partitions_of(bootstrap, topic))
            for group in readers:
                await _until(partial(_read_to, bootstrap, group, ends))
        return True
    except TimeoutError:
        return False


async def _until(check: Callable[[], Awaitable[bool]]) -> None:
    while True:
        if await check():
            return
        await asyncio.sleep(0.5)  # the polling interval; the caller's timeout bounds the wait


async def _all_published(system: BenchSystem) -> bool:
    """Whether the registry's relay has published every integration event written so far."""
    conn = await asyncpg.connect(system.database_url("household-registry"))
    try:
        return not await conn.fetchval("SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL)")
    finally:
        await conn.close()


async def _read_to(bootstrap: str, group: str, ends: dict[TopicPartition, int]) -> bool:
    """Whether the group has committed at least these offsets."""
    committed = await committed_offsets(bootstrap, group)
    return all(committed.get(tp, 0) >= end for tp, end in ends.items() if end > 0)
