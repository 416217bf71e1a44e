"""The four services as the harness runs them: one uvicorn process each, its own port and database."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from harness import processes
from harness.kafka import KafkaCluster
from harness.paths import ROOT
from harness.postgres import PostgresServer
from harness.progress import step, wait_until


@dataclass(frozen=True)
class Service:
    name: str
    package: str
    port: int

    @property
    def database(self) -> str:
        return self.package

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def app_factory(self) -> str:
        return f"{self.package}.entrypoints.app:create_app"


def _port(variable: str, default: int) -> int:
    return int(os.environ.get(variable, str(default)))


SERVICES = (
    Service("campaign-ledger", "campaign_ledger", _port("CAMPAIGN_LEDGER_PORT", 8001)),
    Service("household-registry", "household_registry", _port("HOUSEHOLD_REGISTRY_PORT", 8002)),
    Service("dti-scoring", "dti_scoring", _port("DTI_SCORING_PORT", 8003)),
    Service("gateway", "gateway", _port("GATEWAY_PORT", 8000)),
)


def by_name(name: str) -> Service:
    for service in SERVICES:
        if service.name == name:
            return service
    raise KeyError(f"no service named {name!r}; the services are {', '.join(s.name for s in SERVICES)}")


def environment(
    service: Service, postgres: PostgresServer, kafka: KafkaCluster, overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The process environment of one service: the caller's, plus where its database and Kafka are.

    `overrides` are applied last, so a second copy of the system can run beside the developer's: `./dx bench`
    gives its services their own database URL, topics, consumer groups and peers' URLs this way.
    """
    env = dict(os.environ)
    env.update(
        {
            "SERVICE_NAME": service.name,
            "DATABASE_URL": postgres.database_url(service.database),
            "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
            "DX_ENV": env.get("DX_ENV", "dev"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    for other in SERVICES:
        env.setdefault(f"{other.package.upper()}_URL", other.url)
    if service.package == "gateway":  # also a copy under another name (the bench's)
        from harness.devkeys import ensure_key_pair

        env.setdefault("JWT_PUBLIC_KEY_FILE", str(ensure_key_pair()[1]))
    env.update(overrides or {})
    return env


def healthy(service: Service) -> bool:
    try:
        return httpx.get(f"{service.url}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start(
    service: Service, postgres: PostgresServer, kafka: KafkaCluster, *, overrides: Mapping[str, str] | None = None
) -> None:
    """Start one service unless it already runs, and wait until it reports ready (`overrides`: see environment)."""
    if processes.running_pid(service.name) is None:
        processes.start(
            service.name,
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                service.app_factory,
                "--host",
                "127.0.0.1",
                "--port",
                str(service.port),
                "--no-access-log",
            ],
            env=environment(service, postgres, kafka, overrides),
            cwd=ROOT,
        )
    with step(f"waiting for {service.name} to be healthy at {service.url}"):
        wait_until(f"{service.name} /readyz", lambda: healthy(service) or _died(service), timeout=90)
        if _died(service):
            raise RuntimeError(f"{service.name} exited during startup; see .run/logs/{service.name}.log")


def _died(service: Service) -> bool:
    return processes.running_pid(service.name) is None


def stop(service: Service) -> bool:
    return processes.stop(service.name)
