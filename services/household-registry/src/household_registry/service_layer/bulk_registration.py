"""Registering households in bulk: an internal path (no route) for loading an existing register, or a test's tens
of thousands of households, through the registry's own rules.

Each household is decided and protected as `register_household` does it (its head encrypted under a new data key,
its national ID claimed by keyed hash, its registration published), and a batch is written in one transaction.
A batch with a national ID registered already, or given twice, writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from household_registry.adapters.crypto import FieldCipher, new_data_key
from household_registry.adapters.event_codec import HouseholdEventCodec
from household_registry.adapters.personal_data import EncryptedHeads
from household_registry.domain.commands import RegisterHousehold
from household_registry.domain.household import Household
from household_registry.service_layer.batch_writing import DecidedHousehold, write_decided
from household_registry.service_layer.dependencies import Dependencies

BATCH = 2000


async def register_households(services: Dependencies, commands: Sequence[RegisterHousehold]) -> None:
    """Register every household, `BATCH` to a transaction."""
    for start in range(0, len(commands), BATCH):
        await _register_batch(services, commands[start : start + BATCH])


async def _register_batch(services: Dependencies, commands: Sequence[RegisterHousehold]) -> None:
    keys = [(command.household_id, new_data_key()) for command in commands]
    decided = [_decided(services, command, key) for command, (_, key) in zip(commands, keys, strict=True)]
    claims = [(command.head.national_id, command.household_id) for command in commands]
    async with services.pool.acquire() as conn, conn.transaction():
        await services.national_ids.claim_many(conn, claims)
        await services.keys.save_many(conn, keys)
        await write_decided(conn, decided)


def _decided(services: Dependencies, command: RegisterHousehold, data_key: bytes) -> DecidedHousehold:
    codec = HouseholdEventCodec(EncryptedHeads(FieldCipher(command.household_id, data_key)))
    events = Household.register(command, services.reference.units)
    after = Household.replay(events)
    messages = services.publisher.messages(None, events, after)
    return DecidedHousehold(after, 0, [codec.encode(event) for event in events], messages)
