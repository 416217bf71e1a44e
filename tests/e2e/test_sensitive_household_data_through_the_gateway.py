"""Issue 19, sensitive fields behind their scope, end to end through the gateway: a `read` caller sees none of a
household's ethnicity, income and deprivations and leaves no audit record; a `household:pii` caller sees them
and leaves one record per field read, with who and when and never the value; an auditor (`household:audit`)
lists those records, and every other caller is refused as problem+json."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from harness.devkeys import mint_token
from tests.e2e.conftest import RunningSystem

pytestmark = [pytest.mark.infra, pytest.mark.timeout(120)]

INCOME = 1_234_567  # distinctive, so a leak of it is found anywhere
DEPRIVATIONS = ["floor_area_per_person", "hygienic_latrine", "nutrition"]
SENSITIVE = ("ethnic_minority", "income_per_capita_vnd", "deprivations")
HEAD = ("full_name", "national_id", "phone")
PII_READER = "officer-pii-7"


def keys_of(body: Any) -> set[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(body, dict):
        return set(body) | {key for value in body.values() for key in keys_of(value)}
    if isinstance(body, list):
        return {key for item in body for key in keys_of(item)}
    return set()


@pytest.fixture(scope="module")
def bearer(e2e_keys: tuple[Path, Path]) -> Any:
    def headers(*scopes: str, subject: str = "someone") -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_token(list(scopes), subject=subject, private_key=e2e_keys[0])}"}

    return headers


@pytest.fixture(scope="module")
async def gateway(running_system: RunningSystem) -> AsyncIterator[httpx.AsyncClient]:
    async with running_system.gateway() as client:
        yield client


@pytest.fixture(scope="module")
async def household_id(gateway: httpx.AsyncClient, bearer: Any) -> str:
    """A surveyed ethnic-minority household of Xã Nghĩa Tá, written through the gateway."""
    officer = bearer("household:write", subject="officer-nghia-ta")
    head = {"full_name": "Lý Thị Sensitive", "national_id": f"006{uuid.uuid4().int % 10**9:09d}", "phone": None}
    body = {"commune_code": "02071", "area": "rural", "ethnic_minority": True, "members": 5, "head": head}
    registered = await gateway.post("/v1/households", json=body, headers=officer)
    assert registered.status_code == 201, registered.text
    new_id: str = registered.json()["household_id"]
    survey = {"year": 2023, "income_per_capita_vnd": INCOME, "deprivations": DEPRIVATIONS}
    surveyed = await gateway.post(f"/v1/households/{new_id}/surveys", json=survey, headers=officer)
    assert surveyed.status_code == 201, surveyed.text
    return new_id


async def audit_table(e2e_databases: dict[str, str], household_id: str) -> list[dict[str, Any]]:
    """The registry's own audit rows of the household, every column."""
    conn = await asyncpg.connect(e2e_databases["household-registry"])
    try:
        rows = await conn.fetch("SELECT * FROM personal_data_audit WHERE household_id = $1", uuid.UUID(household_id))
    finally:
        await conn.close()
    return [dict(row) for row in rows]


async def test_a_read_caller_sees_no_sensitive_field_and_no_audit_record_is_written(
    gateway: httpx.AsyncClient, bearer: Any, household_id: str, e2e_databases: dict[str, str]
) -> None:
    answer = await gateway.get(f"/v1/households/{household_id}", headers=bearer("read"))
    assert answer.status_code == 200, answer.text
    assert not keys_of(answer.json()) & {*SENSITIVE, "head"}
    assert answer.json()["classifications"][0]["classification"] == "poor"
    assert str(INCOME) not in answer.text
    assert await audit_table(e2e_databases, household_id) == []


async def test_a_pii_caller_sees_them_and_leaves_one_audit_record_per_field_without_its_value(
    gateway: httpx.AsyncClient, bearer: Any, household_id: str, e2e_databases: dict[str, str]
) -> None:
    before = datetime.now(UTC)
    answer = await gateway.get(
        f"/v1/households/{household_id}", headers=bearer("read", "household:pii", subject=PII_READER)
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ethnic_minority"] is True
    assert (body["classifications"][0]["income_per_capita_vnd"], body["classifications"][0]["deprivations"]) == (
        INCOME,
        DEPRIVATIONS,
    )

    rows = await audit_table(e2e_databases, household_id)
    # No phone was registered: a reading discloses only the head's name and ID.
    assert sorted(row["field"] for row in rows) == sorted([*SENSITIVE, *HEAD[:2]])
    assert {(row["action"], row["actor"]) for row in rows} == {("read", PII_READER)}
    assert all(before - timedelta(seconds=5) <= row["at"] <= datetime.now(UTC) for row in rows)
    cells = " ".join(str(value) for row in rows for value in row.values())
    for value in (str(INCOME), "True", *DEPRIVATIONS, "Lý Thị"):
        assert value not in cells, f"{value} is in the audit trail"


async def test_an_auditor_lists_the_reads_and_other_callers_are_refused(
    gateway: httpx.AsyncClient, bearer: Any, household_id: str
) -> None:
    await gateway.get(f"/v1/households/{household_id}", headers=bearer("read", "household:pii", subject=PII_READER))
    own = f"/v1/households/{household_id}/personal-data-audit"
    listed = await gateway.get(own, headers=bearer("household:audit", subject="dpo-province"))
    assert listed.status_code == 200, listed.text
    records = listed.json()["records"]
    assert records and {(r["household_id"], r["action"], r["actor"]) for r in records} == {
        (household_id, "read", PII_READER)
    }
    assert all(set(r) == {"id", "household_id", "field", "action", "actor", "at"} for r in records)
    assert str(INCOME) not in listed.text

    by_actor = await gateway.get(
        "/v1/personal-data-audit",
        params={"actor": PII_READER, "limit": 2},
        headers=bearer("household:audit", subject="dpo-province"),
    )
    assert by_actor.status_code == 200, by_actor.text
    assert len(by_actor.json()["records"]) == 2 and by_actor.json()["next_after"] is not None

    for path in (own, "/v1/personal-data-audit"):
        for refused in (bearer("read", "household:pii"), bearer("dti:submit")):
            answer = await gateway.get(path, headers=refused)
            assert answer.status_code == 403, (path, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
        anonymous = await gateway.get(path)
        assert anonymous.status_code == 401
        assert anonymous.headers["content-type"] == "application/problem+json"
    neither = await gateway.get(f"/v1/households/{household_id}", headers=bearer("dti:submit"))
    assert neither.status_code == 403 and neither.headers["content-type"] == "application/problem+json"
