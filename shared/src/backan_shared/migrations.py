"""SQL migrations, applied in order at startup and recorded, so every database knows its own schema.

A migration source is a namespace ("shared", or the service's name) and a folder of `NNN_name.sql` files.
The shared mechanisms (event store, outbox, consumer records, idempotency keys) ship their own source; each
service adds one for its read models. An advisory lock lets several replicas start at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import asyncpg

SHARED_MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_KEY = 7_301_946_512  # any constant; it only has to be the same for every replica


@dataclass(frozen=True)
class MigrationSource:
    namespace: str
    folder: Path

    def scripts(self) -> list[tuple[int, str, str]]:
        found = []
        for path in sorted(self.folder.glob("*.sql")):
            number, _, name = path.stem.partition("_")
            found.append((int(number), name, path.read_text()))
        numbers = [n for n, _, _ in found]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"two migrations share a number in {self.folder}")
        return sorted(found)


async def apply_migrations(pool: asyncpg.Pool, sources: list[MigrationSource]) -> list[str]:
    """Apply every migration not yet recorded; return the ones applied now, as namespace/NNN_name."""
    applied_now: list[str] = []
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   namespace text NOT NULL,
                   version integer NOT NULL,
                   name text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(),
                   PRIMARY KEY (namespace, version))"""
        )
        for source in sources:
            done = {
                row["version"]
                for row in await conn.fetch(
                    "SELECT version FROM schema_migrations WHERE namespace = $1", source.namespace
                )
            }
            for version, name, sql in source.scripts():
                if version in done:
                    continue
                await conn.execute(sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (namespace, version, name) VALUES ($1, $2, $3)",
                    source.namespace,
                    version,
                    name,
                )
                applied_now.append(f"{source.namespace}/{version:03d}_{name}")
    return applied_now
