"""The registry's read models, updated from a household's state in the transaction that changed it."""

from __future__ import annotations

import asyncpg

from household_registry.adapters.classification_records import save_classification_records
from household_registry.adapters.household_view import save_household_view
from household_registry.adapters.statistics_store import mark_years_changed
from household_registry.domain.household import Household


async def project_household(conn: asyncpg.Connection, household: Household) -> None:
    """Write the household's view and classification records; mark the statistics they change as stale."""
    await save_household_view(conn, household)
    await mark_years_changed(conn, await save_classification_records(conn, household))
