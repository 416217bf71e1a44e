"""The registry's read models, updated from households' states in the transaction that changed them."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from household_registry.adapters.classification_records import affected_communes, save_classification_records
from household_registry.adapters.figures_epochs import Changes
from household_registry.adapters.household_view import save_household_views
from household_registry.domain.household import Household


async def project_households(conn: asyncpg.Connection, households: Sequence[Household]) -> Changes:
    """Write the households' views and classification records; return the communes whose figures changed,
    by year (for the caller to publish, once for a whole batch)."""
    await save_household_views(conn, households)
    return affected_communes(await save_classification_records(conn, households))
