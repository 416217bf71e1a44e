"""One handler per command: load the household, let the aggregate decide, then append the events, write
the integration events to the outbox and update the read models in one transaction (shared
`handle_command`). A refused command changes nothing.

Personal data is touched in two handlers only: registration encrypts the head under a new data key and
claims the national ID's keyed hash; erasure destroys the key, releases the hash and deletes every other copy.
Every other handler reads the stream with sealed heads and never decrypts anyone.
"""

from __future__ import annotations

import uuid

import asyncpg

from backan_shared.command_handling import CommandResult
from household_registry.adapters.audit import record_personal_data_access
from household_registry.adapters.crypto import FieldCipher, new_data_key
from household_registry.adapters.erasure import delete_personal_data_copies
from household_registry.adapters.event_codec import HouseholdEventCodec
from household_registry.adapters.personal_data import PERSONAL_FIELDS, EncryptedHeads
from household_registry.domain.commands import (
    CorrectSurvey,
    ErasePersonalData,
    RecordInformationAccess,
    RecordSurvey,
    RegisterHousehold,
)
from household_registry.domain.errors import HouseholdAlreadyRegisteredError
from household_registry.domain.events import HouseholdEvent
from household_registry.domain.household import Household
from household_registry.service_layer.execution import Decision, execute, registered, stream_id
from household_registry.service_layer.services import RegistryServices

HouseholdResult = CommandResult[HouseholdEvent]


def new_household_id() -> uuid.UUID:
    """A pseudonymous household id: random, so it says nothing about the household or its head."""
    return uuid.uuid4()


async def register_household(command: RegisterHousehold, services: RegistryServices) -> HouseholdResult:
    """Register a household; its head is stored encrypted under a data key created in the same transaction."""
    data_key = new_data_key()
    codec = HouseholdEventCodec(EncryptedHeads(FieldCipher(command.household_id, data_key)))

    def decide(existing: Household | None) -> list[HouseholdEvent]:
        if existing is not None:
            raise HouseholdAlreadyRegisteredError(f"household {command.household_id} is registered already")
        return Household.register(command, services.reference.units)

    async def protect(conn: asyncpg.Connection, _: Household) -> None:
        await services.national_ids.claim(conn, command.head.national_id, command.household_id)
        await services.keys.save(conn, command.household_id, data_key)

    return await execute(services, command.household_id, Decision(decide), codec=codec, effects=protect)


async def record_survey(command: RecordSurvey, services: RegistryServices) -> HouseholdResult:
    """Record a year's survey; the aggregate classifies it by that year's standard."""
    standards = services.reference.standards
    decision = Decision(lambda found: registered(found, command.household_id).record_survey(command, standards))
    return await execute(services, command.household_id, decision)


async def correct_survey(command: CorrectSurvey, services: RegistryServices) -> HouseholdResult:
    """Supersede a mistaken survey with a corrected one."""
    standards = services.reference.standards
    decision = Decision(lambda found: registered(found, command.household_id).correct_survey(command, standards))
    return await execute(services, command.household_id, decision)


async def record_information_access(command: RecordInformationAccess, services: RegistryServices) -> HouseholdResult:
    """Record a means of accessing information (a delivered phone); the same reference twice is one record."""
    decision = Decision(lambda found: registered(found, command.household_id).record_information_access(command))
    return await execute(services, command.household_id, decision)


async def erase_personal_data(command: ErasePersonalData, services: RegistryServices, *, actor: str) -> HouseholdResult:
    """Erase the head's personal data for good: destroy the key, release the ID's hash, drop every copy."""
    household_id = command.household_id

    async def shred(conn: asyncpg.Connection, _: Household) -> None:
        await services.keys.destroy(conn, household_id, actor)
        await services.national_ids.release(conn, household_id)
        await delete_personal_data_copies(conn, household_id, stream_id(household_id))
        await record_personal_data_access(conn, household_id, PERSONAL_FIELDS, action="erase", actor=actor)

    decision = Decision(lambda found: registered(found, household_id).erase_personal_data(command))
    return await execute(services, household_id, decision, effects=shred)
