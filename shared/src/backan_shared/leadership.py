"""Work that one replica at a time must do, woken by PostgreSQL notifications: the outbox relay, the registry's
publication of poverty figures.

The leader is whoever holds a session advisory lock. The lock belongs to a connection of the loop's own, so
when that session ends (a restart, a failover, a terminated backend) another replica can take it; the loop then
stops working and competes for the lock again rather than carry on through a pool and make two leaders. While
leading it runs `step` on every notification on its channel and on a polling tick (a notification can be missed
while reconnecting), again at once while `step` says more is waiting, and backs off while `step` fails.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import asyncpg

from backan_shared.logs import get_logger

log = get_logger(__name__)

Step = Callable[[], Awaitable[bool]]
"""One round of work; True when more is waiting already (the loop goes again without waiting)."""


class LeaderLoop:
    """Runs `step` in the replica holding `lock_key`, until `stop()`."""

    def __init__(
        self,
        database_url: str,
        *,
        name: str,
        lock_key: int,
        channel: str,
        step: Step,
        on_failure: Callable[[], Awaitable[None]] | None = None,
        poll_interval: float = 1.0,
        max_backoff: float = 5.0,
    ) -> None:
        self._database_url = database_url
        self._name = name
        self._lock_key = lock_key
        self._channel = channel
        self._step = step
        self._on_failure = on_failure
        self._poll_interval = poll_interval
        self._max_backoff = max_backoff
        self._wakeup = asyncio.Event()
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Lead whenever the lock can be had; reconnect with backoff whenever the session is lost."""
        backoff = 0.1
        while not self._stopping.is_set():
            try:
                await self._lead()
                backoff = 0.1
            except Exception as failure:  # the database away: reconnect and compete for the lock again
                log.warning(f"{self._name} lost its session; backing off", error=repr(failure), backoff_s=backoff)
                await self.sleep_unless_stopping(backoff)
                backoff = min(backoff * 2, self._max_backoff)

    async def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()

    async def sleep_unless_stopping(self, seconds: float) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _lead(self) -> None:
        session: asyncpg.Connection = await asyncpg.connect(self._database_url)
        try:
            await self._wait_for_leadership(session)
            session.add_termination_listener(self._notified)
            await session.add_listener(self._channel, self._notified)
            backoff = 0.1
            while not self._stopping.is_set() and not session.is_closed():
                try:
                    more = await self._step()
                    backoff = 0.1
                except Exception as failure:  # Kafka or the database away: nothing is lost, try again later
                    log.warning(f"{self._name} failed; backing off", error=repr(failure), backoff_s=backoff)
                    if self._on_failure is not None:
                        await self._on_failure()
                    await self.sleep_unless_stopping(backoff)
                    backoff = min(backoff * 2, self._max_backoff)
                    continue
                if not more:
                    await self._wait_for_work()
        finally:
            with contextlib.suppress(Exception):
                await session.close()

    def _notified(self, *_: object) -> None:
        self._wakeup.set()

    async def _wait_for_leadership(self, session: asyncpg.Connection) -> None:
        while not self._stopping.is_set():
            if await session.fetchval("SELECT pg_try_advisory_lock($1)", self._lock_key):
                return
            await self.sleep_unless_stopping(self._poll_interval)

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout=self._poll_interval)
        self._wakeup.clear()
