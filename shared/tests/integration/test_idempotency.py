"""Idempotency-Key on POST, through a real service app on the real PostgreSQL."""

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter, Request

from backan_shared.command_handling import CommandDependencies
from backan_shared.event_store import ConcurrencyError
from backan_shared.idempotency import joining_the_request
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


# Routes whose effect joins the transaction that holds the Idempotency-Key, as the services' commands do.
joined = APIRouter()
FAULTS: list[str] = []
"""Faults the next requests meet, in order: outside the request, so a client's retry is the same request."""


@joined.post("/v1/joined-donations", status_code=201)
async def record_joined_donation(request: Request, body: dict[str, int]) -> dict[str, int]:
    deps = joining_the_request(CommandDependencies(store=None, pool=request.app.state.runtime.pool), request)  # type: ignore[arg-type]
    async with deps.transaction() as conn:
        await conn.execute("INSERT INTO donations VALUES ($1)", body["amount_vnd"])
        fault = FAULTS.pop(0) if FAULTS else None
        if fault == "database dies":
            # the database ends this session while the command runs, as a crash or a restart would
            await conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        if fault == "conflict":
            raise ConcurrencyError("donations", 0, 1)
        return {"donation_number": int(await conn.fetchval("SELECT count(*) FROM donations"))}


@pytest.fixture
async def joined_client(database_url: str, kafka_bootstrap: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = ServiceSettings(
        service_name="idempotency-test", database_url=database_url, kafka_bootstrap_servers=kafka_bootstrap
    )
    app = create_service_app(ServiceDefinition(title="t", description="t", routers=[joined]), settings)
    async with app.router.lifespan_context(app):
        async with app.state.runtime.pool.acquire() as conn:
            await conn.execute("CREATE TABLE donations (amount bigint)")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def unsettled_keys(client: httpx.AsyncClient) -> int:
    pool = client._transport.app.state.runtime.pool  # type: ignore[attr-defined]
    async with pool.acquire() as conn:
        return int(await conn.fetchval("SELECT count(*) FROM idempotency_keys WHERE status_code IS NULL"))


async def test_a_key_claimed_when_the_database_dies_gets_an_answer_on_retry(joined_client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "pledge-during-an-outage"}
    FAULTS[:] = ["database dies"]
    failed = await joined_client.post("/v1/joined-donations", json={"amount_vnd": 500}, headers=headers)
    assert failed.status_code == 503
    assert failed.headers["content-type"] == "application/problem+json"
    assert failed.headers["retry-after"] == "1"
    assert await donations(joined_client) == 0
    assert await unsettled_keys(joined_client) == 0

    retried = await joined_client.post("/v1/joined-donations", json={"amount_vnd": 500}, headers=headers)
    replayed = await joined_client.post("/v1/joined-donations", json={"amount_vnd": 500}, headers=headers)
    assert (retried.status_code, retried.json()) == (201, {"donation_number": 1})
    assert (replayed.status_code, replayed.headers["idempotent-replayed"]) == (201, "true")
    assert await donations(joined_client) == 1


async def test_a_concurrency_conflict_is_not_the_keys_answer(joined_client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "pledge-in-a-busy-minute"}
    FAULTS[:] = ["conflict"]
    refused = await joined_client.post("/v1/joined-donations", json={"amount_vnd": 700}, headers=headers)
    assert (refused.status_code, refused.headers["retry-after"]) == (409, "1")
    assert await donations(joined_client) == 0
    assert await unsettled_keys(joined_client) == 0
    again = await joined_client.post("/v1/joined-donations", json={"amount_vnd": 700}, headers=headers)
    assert (again.status_code, again.json()) == (201, {"donation_number": 1})
    assert "idempotent-replayed" not in again.headers


async def test_two_requests_with_one_key_at_once_take_effect_once(joined_client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "the-same-pledge-twice"}
    answers = await asyncio.gather(
        *(joined_client.post("/v1/joined-donations", json={"amount_vnd": 900}, headers=headers) for _ in range(4))
    )
    assert [a.status_code for a in answers] == [201] * 4
    assert {a.json()["donation_number"] for a in answers} == {1}
    assert sorted(a.headers.get("idempotent-replayed", "false") for a in answers) == ["false"] + ["true"] * 3
    assert await donations(joined_client) == 1
