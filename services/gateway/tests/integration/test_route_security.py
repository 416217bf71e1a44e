"""Every write route of the published contract refuses a missing token (401) and a token without its scope
(403), enumerated from the gateway's own OpenAPI document rather than a hand-picked list."""

import re
from typing import Any

import httpx
import pytest

from backan_shared.auth import SCOPES

pytestmark = pytest.mark.infra

WRITE_METHODS = {"post", "put", "patch", "delete"}


def write_operations(openapi: dict[str, Any]) -> list[tuple[str, str, str]]:
    found = []
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if method in WRITE_METHODS:
                found.append((method.upper(), re.sub(r"{\w+}", "x", path), operation["x-required-scope"]))
    return found


async def test_the_contract_is_published_as_openapi_3_1_with_every_write_route(gateway: httpx.AsyncClient) -> None:
    openapi = (await gateway.get("/openapi.json")).json()
    assert openapi["openapi"].startswith("3.1")
    writes = write_operations(openapi)
    assert ("POST", "/v1/dti/assessments", "dti:submit") in writes
    assert len(writes) >= 5


async def test_every_write_route_refuses_a_missing_token_with_401(gateway: httpx.AsyncClient) -> None:
    writes = write_operations((await gateway.get("/openapi.json")).json())
    for method, path, _ in writes:
        answer = await gateway.request(method, path, json={})
        assert answer.status_code == 401, (method, path, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"


async def test_every_write_route_refuses_a_token_without_its_scope_with_403(
    gateway: httpx.AsyncClient, token: Any
) -> None:
    writes = write_operations((await gateway.get("/openapi.json")).json())
    for method, path, scope in writes:
        others = [s for s in SCOPES if s != scope]
        answer = await gateway.request(method, path, json={}, headers={"Authorization": f"Bearer {token(*others)}"})
        assert answer.status_code == 403, (method, path, answer.text)
        assert scope in answer.json()["detail"]


async def test_a_token_with_the_scope_gets_past_the_gateway_to_validation(
    gateway: httpx.AsyncClient, token: Any
) -> None:
    answer = await gateway.post(
        "/v1/dti/assessments", json={"unit_code": 1837}, headers={"Authorization": f"Bearer {token('dti:submit')}"}
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
