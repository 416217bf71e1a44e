"""The gateway's forwarding client against a real HTTP server on loopback."""

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import pytest
import uvicorn
from fastapi import FastAPI, Header

from backan_shared.problems import Problem, install_problem_handlers
from gateway.adapters.service_client import ServiceClient, ServiceUnavailableProblem

calls: list[dict[str, str | None]] = []


def service_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/v1/campaigns/{campaign_id}/purchases", status_code=201)
    async def purchase(
        campaign_id: str,
        x_internal_token: str | None = Header(None),
        idempotency_key: str | None = Header(None),
    ) -> dict[str, str]:
        calls.append({"internal": x_internal_token, "key": idempotency_key})
        if campaign_id == "poor":
            raise Problem("cash held is 1,000,000 VND; the purchase needs 1,900,000 VND", status=409)
        return {"purchase_id": "p-1"}

    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def service_url() -> AsyncIterator[str]:
    # The socket listens before the server starts, so connections queue instead of racing its startup.
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(64)
    port = listening.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(service_app(), log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[listening]))
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def test_an_answer_passes_through_with_the_internal_credential_and_idempotency_key(service_url: str) -> None:
    client = ServiceClient({"campaign-ledger": service_url}, "internal-secret")
    calls.clear()
    answer = await client.forward(
        "campaign-ledger",
        "POST",
        "/v1/campaigns/c-1/purchases",
        content=b"{}",
        headers={"Idempotency-Key": "k-1", "Content-Type": "application/json", "Authorization": "Bearer x"},
    )
    await client.close()
    assert answer.status_code == 201
    assert calls == [{"internal": "internal-secret", "key": "k-1"}]


async def test_a_service_problem_passes_through_with_its_status_and_body(service_url: str) -> None:
    client = ServiceClient({"campaign-ledger": service_url}, "internal-secret")
    answer = await client.forward("campaign-ledger", "POST", "/v1/campaigns/poor/purchases", content=b"{}")
    await client.close()
    assert answer.status_code == 409
    assert answer.headers["content-type"] == "application/problem+json"
    assert b"cash held" in answer.content


async def test_an_unreachable_service_is_a_quick_503_with_retry_after() -> None:
    client = ServiceClient({"dti-scoring": f"http://127.0.0.1:{free_port()}"}, "s", retry_backoff=0.01)
    started = time.monotonic()
    with pytest.raises(ServiceUnavailableProblem) as refused:
        await client.forward("dti-scoring", "GET", "/v1/dti/rankings")
    await client.close()
    assert refused.value.status == 503
    assert refused.value.headers == {"Retry-After": "5"}
    assert time.monotonic() - started < 5
