"""The registry's REST API (DESIGN.md §6): every route requires the gateway's internal credential."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from backan_shared.auth import internal_caller
from household_registry.entrypoints import audit_routes, household_routes, import_routes, reference_routes
from household_registry.settings import Settings


def api_router(settings: Settings) -> APIRouter:
    """Households, review imports, the personal data audit trail, poverty statistics and reference data, behind
    the internal credential."""
    router = APIRouter(dependencies=[Depends(internal_caller(settings.internal_token))])
    router.include_router(import_routes.router)
    router.include_router(household_routes.router)
    router.include_router(audit_routes.router)
    router.include_router(reference_routes.router)
    return router
