"""Reading a household: its view for anyone the gateway lets through, its head only for a reader entitled to
personal data, and every such read written to the audit trail before the data is returned."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from household_registry.adapters.audit import record_personal_data_access
from household_registry.adapters.crypto import FieldCipher
from household_registry.adapters.event_codec import HouseholdEventCodec
from household_registry.adapters.household_view import fetch_household_view
from household_registry.adapters.personal_data import EncryptedHeads
from household_registry.domain.errors import HouseholdNotRegisteredError
from household_registry.domain.events import HouseholdRegistered
from household_registry.domain.personal_data import HeadOfHousehold
from household_registry.service_layer.aggregates import stream_id
from household_registry.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class PersonalDataReading:
    """The head of household, or None once the personal data was erased."""

    head: HeadOfHousehold | None

    @property
    def erased(self) -> bool:
        return self.head is None


async def household_view(services: Dependencies, household_id: uuid.UUID) -> Mapping[str, Any]:
    """The household's view row; a household the registry does not know is a 404."""
    async with services.pool.acquire() as conn:
        row = await fetch_household_view(conn, household_id)
    if row is None:
        raise HouseholdNotRegisteredError(f"no household {household_id} is registered")
    return dict(row)


async def read_personal_data(services: Dependencies, household_id: uuid.UUID, *, reader: str) -> PersonalDataReading:
    """Decrypt the head for `reader`, auditing each field read in the same transaction as the key lookup."""
    async with services.pool.acquire() as conn, conn.transaction():
        data_key = await services.keys.load(conn, household_id)
        if data_key is None:
            return PersonalDataReading(None)
        head = await _decrypted_head(services, household_id, data_key)
        await record_personal_data_access(conn, household_id, fields_present(head), action="read", actor=reader)
    return PersonalDataReading(head)


def fields_present(head: HeadOfHousehold) -> list[str]:
    """The personal fields a reading of this head discloses (a missing phone discloses nothing)."""
    return ["full_name", "national_id", *(["phone"] if head.phone else [])]


async def _decrypted_head(services: Dependencies, household_id: uuid.UUID, data_key: bytes) -> HeadOfHousehold:
    codec = HouseholdEventCodec(EncryptedHeads(FieldCipher(household_id, data_key)))
    registration = codec.decode((await services.store.load(stream_id(household_id)))[0])
    if not isinstance(registration, HouseholdRegistered) or registration.head is None:
        raise HouseholdNotRegisteredError(f"household {household_id}'s stream does not start with its registration")
    return registration.head
