"""The household view read model: one row per household, a pure function of its events (no personal field).

The row is computed from the replayed `Household`, whether live (in the command's transaction) or in a
rebuild, so the two cannot drift apart. It holds the sensitive facts (ethnicity, each year's income and
deprivations) for callers entitled to them; `without_sensitive_facts` is the row everyone else sees.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

from household_registry.domain.events import StatusChanged
from household_registry.domain.household import Household, InformationAccess

COLUMNS = (
    "household_id",
    "commune_code",
    "area",
    "ethnic_minority",
    "members",
    "classification",
    "projected_classification",
    "status",
    "classifications",
    "status_changes",
    "information_access",
    "personal_data_erased",
    "version",
)
# Sensitive facts of each year's survey (Law 91/2025/QH15: income is financial data, deprivations describe it).
SURVEY_FACTS = ("income_per_capita_vnd", "deprivations")
_UPSERT = f"""
INSERT INTO household_view ({", ".join(COLUMNS)})
VALUES ({", ".join(f"${n}" for n in range(1, len(COLUMNS) + 1))})
ON CONFLICT (household_id) DO UPDATE SET {", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])}
"""


def household_view_row(household: Household) -> tuple[Any, ...]:
    """The view's columns, in `COLUMNS` order."""
    return (
        household.household_id,
        household.commune_code,
        household.area.value,
        household.ethnic_minority,
        household.members,
        _value(household.classification),
        _value(household.projected_classification),
        _value(household.status),
        classification_history(household),
        [_status_change(change) for change in household.status_history],
        [_access(access) for access in household.information_access],
        household.personal_data_erased,
        household.version,
    )


def classification_history(household: Household) -> list[dict[str, Any]]:
    """Each reviewed year: the survey, the official classification and the projected one."""
    projected = {record.year: record.projected_classification for record in household.classification_records()}
    return [
        {
            "year": year,
            "classification": found.classification.value,
            "projected_classification": projected[year].value,
            "standard_version": found.standard_version,
            "corrected": found.corrected,
            "income_per_capita_vnd": found.survey.income_per_capita_vnd,
            "deprivations": sorted(found.survey.deprivations),
        }
        for year, found in sorted(household.surveys.items())
    ]


async def save_household_views(conn: asyncpg.Connection, households: Sequence[Household]) -> None:
    """Write the households' rows as they now stand (in household order, so concurrent writers never deadlock)."""
    ordered = sorted(households, key=lambda household: household.household_id)
    await conn.executemany(_UPSERT, [household_view_row(household) for household in ordered])


async def fetch_household_view(conn: asyncpg.Connection, household_id: uuid.UUID) -> asyncpg.Record | None:
    """The household's row, or None for a household the registry does not know."""
    return await conn.fetchrow("SELECT * FROM household_view WHERE household_id = $1", household_id)


def sensitive_facts_in(view: Mapping[str, Any]) -> list[str]:
    """The sensitive fields a reading of this view discloses (a household never surveyed shows no income)."""
    return ["ethnic_minority", *(list(SURVEY_FACTS) if view["classifications"] else [])]


def without_sensitive_facts(view: Mapping[str, Any]) -> dict[str, Any]:
    """The view with ethnicity and each year's income and deprivations left out (not nulled: absent)."""
    shown = {column: value for column, value in view.items() if column != "ethnic_minority"}
    shown["classifications"] = [
        {key: value for key, value in year.items() if key not in SURVEY_FACTS} for year in view["classifications"]
    ]
    return shown


def _value(member: Any) -> str | None:
    return None if member is None else str(member.value)


def _status_change(change: StatusChanged) -> dict[str, Any]:
    return {
        "year": change.year,
        "from_status": _value(change.from_status),
        "to_status": change.to_status.value,
        "classification": change.classification.value,
        "reason": change.reason,
    }


def _access(access: InformationAccess) -> dict[str, Any]:
    return {"source": access.source, "reference": access.reference, "recorded_on": access.recorded_on.isoformat()}
