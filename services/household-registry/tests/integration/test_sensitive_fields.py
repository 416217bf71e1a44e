"""Ethnicity, income and deprivations behind `household:pii` on the real PostgreSQL: a `read` caller sees none of
them and leaves no audit; a `household:pii` reader sees them and leaves one audit record per field read, without
its value, written before the answer (no record, no answer); an auditor (`household:audit`) lists the trail."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.infra

INCOME = 1_234_567  # distinctive, so a leak of it is found anywhere in a body or a row
DEPRIVATIONS = ["floor_area_per_person", "hygienic_latrine", "nutrition"]
SENSITIVE = {"ethnic_minority", "income_per_capita_vnd", "deprivations"}
HEAD_FIELDS = ["full_name", "national_id", "phone"]
READER = {"X-Principal-Scopes": "read", "X-Principal-Subject": "analyst-3"}
PII_READER = {"X-Principal-Scopes": "read household:pii", "X-Principal-Subject": "officer-41"}
AUDITOR = {"X-Principal-Scopes": "read household:audit", "X-Principal-Subject": "dpo-1"}


def keys_of(body: Any) -> set[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(body, dict):
        return set(body) | {key for value in body.values() for key in keys_of(value)}
    if isinstance(body, list):
        return {key for item in body for key in keys_of(item)}
    return set()


async def surveyed(registry: Any) -> str:
    household_id: str = await registry.register("02071", minority=True)
    await registry.survey(household_id, 2023, INCOME, DEPRIVATIONS)
    return household_id


async def audit_of(registry: Any, household_id: str) -> list[dict[str, Any]]:
    rows = await registry.fetch(
        "SELECT * FROM personal_data_audit WHERE household_id = $1 ORDER BY id", uuid.UUID(household_id)
    )
    return [dict(row) for row in rows]


async def test_a_read_caller_sees_no_sensitive_field_and_leaves_no_audit(registry: Any) -> None:
    household_id = await surveyed(registry)
    response = await registry.client.get(f"/v1/households/{household_id}", headers=READER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not keys_of(body) & SENSITIVE
    assert "head" not in body
    assert [year["year"] for year in body["classifications"]] == [2023]
    assert body["classifications"][0]["classification"] == "poor"
    assert body["members"] == 4, "household size is not sensitive"
    assert str(INCOME) not in response.text and not any(code in response.text for code in DEPRIVATIONS)
    assert await audit_of(registry, household_id) == []


async def test_a_pii_reader_sees_the_sensitive_fields_and_each_read_leaves_one_record_without_its_value(
    registry: Any,
) -> None:
    household_id = await surveyed(registry)
    before = datetime.now(UTC)
    response = await registry.client.get(f"/v1/households/{household_id}", headers=PII_READER)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ethnic_minority"] is True
    assert body["classifications"][0]["income_per_capita_vnd"] == INCOME
    assert body["classifications"][0]["deprivations"] == DEPRIVATIONS

    records = await audit_of(registry, household_id)
    assert sorted(r["field"] for r in records) == sorted([*SENSITIVE, *HEAD_FIELDS]), "one record per field read"
    assert {(r["action"], r["actor"]) for r in records} == {("read", "officer-41")}
    assert all(before - timedelta(seconds=5) <= r["at"] <= datetime.now(UTC) for r in records)
    assert set(records[0]) == {"id", "household_id", "field", "action", "actor", "at"}, "no column for a value"
    cells = " ".join(str(value) for record in records for value in record.values())
    for value in (str(INCOME), "True", "true", *DEPRIVATIONS):
        assert value not in cells, f"{value} is in the audit trail"


async def test_a_household_never_surveyed_discloses_only_its_ethnicity(registry: Any) -> None:
    household_id = await registry.register("02071", minority=False, phone=None)
    body = (await registry.client.get(f"/v1/households/{household_id}", headers=PII_READER)).json()
    assert body["ethnic_minority"] is False and body["classifications"] == []
    fields = [r["field"] for r in await audit_of(registry, household_id)]
    assert sorted(fields) == ["ethnic_minority", "full_name", "national_id"]


async def test_each_pii_read_is_audited_again(registry: Any) -> None:
    household_id = await surveyed(registry)
    for _ in range(2):
        assert (await registry.client.get(f"/v1/households/{household_id}", headers=PII_READER)).status_code == 200
    fields = [r["field"] for r in await audit_of(registry, household_id)]
    assert sorted(fields) == sorted([*SENSITIVE, *HEAD_FIELDS] * 2)


@pytest.fixture
async def broken_audit(registry: Any) -> AsyncIterator[str]:
    """The audit trail refuses the records of one actor (as a full disk or a revoked grant would)."""
    actor = f"officer-{uuid.uuid4().hex[:6]}"
    await registry.fetchval(
        f"""CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.actor = '{actor}' THEN RAISE EXCEPTION 'audit unavailable'; END IF; RETURN NEW; END $$"""
    )
    await registry.fetchval(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON personal_data_audit FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
    )
    try:
        yield actor
    finally:
        await registry.fetchval("DROP TRIGGER refuse_audit ON personal_data_audit")
        await registry.fetchval("DROP FUNCTION refuse_audit()")


async def test_when_the_audit_cannot_be_written_no_sensitive_field_is_returned(
    registry: Any, broken_audit: str
) -> None:
    household_id = await surveyed(registry)
    headers = {"X-Principal-Scopes": "read household:pii", "X-Principal-Subject": broken_audit}
    response = await registry.client.get(f"/v1/households/{household_id}", headers=headers)
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert str(INCOME) not in response.text and "ethnic_minority" not in response.text
    assert await audit_of(registry, household_id) == []


async def test_the_audit_trail_refuses_a_caller_without_household_audit(registry: Any) -> None:
    household_id = await surveyed(registry)
    for headers in (READER, PII_READER, {}):
        for path in ("/v1/personal-data-audit", f"/v1/households/{household_id}/personal-data-audit"):
            response = await registry.client.get(path, headers=headers)
            assert response.status_code == 403, (path, headers)
            assert response.headers["content-type"] == "application/problem+json"
            assert "household:audit" in response.json()["detail"]


async def test_an_auditor_lists_who_read_which_field_of_a_household_and_when(registry: Any) -> None:
    household_id = await surveyed(registry)
    await registry.client.get(f"/v1/households/{household_id}", headers=PII_READER)
    response = await registry.client.get(f"/v1/households/{household_id}/personal-data-audit", headers=AUDITOR)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["next_after"] is None
    assert sorted(r["field"] for r in page["records"]) == sorted([*SENSITIVE, *HEAD_FIELDS])
    assert {(r["household_id"], r["action"], r["actor"]) for r in page["records"]} == {
        (household_id, "read", "officer-41")
    }
    assert all(set(record) == {"id", "household_id", "field", "action", "actor", "at"} for record in page["records"])
    assert str(INCOME) not in response.text


async def test_the_trail_filters_by_actor_and_time_and_pages_with_a_limit(registry: Any) -> None:
    household_id = await surveyed(registry)
    actor = f"officer-{uuid.uuid4().hex[:6]}"
    start = (await registry.fetchval("SELECT now()")).isoformat()
    await registry.client.get(f"/v1/households/{household_id}", headers={**PII_READER, "X-Principal-Subject": actor})

    listed: list[dict[str, Any]] = []
    params: dict[str, Any] = {"actor": actor, "since": start, "limit": 4}
    for _ in range(3):
        page = (await registry.client.get("/v1/personal-data-audit", params=params, headers=AUDITOR)).json()
        listed += page["records"]
        if page["next_after"] is None:
            break
        params["after"] = page["next_after"]
    assert len(listed) == 6 and len({r["id"] for r in listed}) == 6, "two pages, nothing twice"
    assert {(r["household_id"], r["actor"]) for r in listed} == {(household_id, actor)}

    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    none = await registry.client.get(
        "/v1/personal-data-audit", params={"actor": actor, "since": later}, headers=AUDITOR
    )
    assert none.json() == {"records": [], "next_after": None}


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 1001}, {"after": -1}, {"since": "yesterday"}, {"household_id": "nope"}]
)
async def test_a_bad_audit_query_is_a_422_problem(registry: Any, params: dict[str, Any]) -> None:
    response = await registry.client.get("/v1/personal-data-audit", params=params, headers=AUDITOR)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


async def test_the_audit_trail_needs_the_gateways_credential(registry: Any) -> None:
    transport = httpx.ASGITransport(app=registry.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://registry") as outsider:
        response = await outsider.get("/v1/personal-data-audit", headers=AUDITOR)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
