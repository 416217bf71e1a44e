"""Fixtures for campaign-ledger on the real PostgreSQL and Kafka: the app on a fresh database and fresh
topics, an HTTP client that presents the internal credential, and the registry's side of the household topic."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from backan_shared.contracts import INTEGRATION_EVENTS, household
from campaign_ledger.entrypoints.app import create_app
from campaign_ledger.settings import Settings
from harness import testing

INTERNAL_TOKEN = "t"
SONG_CAU, QUANG_THUAN = "01837", "02017"
PILOT_COMMUNES = ["01837", "02017", "01912", "02071", "02122", "01951", "02173", "01870"]
PHONE_PRICE_VND = 1_900_000


@dataclass(frozen=True)
class Ledger:
    """The running service as a test sees it: the app, a client with the internal credential, its topics."""

    app: FastAPI
    client: httpx.AsyncClient
    campaign_topic: str
    household_topic: str

    @property
    def pool(self) -> asyncpg.Pool:
        pool: asyncpg.Pool = self.app.state.runtime.pool
        return pool

    async def count(self, table: str) -> int:
        async with self.pool.acquire() as conn:
            return int(await conn.fetchval(f"SELECT count(*) FROM {table}"))

    async def open_campaign(self, **overrides: Any) -> str:
        body = {
            "name": "Phổ cập điện thoại thông minh 2023",
            "target_vnd": 750_000_000,
            "target_phones": 400,
            "commune_codes": PILOT_COMMUNES,
            "start_date": "2023-08-11",
            "end_date": "2023-12-31",
        }
        response = await self.client.post("/v1/campaigns", json=body | overrides)
        assert response.status_code == 201, response.text
        return str(response.json()["campaign_id"])

    async def post(self, campaign_id: str, path: str, body: dict[str, Any], **kwargs: Any) -> httpx.Response:
        return await self.client.post(f"/v1/campaigns/{campaign_id}/{path}", json=body, **kwargs)

    async def stock(self, campaign_id: str, phones: int, commune_code: str = SONG_CAU) -> None:
        """Money in, phones bought with it, phones allocated to a commune."""
        amount = phones * PHONE_PRICE_VND
        for path, body in (
            ("receipts", {"amount_vnd": amount, "reference": f"FT-STOCK-{commune_code}-{phones}"}),
            ("purchases", {"amount_vnd": amount, "phones": phones, "supplier": "Cửa hàng điện thoại Sông Cầu"}),
            ("allocations", {"commune_code": commune_code, "phones": phones}),
        ):
            response = await self.post(campaign_id, path, body)
            assert response.status_code == 201, response.text

    async def statement(self, campaign_id: str) -> dict[str, Any]:
        response = await self.client.get(f"/v1/campaigns/{campaign_id}")
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
async def ledger(
    database_url: str, kafka_bootstrap: str, new_topic: Callable[..., Awaitable[str]]
) -> AsyncIterator[Ledger]:
    campaign_topic, household_topic = await new_topic("campaign"), await new_topic("household")
    settings = Settings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        internal_token=INTERNAL_TOKEN,
        campaign_topic=campaign_topic,
        household_topic=household_topic,
        dx_env="test",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        headers = {"X-Internal-Token": INTERNAL_TOKEN}
        async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as client:
            yield Ledger(app, client, campaign_topic, household_topic)


@pytest.fixture
def registry(produce: testing.Produce) -> Callable[..., Awaitable[None]]:
    """The household registry's side of the household topic: `await registry(topic, household_id, commune)`
    publishes a `HouseholdRegistered` CloudEvent, keyed by household id."""

    async def register(topic: str, household_id: str, commune_code: str) -> None:
        payload = household.HouseholdRegistered(
            household_id=household_id, commune_code=commune_code, area="rural", registered_on=dt.date(2023, 9, 1)
        )
        event = INTEGRATION_EVENTS.create(payload, event_type=household.REGISTERED, source="household-registry")
        await produce(topic, event, key=household_id)

    return register
