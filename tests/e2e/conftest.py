"""The whole system in this process: campaign-ledger, household-registry, dti-scoring and the gateway, each a
real uvicorn HTTP server on loopback with its own fresh database, all on the real Kafka with topics and
consumer groups no other test (nor a running `./dx up`) uses.

Clients talk to the gateway only; the services accept the gateway's internal credential, which the tests
also hold so they can ask each service for its own answer and compare.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from pydantic_settings import BaseSettings

from backan_shared.auth import INTERNAL_TOKEN_HEADER
from backan_shared.topics import TopicSpec, declare_topics
from campaign_ledger.entrypoints.app import create_app as create_campaign_ledger
from campaign_ledger.settings import Settings as CampaignLedgerSettings
from dti_scoring.entrypoints.app import create_app as create_dti_scoring
from dti_scoring.settings import Settings as DtiScoringSettings
from gateway.entrypoints.app import create_app as create_gateway
from gateway.settings import Settings as GatewaySettings
from harness.devkeys import ensure_key_pair, mint_token
from harness.testing import temporary_database
from household_registry.entrypoints.app import create_app as create_household_registry
from household_registry.settings import Settings as HouseholdRegistrySettings

SERVICES = ("campaign-ledger", "household-registry", "dti-scoring", "gateway")
OFFICER_SCOPES = ["read", "campaign:write", "household:write", "dti:submit"]
REVIEWER_SCOPES = ["read", "dti:review"]
STARTUP_SECONDS = 60
CONSISTENCY_WAIT_SECONDS = 10.0


@dataclass(frozen=True)
class Names:
    """What this run's services share and no other run uses: topics, consumer groups, the internal token."""

    campaign_topic: str
    household_topic: str
    dti_topic: str
    group_prefix: str
    internal_token: str

    @classmethod
    def unique(cls) -> Names:
        run = uuid.uuid4().hex[:10]
        return cls(
            campaign_topic=f"e2e.{run}.campaign.events.v1",
            household_topic=f"e2e.{run}.household.events.v1",
            dti_topic=f"e2e.{run}.dti.events.v1",
            group_prefix=f"e2e-{run}",
            internal_token=f"e2e-internal-{uuid.uuid4().hex}",
        )

    @property
    def topics(self) -> list[TopicSpec]:
        specs = [TopicSpec(self.campaign_topic), TopicSpec(self.household_topic), TopicSpec(self.dti_topic)]
        return specs + [spec.dead_letters for spec in specs]

    @property
    def ledger_household_group(self) -> str:
        """campaign-ledger's consumer of the registry's households (see `_shared_names`)."""
        return f"{self.group_prefix}.campaign-ledger.household_consumer_group"


@dataclass(frozen=True)
class RunningSystem:
    """Where each server listens, the credentials to call them, and the names they share."""

    gateway_url: str
    service_urls: dict[str, str]
    names: Names
    officer: str
    reviewer: str
    kafka_bootstrap: str

    def gateway(self) -> httpx.AsyncClient:
        """A client of the gateway, as another government system would be (no credentials of its own)."""
        return httpx.AsyncClient(base_url=self.gateway_url, timeout=30)

    def service(self, name: str) -> httpx.AsyncClient:
        """A client of one service, presenting the internal credential as the gateway does."""
        headers = {INTERNAL_TOKEN_HEADER: self.names.internal_token}
        return httpx.AsyncClient(base_url=self.service_urls[name], headers=headers, timeout=30)


@pytest.fixture(scope="module")
async def e2e_databases(postgres_admin_url: str) -> AsyncIterator[dict[str, str]]:
    """A new, empty database per service for the module, dropped afterwards."""
    async with contextlib.AsyncExitStack() as stack:
        yield {
            service: await stack.enter_async_context(
                temporary_database(postgres_admin_url, f"test_e2e_{service.replace('-', '_')}")
            )
            for service in SERVICES
        }


@pytest.fixture(scope="module")
def e2e_keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return ensure_key_pair(tmp_path_factory.mktemp("e2e-keys"))


def _shared_names(service: str, settings_class: type[BaseSettings], names: Names) -> dict[str, str]:
    """Every topic and consumer group a service's settings name, made this run's own.

    Found by field name, so a consumer group a service adds later is never left on its default (which a running
    `./dx up` on the same Kafka uses: sharing it would split that system's partitions with this test).
    """
    topics = {
        "campaign_topic": names.campaign_topic,
        "household_topic": names.household_topic,
        "dti_topic": names.dti_topic,
    }
    chosen: dict[str, str] = {}
    for field in settings_class.model_fields:
        if field in topics:
            chosen[field] = topics[field]
        elif field.endswith("_group") or field == "consumer_group_prefix":
            chosen[field] = f"{names.group_prefix}.{service}.{field}"
    return chosen


def _settings(names: Names, databases: dict[str, str], kafka: str, public_key: Path, urls: dict[str, str]) -> dict:
    def common(service: str, settings_class: type[BaseSettings]) -> dict[str, Any]:
        return {
            "database_url": databases[service],
            "kafka_bootstrap_servers": kafka,
            "internal_token": names.internal_token,
            "dx_env": "test",
            **_shared_names(service, settings_class, names),
        }

    return {
        "campaign-ledger": CampaignLedgerSettings(**common("campaign-ledger", CampaignLedgerSettings)),
        "household-registry": HouseholdRegistrySettings(
            **common("household-registry", HouseholdRegistrySettings),
            pii_master_key=base64.b64encode(os.urandom(32)).decode(),
        ),
        "dti-scoring": DtiScoringSettings(**common("dti-scoring", DtiScoringSettings)),
        "gateway": GatewaySettings(
            **common("gateway", GatewaySettings),
            jwt_public_key_file=public_key,
            campaign_ledger_url=urls["campaign-ledger"],
            household_registry_url=urls["household-registry"],
            dti_scoring_url=urls["dti-scoring"],
            consistency_wait_seconds=CONSISTENCY_WAIT_SECONDS,
        ),
    }


def _listening_socket() -> socket.socket:
    # The socket listens before the server starts, so early connections queue instead of being refused.
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    listening.listen(128)
    return listening


@contextlib.asynccontextmanager
async def _served(app: FastAPI, listening: socket.socket) -> AsyncIterator[None]:
    """Serve `app` on the socket until the block ends; its lifespan (migrations, relay, consumers) runs first."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    task = asyncio.create_task(server.serve(sockets=[listening]))
    try:
        async with asyncio.timeout(STARTUP_SECONDS):
            while not server.started:
                if task.done():
                    raise RuntimeError(f"{app.title} did not start: {task.exception()!r}")
                await asyncio.sleep(0.05)  # the polling interval; the timeout bounds the wait
        yield
    finally:
        server.should_exit = True
        await task
        listening.close()


def _url(listening: socket.socket) -> str:
    return f"http://127.0.0.1:{listening.getsockname()[1]}"


@pytest.fixture(scope="module")
async def running_system(
    e2e_databases: dict[str, str], kafka_bootstrap: str, e2e_keys: tuple[Path, Path]
) -> AsyncIterator[RunningSystem]:
    """The four services, started in the order `./dx up` starts them, stopped in reverse."""
    names = Names.unique()
    await declare_topics(kafka_bootstrap, names.topics)
    sockets = {service: _listening_socket() for service in SERVICES}
    urls = {service: _url(listening) for service, listening in sockets.items()}
    settings = _settings(names, e2e_databases, kafka_bootstrap, e2e_keys[1], urls)
    factories = {
        "campaign-ledger": create_campaign_ledger,
        "household-registry": create_household_registry,
        "dti-scoring": create_dti_scoring,
        "gateway": create_gateway,
    }
    async with contextlib.AsyncExitStack() as stack:
        for service in SERVICES:
            await stack.enter_async_context(_served(factories[service](settings[service]), sockets[service]))
        yield RunningSystem(
            gateway_url=urls["gateway"],
            service_urls={s: u for s, u in urls.items() if s != "gateway"},
            names=names,
            officer=mint_token(OFFICER_SCOPES, subject="officer-song-cau", private_key=e2e_keys[0]),
            reviewer=mint_token(REVIEWER_SCOPES, subject="reviewer-province", private_key=e2e_keys[0]),
            kafka_bootstrap=kafka_bootstrap,
        )
