"""The bench's own copy of the system: four service processes beside the developer's, never touching them.

They run under other names and ports, on fresh databases of the same PostgreSQL server
(`bench_<package>_<run>`), and read and write their own topics and consumer groups, all chosen through the
environment variables the services' Settings read. Leaving the context drops the databases and topics and
stops the processes; the logs are kept only when something failed.
"""

from __future__ import annotations

import asyncio
import importlib
import secrets
import socket
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import asyncpg
from aiokafka.admin import AIOKafkaAdminClient
from pydantic_settings import BaseSettings

from backan_shared.topics import TopicSpec, declare_topics
from harness import processes, services
from harness.kafka import KafkaCluster
from harness.paths import LOGS
from harness.postgres import PostgresServer, ensure_database
from harness.progress import say, step


@dataclass(frozen=True)
class BenchSystem:
    """Where the bench's services are and what they are called."""

    run_id: str
    postgres: PostgresServer
    kafka: KafkaCluster
    services: dict[str, services.Service]  # by the real service name
    internal_token: str

    def url(self, name: str) -> str:
        return self.services[name].url

    def database_url(self, name: str) -> str:
        return self.postgres.database_url(database_name(self.services[name], self.run_id))

    def kafka_names(self, name: str) -> dict[str, str]:
        """The bench's own value of every topic and consumer-group variable the service's Settings read."""
        fields = _settings_class(self.services[name].package).model_fields
        return {
            field.upper(): f"bench-{self.run_id}.{info.default}"
            for field, info in fields.items()
            if (field.endswith("_topic") or "group" in field) and isinstance(info.default, str)
        }

    @property
    def topics(self) -> set[str]:
        """Every topic the bench's services use (their dead-letter topics aside)."""
        names = [self.kafka_names(name) for name in self.services]
        return {value for found in names for variable, value in found.items() if variable.endswith("_TOPIC")}


def _settings_class(package: str) -> type[BaseSettings]:
    # Read from each service's Settings, so a topic or consumer group added later is renamed too: a bench
    # consumer left in a developer's group would take partitions from the developer's service.
    settings: type[BaseSettings] = importlib.import_module(f"{package}.settings").Settings
    return settings


def database_name(service: services.Service, run_id: str) -> str:
    return f"bench_{service.package}_{run_id}"


def _free_port() -> int:
    # The OS picks a port nobody listens on; the bench never collides with the developer's 8000-8003.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def plan(postgres: PostgresServer, kafka: KafkaCluster) -> BenchSystem:
    """Names, ports and databases for one bench run."""
    run_id = uuid.uuid4().hex[:8]
    own = {s.name: services.Service(f"bench-{run_id}-{s.name}", s.package, _free_port()) for s in services.SERVICES}
    return BenchSystem(run_id, postgres, kafka, own, secrets.token_urlsafe(24))


def overrides(system: BenchSystem, name: str) -> dict[str, str]:
    """The environment of one bench service; SERVICE_NAME stays the real name (it is the events' source)."""
    env = {"SERVICE_NAME": name, "DATABASE_URL": system.database_url(name), "INTERNAL_TOKEN": system.internal_token}
    env.update(system.kafka_names(name))
    env.update({f"{s.package.upper()}_URL": s.url for s in system.services.values()})
    return env


async def _create(system: BenchSystem) -> None:
    for name in system.services:
        await ensure_database(system.postgres, database_name(system.services[name], system.run_id))
    specs = [TopicSpec(topic) for topic in sorted(system.topics)]
    # Declared before any service starts, so a consumer never subscribes to a topic that is not there yet.
    await declare_topics(system.kafka.bootstrap_servers, specs + [spec.dead_letters for spec in specs])


def start(system: BenchSystem) -> None:
    """Create the databases and topics, then start the four services side by side and wait until ready."""
    asyncio.run(_create(system))
    with ThreadPoolExecutor(len(system.services)) as pool:
        started = [pool.submit(_start_one, system, name) for name in system.services]
        for future in started:
            future.result()


def _start_one(system: BenchSystem, name: str) -> None:
    services.start(system.services[name], system.postgres, system.kafka, overrides=overrides(system, name))


def stop(system: BenchSystem, *, keep_logs: bool) -> None:
    """Stop the bench's processes (only those), drop their databases and delete their topics."""
    for service in system.services.values():
        processes.stop(service.name)
    asyncio.run(_drop(system))
    for service in system.services.values():
        log = LOGS / f"{service.name}.log"
        if keep_logs:
            say(f"kept {log} for a look at what failed")
        else:
            log.unlink(missing_ok=True)


async def _drop(system: BenchSystem) -> None:
    conn = await asyncpg.connect(system.postgres.admin_url)
    try:
        for service in system.services.values():
            await conn.execute(f'DROP DATABASE IF EXISTS "{database_name(service, system.run_id)}" WITH (FORCE)')
    finally:
        await conn.close()
    await _delete_topics(system)


async def _delete_topics(system: BenchSystem) -> None:
    # Consumer groups are left to the broker, which forgets an empty group's offsets by itself.
    admin = AIOKafkaAdminClient(bootstrap_servers=system.kafka.bootstrap_servers)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        ours = [t for topic in system.topics for t in (topic, f"{topic}.dlq") if t in existing]
        with suppress(Exception):  # a topic left behind is harmless; failing the run over it is not
            await admin.delete_topics(ours)
    finally:
        await admin.close()


@contextmanager
def running(postgres: PostgresServer, kafka: KafkaCluster) -> Iterator[BenchSystem]:
    """The bench's own four services for the duration of the block; everything is removed afterwards."""
    system = plan(postgres, kafka)
    failed = True
    try:
        with step(f"starting the bench's own four services (run {system.run_id}, fresh databases and topics)"):
            start(system)
        yield system
        failed = False
    finally:
        with step("stopping the bench's services, dropping their databases and topics"):
            stop(system, keep_logs=failed)
