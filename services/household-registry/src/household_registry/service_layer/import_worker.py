"""The background worker of annual review imports: an asyncio task in each replica of the registry.

It runs one import at a time: woken by a file posted to this replica, and otherwise looking every few seconds
for an import queued elsewhere or left running by a replica that stopped reporting (it crashed), which it
resumes where its last batch committed. Stopping between batches queues the import again for the next worker.
A fault that is not the database being away (which only delays the import) fails the import with its reason,
so it is not retried for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid

import asyncpg

from backan_shared.logs import get_logger
from household_registry.adapters.review_import_store import (
    ImportClaimLostError,
    ImportRecord,
    claim_next,
    finish,
    release,
)
from household_registry.domain.review_import import ImportStatus
from household_registry.service_layer.dependencies import Dependencies
from household_registry.service_layer.review_imports import ImportOptions, ImportStopping, run_import

log = get_logger(__name__)
_DATABASE_AWAY = (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError, asyncio.TimeoutError)


class ReviewImportWorker:
    """Claims and runs review imports until stopped."""

    def __init__(self, services: Dependencies, options: ImportOptions) -> None:
        self._services, self._options = services, options
        self.name = f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"
        self._wakeup, self._stopping = asyncio.Event(), asyncio.Event()

    def wake(self) -> None:
        """Look for work now (a file was just posted to this replica)."""
        self._wakeup.set()

    async def stop(self) -> None:
        self._stopping.set()
        self._wakeup.set()

    async def run(self) -> None:
        """Claim and run imports until `stop()`."""
        while not self._stopping.is_set():
            claimed = await self._claim()
            if claimed is None:
                await self._idle()
            else:
                await self._run(claimed)

    async def _claim(self) -> ImportRecord | None:
        self._wakeup.clear()
        try:
            async with self._services.pool.acquire() as conn:
                return await claim_next(conn, self.name, self._options.takeover_after_seconds)
        except _DATABASE_AWAY as away:
            log.warning("review imports: database away; looking again later", error=repr(away))
            return None

    async def _idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout=self._options.poll_seconds)

    async def _run(self, claimed: ImportRecord) -> None:
        log.info("review import started", import_id=str(claimed.import_id), rows_done=claimed.progress.rows_done)
        try:
            await run_import(self._services, claimed, self._options, self.name, stopping=self._stopping)
        except ImportStopping:
            await self._release(claimed)
        except ImportClaimLostError:
            log.warning("review import taken over by another worker", import_id=str(claimed.import_id))
        except _DATABASE_AWAY as away:
            # Left running under this worker: it is resumed (by any replica) once its heartbeat is old.
            log.warning("review import interrupted: database away", import_id=str(claimed.import_id), error=repr(away))
        except Exception as fault:
            log.exception("review import failed", import_id=str(claimed.import_id))
            await self._fail(claimed, f"{type(fault).__name__}: {fault}")
        else:
            log.info("review import completed", import_id=str(claimed.import_id))

    async def _release(self, claimed: ImportRecord) -> None:
        with contextlib.suppress(*_DATABASE_AWAY):
            async with self._services.pool.acquire() as conn:
                await release(conn, claimed.import_id, self.name)

    async def _fail(self, claimed: ImportRecord, reason: str) -> None:
        with contextlib.suppress(ImportClaimLostError, *_DATABASE_AWAY):
            async with self._services.pool.acquire() as conn:
                await finish(conn, claimed.import_id, self.name, ImportStatus.FAILED, reason[:1000])
