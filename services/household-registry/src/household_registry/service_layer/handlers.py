"""One handler per command, registered in `HANDLERS`; `handle` runs a command through it.

Each names the `Household` method that decides and runs it through `backan_shared.command_handling.run_command`
on the household's stream (`aggregates.HOUSEHOLDS`): the events, the integration events (outbox) and the read
models are written in one transaction. A refused command changes nothing.

Personal data is touched in two handlers only: registration encrypts the head under a new data key and
claims the national ID's keyed hash; erasure destroys the key, releases the hash and deletes every other copy.
Every other handler reads the stream with sealed heads and never decrypts anyone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import asyncpg

from backan_shared.command_handling import CommandHandlers, CommandResult, Handler, run_command
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
from household_registry.service_layer.aggregates import HOUSEHOLDS, HouseholdChange, registered, stream_id
from household_registry.service_layer.dependencies import Dependencies

HouseholdResult = CommandResult[Household, HouseholdEvent]


def new_household_id() -> uuid.UUID:
    """A pseudonymous household id: random, so it says nothing about the household or its head."""
    return uuid.uuid4()


async def register_household(command: RegisterHousehold, deps: Dependencies) -> HouseholdResult:
    """Register a household; its head is stored encrypted under a data key created in the same transaction."""
    data_key = new_data_key()
    codec = HouseholdEventCodec(EncryptedHeads(FieldCipher(command.household_id, data_key)))

    def decide(existing: Household | None) -> list[HouseholdEvent]:
        if existing is not None:
            raise HouseholdAlreadyRegisteredError(f"household {command.household_id} is registered already")
        return Household.register(command, deps.reference.units)

    async def protect(conn: asyncpg.Connection, _: HouseholdChange) -> None:
        await deps.national_ids.claim(conn, command.head.national_id, command.household_id)
        await deps.keys.save(conn, command.household_id, data_key)

    return await run_command(deps, HOUSEHOLDS, stream_id(command.household_id), decide, codec=codec, effects=protect)


async def _on_household(
    deps: Dependencies, household_id: uuid.UUID, action: Callable[[Household], list[HouseholdEvent]]
) -> HouseholdResult:
    """Run `action` on the registered household the command names."""
    return await run_command(
        deps, HOUSEHOLDS, stream_id(household_id), lambda found: action(registered(found, household_id))
    )


async def record_survey(command: RecordSurvey, deps: Dependencies) -> HouseholdResult:
    """Record a year's survey; the aggregate classifies it by that year's standard."""
    standards = deps.reference.standards
    return await _on_household(deps, command.household_id, lambda h: h.record_survey(command, standards))


async def correct_survey(command: CorrectSurvey, deps: Dependencies) -> HouseholdResult:
    """Supersede a mistaken survey with a corrected one."""
    standards = deps.reference.standards
    return await _on_household(deps, command.household_id, lambda h: h.correct_survey(command, standards))


async def record_information_access(command: RecordInformationAccess, deps: Dependencies) -> HouseholdResult:
    """Record a means of accessing information (a delivered phone); the same reference twice is one record."""
    return await _on_household(deps, command.household_id, lambda h: h.record_information_access(command))


async def erase_personal_data(command: ErasePersonalData, deps: Dependencies) -> HouseholdResult:
    """Erase the head's personal data for good: destroy the key, release the ID's hash, drop every copy."""
    household_id, actor = command.household_id, command.erased_by

    async def shred(conn: asyncpg.Connection, _: HouseholdChange) -> None:
        await deps.keys.destroy(conn, household_id, actor)
        await deps.national_ids.release(conn, household_id)
        await delete_personal_data_copies(conn, household_id, stream_id(household_id))
        await record_personal_data_access(conn, household_id, PERSONAL_FIELDS, action="erase", actor=actor)

    return await run_command(
        deps,
        HOUSEHOLDS,
        stream_id(household_id),
        lambda found: registered(found, household_id).erase_personal_data(command),
        effects=shred,
    )


HANDLERS: dict[type, Handler[Dependencies, HouseholdResult]] = {
    RegisterHousehold: register_household,
    RecordSurvey: record_survey,
    CorrectSurvey: correct_survey,
    RecordInformationAccess: record_information_access,
    ErasePersonalData: erase_personal_data,
}
handle: CommandHandlers[Dependencies, HouseholdResult] = CommandHandlers(HANDLERS)
"""Runs a command through the handler its type is registered with."""
