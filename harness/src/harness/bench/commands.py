"""Commands per second: surveys recorded by 32 concurrent clients (a closed loop: each sends its next survey
as soon as the last one is answered), straight to household-registry or through the gateway."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx

from harness.bench.clients import Endpoint, client
from harness.bench.latency import Latencies
from harness.bench.workload import Survey

CLIENTS = 32


async def record_surveys(
    endpoint: Endpoint, surveys: Iterator[Survey], *, seconds: float, clients: int = CLIENTS
) -> Latencies:
    """Record surveys for `seconds` (or until they run out) and return every answer's latency."""
    latencies = Latencies()
    async with client(endpoint, clients) as http:
        await _warm_up(http, surveys, clients)
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(_caller(http, surveys, deadline, latencies) for _ in range(clients)))
        latencies.elapsed = time.monotonic() - started
    return latencies


async def _warm_up(http: httpx.AsyncClient, surveys: Iterator[Survey], clients: int) -> None:
    # Opens every connection and warms the services' caches; these answers are not counted.
    deadline, ignored = time.monotonic() + 2.0, Latencies()
    await asyncio.gather(*(_caller(http, surveys, deadline, ignored, limit=2) for _ in range(clients)))


async def _caller(
    http: httpx.AsyncClient, surveys: Iterator[Survey], deadline: float, latencies: Latencies, limit: int = 0
) -> None:
    sent = 0
    while time.monotonic() < deadline and (not limit or sent < limit):
        survey = next(surveys, None)
        if survey is None:
            return
        await record_one(http, survey, latencies)
        sent += 1


async def record_one(http: httpx.AsyncClient, survey: Survey, latencies: Latencies) -> httpx.Response | None:
    """Send one survey; its latency counts only when it was recorded (201)."""
    began = time.monotonic()
    try:
        answer = await http.post(survey.path, json=survey.body)
    except httpx.HTTPError as error:
        latencies.failures[type(error).__name__] += 1
        return None
    if answer.status_code != 201:
        latencies.failures[f"HTTP {answer.status_code}"] += 1
        return None
    latencies.seconds.append(time.monotonic() - began)
    return answer
