"""The classification records read model: one row per household and reviewed year, what statistics count.

Only rows that changed are written, and each changed year (and the year after it, whose reduction is
measured against it) is marked for its statistics to be recomputed. The statistics read these rows as tallies
per commune and year, counted by the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

import asyncpg

from household_registry.domain.household import Household
from household_registry.domain.statistics import CommuneTally, Counts

COLUMNS = ("household_id", "year", "commune_code", "ethnic_minority", "classification", "projected_classification")
Row = tuple[uuid.UUID, int, str, bool, str, str]


def record_rows(household: Household) -> list[Row]:
    """The household's rows as they should now stand, in `COLUMNS` order."""
    return [
        (
            r.household_id,
            r.year,
            r.commune_code,
            r.ethnic_minority,
            r.classification.value,
            r.projected_classification.value,
        )
        for r in household.classification_records()
    ]


def changed_rows(stored: Iterable[Row], wanted: Iterable[Row]) -> list[Row]:
    """The wanted rows that differ from what is stored (a household's years are never removed)."""
    existing = set(stored)
    return [row for row in wanted if row not in existing]


def affected_years(rows: Iterable[Row]) -> list[int]:
    """The years whose statistics a change to these rows touches: each row's year and the next."""
    return sorted(affected_communes(rows))


def affected_communes(rows: Iterable[Row]) -> dict[int, set[str]]:
    """The communes whose figures a change to these rows touches, by year: the row's year and the next, whose
    reduction is measured against it."""
    touched: dict[int, set[str]] = {}
    for _, year, commune_code, *_ in rows:
        for shift in (0, 1):
            touched.setdefault(year + shift, set()).add(commune_code)
    return touched


async def save_classification_records(conn: asyncpg.Connection, households: Sequence[Household]) -> list[Row]:
    """Write the households' rows that changed (in household order, so concurrent writers never deadlock);
    return them."""
    stored = await conn.fetch(
        f"SELECT {', '.join(COLUMNS)} FROM household_classifications WHERE household_id = ANY($1::uuid[])",
        [household.household_id for household in households],
    )
    changed = changed_rows((tuple(row) for row in stored), [row for h in households for row in record_rows(h)])
    await conn.executemany(_UPSERT, sorted(changed))
    return changed


async def load_commune_tallies(conn: asyncpg.Connection, years: Sequence[int]) -> list[CommuneTally]:
    """Each commune's households in these years, counted by the database (one row per commune and year)."""
    rows = await conn.fetch(_TALLY, list(years))
    return [
        CommuneTally(
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
        for row in rows
    ]


_UPSERT = f"""
INSERT INTO household_classifications ({", ".join(COLUMNS)}) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (household_id, year) DO UPDATE SET commune_code = excluded.commune_code,
    ethnic_minority = excluded.ethnic_minority, classification = excluded.classification,
    projected_classification = excluded.projected_classification
"""
_TALLY = """
SELECT commune_code, year, count(*) AS households,
       count(*) FILTER (WHERE classification = 'poor') AS poor,
       count(*) FILTER (WHERE classification = 'near_poor') AS near_poor,
       count(*) FILTER (WHERE ethnic_minority) AS minority,
       count(*) FILTER (WHERE ethnic_minority AND classification = 'poor') AS minority_poor,
       count(*) FILTER (WHERE projected_classification = 'poor') AS projected_poor,
       count(*) FILTER (WHERE projected_classification = 'near_poor') AS projected_near_poor,
       count(*) FILTER (WHERE ethnic_minority AND projected_classification = 'poor') AS projected_minority_poor
FROM household_classifications WHERE year = ANY($1::int[]) GROUP BY commune_code, year
"""
