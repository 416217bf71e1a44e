"""The classification records read model: one row per household and reviewed year, what statistics count.

Only rows that changed are written, and each changed year (and the year after it, whose reduction is
measured against it) is marked for its statistics to be recomputed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

import asyncpg

from household_registry.domain.classification import Classification
from household_registry.domain.household import Household
from household_registry.domain.statistics import ClassificationRecord

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
    return sorted({year + shift for _, year, *_ in rows for shift in (0, 1)})


async def save_classification_records(conn: asyncpg.Connection, household: Household) -> list[int]:
    """Write the household's changed rows; return the years whose statistics are now out of date."""
    stored = await conn.fetch(
        f"SELECT {', '.join(COLUMNS)} FROM household_classifications WHERE household_id = $1",
        household.household_id,
    )
    changed = changed_rows((tuple(row) for row in stored), record_rows(household))
    await conn.executemany(
        f"""INSERT INTO household_classifications ({", ".join(COLUMNS)}) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (household_id, year) DO UPDATE SET commune_code = excluded.commune_code,
                ethnic_minority = excluded.ethnic_minority, classification = excluded.classification,
                projected_classification = excluded.projected_classification""",
        changed,
    )
    return affected_years(changed)


async def load_classification_records(conn: asyncpg.Connection, years: Sequence[int]) -> list[ClassificationRecord]:
    """Every household's record for these years, as the domain's statistics take them."""
    rows = await conn.fetch(
        f"SELECT {', '.join(COLUMNS)} FROM household_classifications WHERE year = ANY($1::int[])", list(years)
    )
    return [
        ClassificationRecord(
            row["household_id"],
            row["commune_code"],
            row["year"],
            row["ethnic_minority"],
            Classification(row["classification"]),
            Classification(row["projected_classification"]),
        )
        for row in rows
    ]
