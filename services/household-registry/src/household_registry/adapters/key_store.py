"""Per-household data keys in PostgreSQL, wrapped by the master key; destroying one is the erasure.

Every method takes the caller's connection, so a key is created in the registration's transaction and
destroyed in the erasure's: there is never a household without a key or an erased one with a key.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from household_registry.adapters.crypto import MasterKey
from household_registry.domain.errors import StateConflictError


class KeyResurrectionError(StateConflictError):
    """A household whose personal data was erased can never be given a new key."""


class PostgresKeyStore:
    """Creates, reads and destroys households' data keys."""

    def __init__(self, master: MasterKey) -> None:
        self._master = master

    async def save(self, conn: asyncpg.Connection, household_id: uuid.UUID, data_key: bytes) -> None:
        """Store a new household's key; refused for an erased household (the database enforces it too)."""
        saved = await conn.fetchval(
            """INSERT INTO household_keys (household_id, wrapped_key)
               SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM erased_subjects WHERE household_id = $1)
               RETURNING true""",
            household_id,
            self._master.wrap(household_id, data_key),
        )
        if not saved:
            raise KeyResurrectionError(f"household {household_id} was erased; it cannot get a new key")

    async def save_many(self, conn: asyncpg.Connection, keys: Sequence[tuple[uuid.UUID, bytes]]) -> None:
        """Store many new households' keys in one statement (an erased household is refused, as by `save`)."""
        saved = await conn.fetchval(
            """WITH saved AS (
                   INSERT INTO household_keys (household_id, wrapped_key)
                   SELECT k.household_id, k.wrapped_key
                   FROM unnest($1::uuid[], $2::bytea[]) AS k(household_id, wrapped_key)
                   WHERE NOT EXISTS (SELECT 1 FROM erased_subjects e WHERE e.household_id = k.household_id)
                   RETURNING 1)
               SELECT count(*) FROM saved""",
            [household_id for household_id, _ in keys],
            [self._master.wrap(household_id, data_key) for household_id, data_key in keys],
        )
        if saved != len(keys):
            raise KeyResurrectionError("one of these households was erased; it cannot get a new key")

    async def load(self, conn: asyncpg.Connection, household_id: uuid.UUID) -> bytes | None:
        """The household's data key, or None once it was destroyed."""
        wrapped = await conn.fetchval("SELECT wrapped_key FROM household_keys WHERE household_id = $1", household_id)
        return None if wrapped is None else self._master.unwrap(household_id, bytes(wrapped))

    async def destroy(self, conn: asyncpg.Connection, household_id: uuid.UUID, erased_by: str) -> None:
        """Delete the key for good and remember the household as erased."""
        await conn.execute("DELETE FROM household_keys WHERE household_id = $1", household_id)
        await conn.execute(
            "INSERT INTO erased_subjects (household_id, erased_by) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            household_id,
            erased_by,
        )
