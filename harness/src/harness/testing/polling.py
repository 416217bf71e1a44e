"""Waiting for something that happens asynchronously (a consumer applying an event, a relay publishing a row) by
bounded polling: a test never sleeps for a fixed time and hopes."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

# Long enough for a consumer group to join, be assigned its partitions and apply a few events on a loaded
# two-CPU CI machine; short enough that a wait that will never succeed fails well inside the test timeout.
EVENTUALLY_SECONDS = 20.0
# Often enough that a test does not idle long after its condition holds, rarely enough not to load the database.
POLL_INTERVAL_SECONDS = 0.05


async def eventually(
    probe: Callable[[], Awaitable[T] | T],
    until: Callable[[T], bool] = bool,
    *,
    within: float = EVENTUALLY_SECONDS,
    what: str = "the condition awaited",
) -> T:
    """Poll `probe` (plain or async) until `until(value)` holds and return that value; after `within` seconds,
    fail the test saying `what` did not happen and the last value seen."""
    last: T | None = None
    try:
        async with asyncio.timeout(within):
            while True:
                value = probe()
                last = await value if inspect.isawaitable(value) else value
                if until(last):
                    return last
                await asyncio.sleep(POLL_INTERVAL_SECONDS)
    except TimeoutError:
        raise AssertionError(f"{what} did not happen within {within:g} s; last observed {last!r}") from None
