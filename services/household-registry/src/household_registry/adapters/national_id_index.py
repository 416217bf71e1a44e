"""The duplicate check on national ID numbers, by keyed hash: the index never holds an ID in clear."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg

from household_registry.adapters.crypto import MasterKey
from household_registry.domain.errors import DuplicateNationalIdError
from household_registry.domain.personal_data import NationalId


class PostgresNationalIdIndex:
    """Claims a national ID for one household; erasure releases the claim."""

    def __init__(self, master: MasterKey) -> None:
        self._master = master

    async def claim(self, conn: asyncpg.Connection, national_id: NationalId, household_id: uuid.UUID) -> None:
        """Record that this ID belongs to this household; another household's claim is a conflict."""
        claimed = await conn.fetchval(
            """INSERT INTO national_id_index (national_id_digest, household_id) VALUES ($1, $2)
               ON CONFLICT (national_id_digest) DO NOTHING RETURNING true""",
            self._master.national_id_digest(national_id.value),
            household_id,
        )
        if not claimed:
            # The message names neither the ID nor the other household: both would disclose personal data.
            raise DuplicateNationalIdError("a household with this national ID number is registered already")

    async def claim_many(self, conn: asyncpg.Connection, claims: Sequence[tuple[NationalId, uuid.UUID]]) -> None:
        """Claim many IDs in one statement; if any is taken (or given twice), none may stand: the caller's
        transaction must roll back."""
        digests = [self._master.national_id_digest(national_id.value) for national_id, _ in claims]
        claimed = await conn.fetchval(
            """WITH claimed AS (
                   INSERT INTO national_id_index (national_id_digest, household_id)
                   SELECT * FROM unnest($1::bytea[], $2::uuid[]) ON CONFLICT (national_id_digest) DO NOTHING
                   RETURNING 1)
               SELECT count(*) FROM claimed""",
            digests,
            [household_id for _, household_id in claims],
        )
        if claimed != len(claims):
            raise DuplicateNationalIdError("a household with one of these national ID numbers is registered already")

    async def release(self, conn: asyncpg.Connection, household_id: uuid.UUID) -> None:
        """Forget the household's digest (it is personal data too: it links the person across systems)."""
        await conn.execute("DELETE FROM national_id_index WHERE household_id = $1", household_id)
