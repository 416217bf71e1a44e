"""Reading a household: its view without sensitive facts for anyone the gateway lets through; the whole view
and the head only for a reader entitled to personal data, every field disclosed written to the audit trail in
the transaction that reads it, so a read whose audit fails returns nothing. And the trail itself, for auditors.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import asyncpg

from household_registry.adapters.audit import AuditFilter, fetch_personal_data_accesses, record_personal_data_access
from household_registry.adapters.crypto import FieldCipher
from household_registry.adapters.event_codec import HouseholdEventCodec
from household_registry.adapters.household_view import fetch_household_view, sensitive_facts_in, without_sensitive_facts
from household_registry.adapters.personal_data import EncryptedHeads
from household_registry.domain.errors import HouseholdNotRegisteredError
from household_registry.domain.events import HouseholdRegistered
from household_registry.domain.personal_data import HeadOfHousehold
from household_registry.service_layer.aggregates import stream_id
from household_registry.service_layer.dependencies import Dependencies


@dataclass(frozen=True)
class PersonalDataReading:
    """The whole view, sensitive facts included, and the head of household (None once erased)."""

    view: Mapping[str, Any]
    head: HeadOfHousehold | None

    @property
    def erased(self) -> bool:
        return self.head is None


async def household_view(services: Dependencies, household_id: uuid.UUID) -> Mapping[str, Any]:
    """The household's view without its sensitive facts; a household the registry does not know is a 404."""
    async with services.pool.acquire() as conn:
        return without_sensitive_facts(await _view(conn, household_id))


async def read_personal_data(services: Dependencies, household_id: uuid.UUID, *, reader: str) -> PersonalDataReading:
    """The whole view and the head for `reader`, each sensitive and personal field read audited in one transaction
    with the reads, before anything is returned."""
    async with services.pool.acquire() as conn, conn.transaction():
        view = await _view(conn, household_id)
        await record_personal_data_access(conn, household_id, sensitive_facts_in(view), action="read", actor=reader)
        data_key = await services.keys.load(conn, household_id)
        if data_key is None:
            return PersonalDataReading(view, None)
        head = await _decrypted_head(services, household_id, data_key)
        await record_personal_data_access(conn, household_id, fields_present(head), action="read", actor=reader)
    return PersonalDataReading(view, head)


async def personal_data_audit(
    services: Dependencies, wanted: AuditFilter, *, after: int, limit: int
) -> list[Mapping[str, Any]]:
    """A page of the audit trail: field names, actors and times, never a value."""
    async with services.pool.acquire() as conn:
        return [dict(row) for row in await fetch_personal_data_accesses(conn, wanted, after=after, limit=limit)]


async def _view(conn: asyncpg.Connection, household_id: uuid.UUID) -> Mapping[str, Any]:
    row = await fetch_household_view(conn, household_id)
    if row is None:
        raise HouseholdNotRegisteredError(f"no household {household_id} is registered")
    return dict(row)


def fields_present(head: HeadOfHousehold) -> list[str]:
    """The personal fields a reading of this head discloses (a missing phone discloses nothing)."""
    return ["full_name", "national_id", *(["phone"] if head.phone else [])]


async def _decrypted_head(services: Dependencies, household_id: uuid.UUID, data_key: bytes) -> HeadOfHousehold:
    codec = HouseholdEventCodec(EncryptedHeads(FieldCipher(household_id, data_key)))
    registration = codec.decode((await services.store.load(stream_id(household_id)))[0])
    if not isinstance(registration, HouseholdRegistered) or registration.head is None:
        raise HouseholdNotRegisteredError(f"household {household_id}'s stream does not start with its registration")
    return registration.head
