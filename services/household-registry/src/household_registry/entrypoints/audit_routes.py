"""The personal data audit trail, for auditors (`household:audit`): who read or erased which personal or
sensitive field of which household, and when. The answers hold field names, never values."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from backan_shared.api.personal_data_audit import AUDIT_READ, PersonalDataAccessPublic, PersonalDataAuditPage
from household_registry.adapters.audit import AuditFilter
from household_registry.entrypoints.dependencies import DependenciesDep
from household_registry.entrypoints.principal import CallerDep
from household_registry.service_layer import queries
from household_registry.service_layer.dependencies import Dependencies

router = APIRouter(tags=["personal data audit"])
Limit = Annotated[int, Query(ge=1, le=1000, description="records per page")]
After = Annotated[int, Query(ge=0, description="the id of the last record already read")]
Since = Annotated[datetime | None, Query(description="records at or after this time (ISO 8601)")]
Until = Annotated[datetime | None, Query(description="records before this time (ISO 8601)")]


@router.get(
    "/v1/personal-data-audit",
    response_model=PersonalDataAuditPage,
    summary="The personal data audit trail, filtered by household, actor and time",
    description=AUDIT_READ,
)
async def list_personal_data_audit(
    services: DependenciesDep,
    caller: CallerDep,
    household_id: Annotated[uuid.UUID | None, Query(description="one household's records")] = None,
    actor: Annotated[str | None, Query(min_length=1, max_length=200, description="one caller's records")] = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 100,
    after: After = 0,
) -> PersonalDataAuditPage:
    caller.require_auditor()
    wanted = AuditFilter(household_id=household_id, actor=actor, since=since, until=until)
    return await audit_page(services, wanted, after=after, limit=limit)


@router.get(
    "/v1/households/{household_id}/personal-data-audit",
    response_model=PersonalDataAuditPage,
    summary="Who read or erased which personal field of one household, and when",
    description=AUDIT_READ,
)
async def list_household_personal_data_audit(
    household_id: uuid.UUID,
    services: DependenciesDep,
    caller: CallerDep,
    since: Since = None,
    until: Until = None,
    limit: Limit = 100,
    after: After = 0,
) -> PersonalDataAuditPage:
    caller.require_auditor()
    wanted = AuditFilter(household_id=household_id, since=since, until=until)
    return await audit_page(services, wanted, after=after, limit=limit)


async def audit_page(services: Dependencies, wanted: AuditFilter, *, after: int, limit: int) -> PersonalDataAuditPage:
    """One page of the trail; a full page says where the next one starts."""
    rows = await queries.personal_data_audit(services, wanted, after=after, limit=limit)
    records = [
        PersonalDataAccessPublic.model_validate({**row, "household_id": str(row["household_id"])}) for row in rows
    ]
    return PersonalDataAuditPage(records=records, next_after=records[-1].id if len(records) == limit else None)
