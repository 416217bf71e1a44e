"""Each commune's households per year, counted by the database from the classification records.

Two ways to read them: `count_commune_tallies` counts the records now (a read that must include the latest
writes); `recount_commune_tallies` refreshes the stored tallies of the communes that changed and
`stored_commune_tallies` reads them back, so the figures publisher adds up a province without counting all of
its households each round.
"""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from household_registry.adapters.figures_epochs import Changes, as_columns
from household_registry.domain.statistics import CommuneTally, Counts

_COUNTS = """count(*) AS households,
       count(*) FILTER (WHERE classification = 'poor') AS poor,
       count(*) FILTER (WHERE classification = 'near_poor') AS near_poor,
       count(*) FILTER (WHERE ethnic_minority) AS minority,
       count(*) FILTER (WHERE ethnic_minority AND classification = 'poor') AS minority_poor,
       count(*) FILTER (WHERE projected_classification = 'poor') AS projected_poor,
       count(*) FILTER (WHERE projected_classification = 'near_poor') AS projected_near_poor,
       count(*) FILTER (WHERE ethnic_minority AND projected_classification = 'poor') AS projected_minority_poor"""
_TALLY_COLUMNS = (
    "year, commune_code, households, poor, near_poor, minority, minority_poor, projected_poor, "
    "projected_near_poor, projected_minority_poor"
)


async def count_commune_tallies(conn: asyncpg.Connection, years: Sequence[int]) -> list[CommuneTally]:
    """Each commune's households in these years as the records stand now (one row per commune and year)."""
    rows = await conn.fetch(
        f"""SELECT commune_code, year, {_COUNTS} FROM household_classifications
            WHERE year = ANY($1::int[]) GROUP BY commune_code, year""",
        list(years),
    )
    return [_tally(row) for row in rows]


async def recount_commune_tallies(conn: asyncpg.Connection, changes: Changes) -> None:
    """Count again the stored tallies of these communes (by year); a commune left with no households loses its row."""
    years, communes = as_columns(changes)
    await conn.execute(
        """DELETE FROM commune_tallies t USING unnest($1::int[], $2::text[]) AS c(year, commune_code)
           WHERE t.year = c.year AND t.commune_code = c.commune_code""",
        years,
        communes,
    )
    await conn.execute(
        f"""INSERT INTO commune_tallies ({_TALLY_COLUMNS})
            SELECT r.year, r.commune_code, {_COUNTS}
            FROM household_classifications r JOIN unnest($1::int[], $2::text[]) AS c(year, commune_code)
                 ON r.year = c.year AND r.commune_code = c.commune_code
            GROUP BY r.year, r.commune_code""",
        years,
        communes,
    )


async def stored_commune_tallies(conn: asyncpg.Connection, years: Sequence[int]) -> list[CommuneTally]:
    """The stored tallies of every commune in these years."""
    rows = await conn.fetch(f"SELECT {_TALLY_COLUMNS} FROM commune_tallies WHERE year = ANY($1::int[])", list(years))
    return [_tally(row) for row in rows]


def _tally(row: asyncpg.Record) -> CommuneTally:
    return CommuneTally(
        row["commune_code"],
        row["year"],
        Counts(row["households"], row["poor"], row["near_poor"], row["minority"], row["minority_poor"]),
        Counts(
            row["households"],
            row["projected_poor"],
            row["projected_near_poor"],
            row["minority"],
            row["projected_minority_poor"],
        ),
    )
