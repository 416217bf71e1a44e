"""A database of a test's own on the shared PostgreSQL server, so tests never see each other's rows (nor those
of a running `./dx up`)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg


@asynccontextmanager
async def temporary_database(admin_url: str, prefix: str = "test") -> AsyncIterator[str]:
    """A new, empty database named `<prefix>_<random>`: its URL for the block, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    await _administer(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        # FORCE: a pool the test forgot to close must not keep its database alive.
        await _administer(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _administer(admin_url: str, statement: str) -> None:
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(statement)
    finally:
        await admin.close()
