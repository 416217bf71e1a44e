"""The household family: households per commune from `household.events.v1`, and poverty figures as queries.

Integration events carry no ethnicity, income or deprivations (sensitive data stays in the registry), so the
gateway counts what they allow: households classified per year, poor and near-poor, information access, and
the projection the registry announces when a household gains information access.

A household's projected classification (what the next review would give) counts for its latest reviewed year
only, and only if the information access was recorded after that year's classification, as in the registry.
When a classification is corrected after the access, the registry's new projection is not published, so the
gateway falls back to the official classification until the next information-access event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import asyncpg

from backan_shared.contracts import household as contract
from gateway.read_models.handling import Handlers

_CENT = Decimal("0.01")


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


async def classified(conn: asyncpg.Connection, event: contract.HouseholdClassified, time: datetime) -> None:
    """A year's official classification; the later of two for one year (a correction) wins."""
    await _known(conn, event.household_id, event.commune_code)
    await conn.execute(
        """INSERT INTO household_classifications (household_id, year, commune_code, classification, classified_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (household_id, year) DO UPDATE SET commune_code = EXCLUDED.commune_code,
               classification = EXCLUDED.classification, classified_at = EXCLUDED.classified_at
           WHERE EXCLUDED.classified_at >= household_classifications.classified_at""",
        event.household_id,
        event.year,
        event.commune_code,
        event.classification,
        time,
    )


async def information_access_recorded(
    conn: asyncpg.Connection, event: contract.InformationAccessRecorded, time: datetime
) -> None:
    """The household can now access information; keep the latest access and the projection it announced."""
    await _known(conn, event.household_id, event.commune_code)
    await conn.execute(
        """UPDATE households SET information_access_on = $2, access_recorded_at = $3, access_projected = $4
           WHERE household_id = $1 AND (access_recorded_at IS NULL OR access_recorded_at <= $3)""",
        event.household_id,
        event.recorded_on,
        time,
        event.projected_classification,
    )


async def personal_data_erased(conn: asyncpg.Connection, event: contract.PersonalDataErased, _time: datetime) -> None:
    """Nothing to erase: the gateway never holds a household's personal data."""


HANDLERS: Handlers = {
    contract.HouseholdRegistered: registered,
    contract.HouseholdClassified: classified,
    contract.InformationAccessRecorded: information_access_recorded,
    contract.PersonalDataErased: personal_data_erased,
}


@dataclass(frozen=True)
class Counts:
    """Households of some communes in one year, official and projected."""

    households: int
    poor: int
    near_poor: int
    projected_poor: int
    projected_near_poor: int


_NO_HOUSEHOLDS = Counts(0, 0, 0, 0, 0)


async def counts_by_year(conn: asyncpg.Connection, communes: list[str], years: list[int]) -> dict[int, Counts]:
    """The counts of each year that has classified households in `communes`."""
    rows = await conn.fetch(
        """WITH records AS (
               SELECT c.year, c.classification,
                      CASE WHEN c.year = (SELECT max(l.year) FROM household_classifications l
                                          WHERE l.household_id = c.household_id)
                                AND h.access_recorded_at > c.classified_at AND h.access_projected IS NOT NULL
                           THEN h.access_projected ELSE c.classification END AS projected
               FROM household_classifications c JOIN households h USING (household_id)
               WHERE c.commune_code = ANY($1::text[]) AND c.year = ANY($2::int[]))
           SELECT year, count(*) AS households,
                  count(*) FILTER (WHERE classification = 'poor') AS poor,
                  count(*) FILTER (WHERE classification = 'near_poor') AS near_poor,
                  count(*) FILTER (WHERE projected = 'poor') AS projected_poor,
                  count(*) FILTER (WHERE projected = 'near_poor') AS projected_near_poor
           FROM records GROUP BY year""",
        communes,
        years,
    )
    return {row["year"]: _counts(row) for row in rows}


def _counts(row: asyncpg.Record) -> Counts:
    return Counts(
        households=row["households"],
        poor=row["poor"],
        near_poor=row["near_poor"],
        projected_poor=row["projected_poor"],
        projected_near_poor=row["projected_near_poor"],
    )


async def latest_year(conn: asyncpg.Connection, communes: list[str]) -> int | None:
    """The latest review year with a classified household in `communes`."""
    year: int | None = await conn.fetchval(
        "SELECT max(year) FROM household_classifications WHERE commune_code = ANY($1::text[])", communes
    )
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


def percent(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, 2 decimals rounded half-up as the province publishes; None if no whole."""
    if whole == 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_CENT, rounding=ROUND_HALF_UP)


def reduction(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """The fall from last year's published rate to this year's, in percentage points (negative if it rose)."""
    if before is None or after is None:
        return None
    return before - after


def counts_of(by_year: dict[int, Counts], year: int) -> Counts:
    """The year's counts, or zero households."""
    return by_year.get(year, _NO_HOUSEHOLDS)
