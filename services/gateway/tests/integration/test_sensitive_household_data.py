"""The gateway keeps sensitive household data (ethnicity, income, deprivations) behind its scopes: its composed
views answer a `read` caller with aggregates per unit only, the personal data audit trail is refused without
`household:audit` before anything reaches the registry, and the published contract says so."""

from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.infra

SENSITIVE = {"ethnic_minority", "income_per_capita_vnd", "deprivations", "head"}
AUDIT_PATHS = ("/v1/personal-data-audit", "/v1/households/0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10/personal-data-audit")


def keys_of(body: Any) -> set[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(body, dict):
        return set(body) | {key for value in body.values() for key in keys_of(value)}
    if isinstance(body, list):
        return {key for item in body for key in keys_of(item)}
    return set()


async def test_no_composed_view_shows_a_read_caller_a_households_sensitive_field_or_its_id(
    pilot_scenario: Any, snapshot: Any
) -> None:
    views = await snapshot()
    household_ids = {event.subject for event in pilot_scenario.events["household"] if event.subject.startswith("hh-")}
    assert household_ids, "the scenario has households"
    for path, body in views.items():
        assert not keys_of(body) & (SENSITIVE | {"household_id"}), path
        assert not any(household_id in str(body) for household_id in household_ids), path
    # Ethnicity reaches the views only as counts and rates per unit, as the registry publishes them.
    poverty = views["/v1/poverty?unit_code=06&year=2023"]
    assert isinstance(poverty["ethnic_minority_households"], int)


async def test_the_audit_trail_refuses_a_missing_token_with_401(gateway: httpx.AsyncClient) -> None:
    for path in AUDIT_PATHS:
        answer = await gateway.get(path)
        assert answer.status_code == 401, path
        assert answer.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("scopes", [("read",), ("read", "household:pii"), ("household:write",)])
async def test_the_audit_trail_refuses_a_token_without_household_audit_with_403(
    gateway: httpx.AsyncClient, token: Any, scopes: tuple[str, ...]
) -> None:
    for path in AUDIT_PATHS:
        answer = await gateway.get(path, headers={"Authorization": f"Bearer {token(*scopes)}"})
        assert answer.status_code == 403, (path, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
        assert "household:audit" in answer.json()["detail"]


async def test_the_contract_says_which_scope_shows_the_sensitive_fields_and_which_lists_their_audit(
    gateway: httpx.AsyncClient,
) -> None:
    openapi = (await gateway.get("/openapi.json")).json()
    household = openapi["paths"]["/v1/households/{household_id}"]["get"]
    assert household["x-required-scope"] == "read" and "household:pii" in household["description"]
    for path in ("/v1/personal-data-audit", "/v1/households/{household_id}/personal-data-audit"):
        assert openapi["paths"][path]["get"]["x-required-scope"] == "household:audit", path
    schemas = openapi["components"]["schemas"]
    assert "ethnic_minority" not in schemas["HouseholdPublic"]["required"]
    assert "household:pii" in schemas["HouseholdPublic"]["properties"]["ethnic_minority"]["description"]
    assert not {"income_per_capita_vnd", "deprivations"} & set(schemas["YearClassification"]["required"])
