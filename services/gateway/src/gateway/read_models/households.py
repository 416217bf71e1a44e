"""The household family: the registry's published poverty figures per unit and year, and households per commune.

Integration events carry no ethnicity, income or deprivations (sensitive data stays in the registry), so the
poverty figures are the registry's own aggregates (`PovertyStatisticsUpdated`): counts, rates, the ethnic-minority
figures, the reduction, the target and the projection, per commune, district and province. Of each household
the gateway keeps only what its views still count: that it is registered in a commune and whether it has
information access.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from backan_shared.contracts import household as contract
from gateway.read_models.handling import Handlers


async def _known(conn: asyncpg.Connection, household_id: str, commune_code: str) -> None:
    # Any event may be the first the gateway sees of a household; each carries its commune.
    await conn.execute(
        "INSERT INTO households (household_id, commune_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        household_id,
        commune_code,
    )


async def registered(conn: asyncpg.Connection, event: contract.HouseholdRegistered, _time: datetime) -> None:
    """A household now exists in a commune's registry."""
    await conn.execute(
        """INSERT INTO households (household_id, commune_code, area, registered_on) VALUES ($1, $2, $3, $4)
           ON CONFLICT (household_id) DO UPDATE SET commune_code = EXCLUDED.commune_code, area = EXCLUDED.area,
               registered_on = EXCLUDED.registered_on""",
        event.household_id,
        event.commune_code,
        event.area,
        event.registered_on,
    )


async def classified(conn: asyncpg.Connection, event: contract.HouseholdClassified, _time: datetime) -> None:
    """A year's classification: it reaches the views through the figures the registry publishes with it."""
    await _known(conn, event.household_id, event.commune_code)


async def information_access_recorded(
    conn: asyncpg.Connection, event: contract.InformationAccessRecorded, time: datetime
) -> None:
    """The household can now access information; keep the latest access (its projection reaches the views
    through the figures the registry publishes with it)."""
    await _known(conn, event.household_id, event.commune_code)
    await conn.execute(
        """UPDATE households SET information_access_on = $2, access_recorded_at = $3
           WHERE household_id = $1 AND (access_recorded_at IS NULL OR access_recorded_at <= $3)""",
        event.household_id,
        event.recorded_on,
        time,
    )


async def personal_data_erased(conn: asyncpg.Connection, event: contract.PersonalDataErased, _time: datetime) -> None:
    """Nothing to erase: the gateway never holds a household's personal data."""


async def poverty_statistics_updated(
    conn: asyncpg.Connection, event: contract.PovertyStatisticsUpdated, _time: datetime
) -> None:
    """A unit's figures for a year; the highest revision wins, whatever order the events arrive in."""
    await conn.execute(
        """INSERT INTO poverty_statistics (unit_code, year, revision, figures) VALUES ($1, $2, $3, $4)
           ON CONFLICT (unit_code, year) DO UPDATE SET revision = EXCLUDED.revision, figures = EXCLUDED.figures
           WHERE EXCLUDED.revision >= poverty_statistics.revision""",
        event.unit_code,
        event.year,
        event.revision,
        event.model_dump(mode="json"),
    )


HANDLERS: Handlers = {
    contract.HouseholdRegistered: registered,
    contract.HouseholdClassified: classified,
    contract.InformationAccessRecorded: information_access_recorded,
    contract.PersonalDataErased: personal_data_erased,
    contract.PovertyStatisticsUpdated: poverty_statistics_updated,
}


async def published_figures(conn: asyncpg.Connection, unit_code: str, year: int) -> dict[str, Any] | None:
    """The unit's figures for a year as the registry last published them, or None if it published none."""
    figures: dict[str, Any] | None = await conn.fetchval(
        "SELECT figures FROM poverty_statistics WHERE unit_code = $1 AND year = $2", unit_code, year
    )
    return figures


async def latest_year(conn: asyncpg.Connection, unit_code: str) -> int | None:
    """The latest review year the registry published the unit's figures for."""
    year: int | None = await conn.fetchval("SELECT max(year) FROM poverty_statistics WHERE unit_code = $1", unit_code)
    return year


async def register_counts(conn: asyncpg.Connection, communes: list[str]) -> tuple[int, int]:
    """Households registered in `communes`, and how many of them have information access."""
    row = await conn.fetchrow(
        """SELECT count(*) FILTER (WHERE registered_on IS NOT NULL) AS registered,
                  count(*) FILTER (WHERE information_access_on IS NOT NULL) AS with_access
           FROM households WHERE commune_code = ANY($1::text[])""",
        communes,
    )
    assert row is not None
    return int(row["registered"]), int(row["with_access"])
