"""Idempotency-Key on POST, through a real service app on the real PostgreSQL."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, Request

from backan_shared.service_app import ServiceDefinition, create_service_app
from backan_shared.settings import ServiceSettings

pytestmark = pytest.mark.infra

router = APIRouter()


@router.post("/v1/donations", status_code=201)
async def record_donation(request: Request, body: dict[str, int]) -> dict[str, int]:
    async with request.app.state.runtime.pool.acquire() as conn:
        await conn.execute("CREATE TABLE IF NOT EXISTS donations (amount bigint)")
        await conn.execute("INSERT INTO donations VALUES ($1)", body["amount_vnd"])
        count = await conn.fetchval("SELECT count(*) FROM donations")
    return {"donation_number": count}


@pytest.fixture
async def client(database_url: str, kafka_bootstrap: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        service_name="idempotency-test", database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap
    )
    app = create_service_app(ServiceDefinition(title="t", description="t", routers=[router]), settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def donations(client: httpx.AsyncClient) -> int:
    pool = client._transport.app.state.runtime.pool  # type: ignore[attr-defined]
    async with pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM donations"))


async def test_a_retried_post_with_the_same_key_gets_the_same_answer_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": "receipt-2023-08-11-001"}
    first = await client.post("/v1/donations", json={"amount_vnd": 1_900_000}, headers=headers)
    retry = await client.post("/v1/donations", json={"amount_vnd": 1_900_000}, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() == {"donation_number": 1}
    assert retry.headers["idempotent-replayed"] == "true"
    assert await donations(client) == 1


async def test_the_same_key_for_a_different_request_is_refused_with_a_problem(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "k-1"}
    await client.post("/v1/donations", json={"amount_vnd": 100}, headers=headers)
    refused = await client.post("/v1/donations", json={"amount_vnd": 200}, headers=headers)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert "different request" in refused.json()["detail"]
    assert await donations(client) == 1


async def test_posts_without_a_key_or_with_different_keys_each_take_effect(client: httpx.AsyncClient) -> None:
    await client.post("/v1/donations", json={"amount_vnd": 100})
    await client.post("/v1/donations", json={"amount_vnd": 100})
    await client.post("/v1/donations", json={"amount_vnd": 100}, headers={"Idempotency-Key": "a"})
    await client.post("/v1/donations", json={"amount_vnd": 100}, headers={"Idempotency-Key": "b"})
    assert await donations(client) == 4


async def test_an_invalid_body_is_a_problem_json_422(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/donations", json={"amount_vnd": "many"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "amount_vnd" in response.json()["detail"]
