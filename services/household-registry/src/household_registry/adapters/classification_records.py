"""The classification records read model: one row per household and reviewed year, what statistics count.

Only rows that changed are written, and the communes they belong to are reported for their figures (that
year's, and the next year's, whose reduction is measured against it) to be published again. The statistics read
these rows as tallies per commune and year, counted by the database (`commune_tallies`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

import asyncpg

from household_registry.domain.household import Household

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


_UPSERT = f"""
INSERT INTO household_classifications ({", ".join(COLUMNS)}) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (household_id, year) DO UPDATE SET commune_code = excluded.commune_code,
    ethnic_minority = excluded.ethnic_minority, classification = excluded.classification,
    projected_classification = excluded.projected_classification
"""
