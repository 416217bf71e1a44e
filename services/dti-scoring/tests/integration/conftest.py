"""Fixtures for dti-scoring's integration tests: the app on a fresh database and a topic of its own, started
by its lifespan against the real PostgreSQL and Kafka, driven over HTTP the way the gateway drives it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from backan_shared.service_app import create_service_app
from backan_shared.topics import TopicSpec, declare_topics
from dti_scoring.entrypoints.app import create_app, definition
from dti_scoring.settings import Settings

INTERNAL_TOKEN = "t"
OFFICER = "officer-song-cau"
REVIEWER = "reviewer-so-tttt"
DIRECTOR = "director-so-tttt"


@pytest.fixture
def dti_topic() -> str:
    """A topic no other test (or a running ./dx up) uses; the app declares it at startup."""
    return f"test.dti.{uuid.uuid4().hex[:10]}.events.v1"


@pytest.fixture
def household_topic() -> str:
    """The registry's topic for this test alone (declared only if the app starts its indicator feeds)."""
    return f"test.household.{uuid.uuid4().hex[:10]}.events.v1"


@pytest.fixture
def campaign_topic() -> str:
    """The campaign's topic for this test alone (declared only if the app starts its indicator feeds)."""
    return f"test.campaign.{uuid.uuid4().hex[:10]}.events.v1"


@pytest.fixture
def with_indicator_feeds() -> bool:
    """Whether the app starts the consumers that feed indicators; the tests of those override this with True.

    The others leave them out: the consumers cost each test the registry's and the campaign's topics and a
    slower shutdown, and change nothing those tests look at.
    """
    return False


@pytest.fixture
def settings(
    database_url: str, kafka_bootstrap: str, dti_topic: str, household_topic: str, campaign_topic: str
) -> Settings:
    run = uuid.uuid4().hex[:10]
    return Settings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        internal_token=INTERNAL_TOKEN,
        dti_topic=dti_topic,
        household_topic=household_topic,
        campaign_topic=campaign_topic,
        household_feed_group=f"test.{run}.household-feed",
        campaign_feed_group=f"test.{run}.campaign-feed",
        assessment_feed_group=f"test.{run}.assessment-feed",
        dx_env="test",
    )


@pytest.fixture
async def app(settings: Settings, with_indicator_feeds: bool) -> AsyncIterator[FastAPI]:
    """The app, started by its lifespan; without its consumers unless the test asks for the indicator feeds."""
    if with_indicator_feeds:
        app = await app_with_feeds(settings)
    else:
        app = create_service_app(replace(definition(settings), subscriptions=lambda _: ()), settings)
    async with app.router.lifespan_context(app):
        yield app


async def app_with_feeds(settings: Settings) -> FastAPI:
    """The whole app, its consumers too, after declaring the topics they read (in production, their owners do)."""
    specs = [TopicSpec(settings.household_topic), TopicSpec(settings.campaign_topic)]
    await declare_topics(settings.kafka_bootstrap_servers, [*specs, *(spec.dead_letters for spec in specs)])
    return create_app(settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client presenting the internal credential, as the gateway does."""
    transport = httpx.ASGITransport(app=app)
    headers = {"X-Internal-Token": INTERNAL_TOKEN}
    async with httpx.AsyncClient(transport=transport, base_url="http://dti-scoring", headers=headers) as client:
        yield client


@pytest.fixture
def pool(app: FastAPI) -> asyncpg.Pool:
    """The app's own pool, to look at what it wrote."""
    return app.state.runtime.pool


class DtiApi:
    """The DTI routes with sensible defaults; each write must succeed, or the test fails with the problem."""

    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    @staticmethod
    def succeeded(response: httpx.Response, status: int) -> Any:
        return succeeded(response, status)

    @staticmethod
    def problem(response: httpx.Response, status: int) -> dict[str, Any]:
        return problem(response, status)

    async def post(self, path: str, body: dict[str, Any] | None = None, *, by: str = OFFICER) -> httpx.Response:
        return await self.client.post(path, json=body, headers={"X-Principal-Subject": by})

    async def open(self, unit_code: str = "01837", year: int = 2023, level: str = "commune") -> str:
        response = await self.post("/v1/dti/assessments", {"unit_code": unit_code, "level": level, "year": year})
        return str(succeeded(response, 201)["assessment_id"])

    async def submit(self, assessment_id: str, code: str, value: object, *, by: str = OFFICER) -> str:
        body = {"indicator_code": code, "value": value, "evidence_url": f"https://example.gov.vn/{code}.pdf"}
        response = await self.post(f"/v1/dti/assessments/{assessment_id}/submissions", body, by=by)
        return str(succeeded(response, 201)["submission_id"])

    async def review(
        self, assessment_id: str, submission_id: str, *, approved: bool = True, reason: str = "", by: str = REVIEWER
    ) -> httpx.Response:
        path = f"/v1/dti/assessments/{assessment_id}/submissions/{submission_id}/review"
        return await self.post(path, {"approved": approved, "reason": reason}, by=by)

    async def approve(self, assessment_id: str, code: str, value: object) -> str:
        """Submit a value and have a reviewer approve it."""
        submission_id = await self.submit(assessment_id, code, value)
        succeeded(await self.review(assessment_id, submission_id), 200)
        return submission_id

    async def finalise(self, assessment_id: str, *, by: str = REVIEWER) -> httpx.Response:
        return await self.post(f"/v1/dti/assessments/{assessment_id}/finalize", by=by)

    async def reopen(self, assessment_id: str, reason: str, *, by: str = DIRECTOR) -> httpx.Response:
        return await self.post(f"/v1/dti/assessments/{assessment_id}/reopen", {"reason": reason}, by=by)

    async def assessed(self, unit_code: str, year: int, yes: list[str]) -> str:
        """A finalised assessment whose approved values are 'yes' for the indicators named, and nothing else."""
        assessment_id = await self.open(unit_code, year)
        for code in yes:
            await self.approve(assessment_id, code, True)
        succeeded(await self.finalise(assessment_id), 200)
        return assessment_id

    async def view(self, assessment_id: str) -> dict[str, Any]:
        return succeeded(await self.client.get(f"/v1/dti/assessments/{assessment_id}"), 200)

    async def ranking(self, year: int, level: str = "commune") -> list[dict[str, Any]]:
        response = await self.client.get("/v1/dti/rankings", params={"level": level, "year": year})
        ranking: list[dict[str, Any]] = succeeded(response, 200)
        return ranking


def succeeded(response: httpx.Response, status: int) -> Any:
    """The response's JSON, after checking its status (showing the problem if it is not the expected one)."""
    assert response.status_code == status, response.text
    return response.json()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The problem+json body of a refused request, after checking its status and media type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@pytest.fixture
def dti(client: httpx.AsyncClient) -> DtiApi:
    return DtiApi(client)


async def row_counts(pool: asyncpg.Pool) -> dict[str, int]:
    """How many events, outbox rows and assessment views the service holds."""
    async with pool.acquire() as conn:
        return {
            table: int(await conn.fetchval(f"SELECT count(*) FROM {table}"))
            for table in ("events", "outbox", "dti_assessments", "dti_rankings")
        }


@pytest.fixture
def counts(pool: asyncpg.Pool) -> Callable[[], Awaitable[dict[str, int]]]:
    return lambda: row_counts(pool)
