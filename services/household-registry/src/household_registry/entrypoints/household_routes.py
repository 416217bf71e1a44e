"""/v1/households: register, survey, read (personal fields only with household:pii), erase personal data.

Each route turns the request into a command or query and the answer into its REST body; the rules live in
the domain and the service layer.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from backan_shared.api.households import (
    HOUSEHOLD_READ,
    HeadCreate,
    HeadPublic,
    HouseholdCreate,
    HouseholdCreated,
    HouseholdPublic,
    PersonalDataErasedPublic,
    SurveyClassified,
    SurveyCreate,
)
from backan_shared.command_handling import CommandResult
from backan_shared.consistency import HEADER as CONSISTENCY_TOKEN
from household_registry.domain.commands import ErasePersonalData, RecordSurvey, RegisterHousehold
from household_registry.domain.events import HouseholdEvent, StatusChanged, SurveyRecorded
from household_registry.domain.household import Household
from household_registry.domain.personal_data import HeadOfHousehold, NationalId, PhoneNumber
from household_registry.domain.poverty_standard import Area
from household_registry.entrypoints.dependencies import DependenciesDep
from household_registry.entrypoints.principal import CallerDep
from household_registry.service_layer import handlers, queries

router = APIRouter(prefix="/v1/households", tags=["households"])
DEFAULT_ERASURE_REASON = "erasure requested by the data subject"


@router.post("", status_code=201, response_model=HouseholdCreated, summary="Register a household")
async def register_household(body: HouseholdCreate, deps: DependenciesDep, response: Response) -> HouseholdCreated:
    command = RegisterHousehold(
        household_id=handlers.new_household_id(),
        commune_code=body.commune_code,
        area=Area(body.area),
        ethnic_minority=body.ethnic_minority,
        members=body.members,
        head=head_of_household(body.head),
    )
    result = await handlers.handle(command, deps)
    _written(response, f"/v1/households/{command.household_id}", result)
    return HouseholdCreated(household_id=str(command.household_id))


@router.post(
    "/{household_id}/surveys", status_code=201, response_model=SurveyClassified, summary="Record a year's survey"
)
async def record_survey(
    household_id: uuid.UUID, body: SurveyCreate, deps: DependenciesDep, response: Response
) -> SurveyClassified:
    command = RecordSurvey(household_id, body.year, body.income_per_capita_vnd, frozenset(body.deprivations))
    result = await handlers.handle(command, deps)
    _written(response, f"/v1/households/{household_id}", result)
    return survey_classified(household_id, result.events)


@router.get(
    "/{household_id}",
    response_model=HouseholdPublic,
    response_model_exclude_unset=True,
    summary="A household: classification history, status changes, information access",
    description=HOUSEHOLD_READ,
)
async def get_household(household_id: uuid.UUID, deps: DependenciesDep, caller: CallerDep) -> HouseholdPublic:
    if not caller.may_read_personal_data:
        view = await queries.household_view(deps, household_id)
        return HouseholdPublic.model_validate({**view, "household_id": str(household_id), "as_of": _now()})
    reading = await queries.read_personal_data(deps, household_id, reader=caller.personal_data_actor())
    household = HouseholdPublic.model_validate({**reading.view, "household_id": str(household_id), "as_of": _now()})
    return household.model_copy(update={"head": head_public(reading.head)})


@router.delete(
    "/{household_id}/personal-data",
    response_model=PersonalDataErasedPublic,
    summary="Erase the head's personal data for good (household:pii)",
)
async def erase_personal_data(
    household_id: uuid.UUID,
    deps: DependenciesDep,
    caller: CallerDep,
    response: Response,
    reason: Annotated[str, Query(min_length=1, max_length=500)] = DEFAULT_ERASURE_REASON,
) -> PersonalDataErasedPublic:
    command = ErasePersonalData(household_id, reason, erased_by=caller.personal_data_actor())
    result = await handlers.handle(command, deps)
    if result.consistency_token:
        response.headers[CONSISTENCY_TOKEN] = result.consistency_token
    return PersonalDataErasedPublic(household_id=str(household_id))


def head_of_household(head: HeadCreate) -> HeadOfHousehold:
    """The domain's head of household; an invalid national ID or phone raises a 422 domain error."""
    phone = PhoneNumber.parse(head.phone) if head.phone else None
    return HeadOfHousehold(head.full_name, NationalId(head.national_id), phone)


def head_public(head: HeadOfHousehold | None) -> HeadPublic:
    """The head as shown to a caller with household:pii: every field null once erased."""
    if head is None:
        return HeadPublic(full_name=None, national_id=None, phone=None, erased=True)
    phone = head.phone.value if head.phone else None
    return HeadPublic(full_name=head.full_name, national_id=head.national_id.value, phone=phone, erased=False)


def survey_classified(household_id: uuid.UUID, events: Sequence[HouseholdEvent]) -> SurveyClassified:
    """The answer to a survey: its classification and the status it moved the household to, if any."""
    recorded = next(e for e in events if isinstance(e, SurveyRecorded))
    changed = next((e for e in events if isinstance(e, StatusChanged)), None)
    return SurveyClassified.model_validate(
        {
            "household_id": str(household_id),
            "year": recorded.survey.year,
            "classification": recorded.classification.value,
            "standard_version": recorded.standard_version,
            "status": changed.to_status.value if changed else None,
        }
    )


def _written(response: Response, location: str, result: CommandResult[Household, HouseholdEvent]) -> None:
    response.headers["Location"] = location
    if result.consistency_token:
        response.headers[CONSISTENCY_TOKEN] = result.consistency_token


def _now() -> datetime:
    # The view is updated in the transaction of every write, so it is current as of the read.
    return datetime.now(UTC)
