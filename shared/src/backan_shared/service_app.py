"""The composition root every service shares: from settings to a running FastAPI app.

`create_service_app` builds nothing at import time. Its lifespan configures logging and telemetry, creates
the database (in dev) and the pool, applies migrations, declares the service's topics (and their dead-letter
topics), starts the outbox relay and the service's consumers, and stops them all in reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field

import asyncpg
from fastapi import APIRouter, FastAPI

from backan_shared.consumer import ConsumerRunner, Subscription
from backan_shared.database import create_pool, ensure_database
from backan_shared.event_store import PostgresEventStore
from backan_shared.garbage_collection import tune_for_a_long_running_service
from backan_shared.health import health_router, kafka_reachable
from backan_shared.idempotency import IdempotencyMiddleware
from backan_shared.logs import configure_logging, get_logger
from backan_shared.migrations import SHARED_MIGRATIONS, MigrationSource, apply_migrations
from backan_shared.outbox import OutboxRelay, idempotent_producer_factory
from backan_shared.problems import install_problem_handlers
from backan_shared.settings import ServiceSettings
from backan_shared.telemetry import setup_telemetry
from backan_shared.topics import TopicSpec, declare_topics

log = get_logger(__name__)


@dataclass
class Runtime:
    """What the lifespan built, for routes (through `request.app.state.runtime`) and tests."""

    settings: ServiceSettings
    pool: asyncpg.Pool
    event_store: PostgresEventStore
    relay: OutboxRelay
    consumers: list[ConsumerRunner] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    extra_pools: list[asyncpg.Pool] = field(default_factory=list)


@dataclass(frozen=True)
class ServiceDefinition:
    """What makes one service different from another."""

    title: str
    description: str
    version: str = "0.1.0"
    migrations: Sequence[MigrationSource] = ()
    topics: Sequence[TopicSpec] = ()
    routers: Sequence[APIRouter] = ()
    subscriptions: Callable[[Runtime], Sequence[Subscription]] = lambda _: ()
    domain_errors: Mapping[type[Exception], int] = field(default_factory=dict)
    resources: Callable[[FastAPI, Runtime], contextlib.AbstractAsyncContextManager[None]] | None = None
    # A service answers Idempotency-Key itself; the gateway must not, since its middleware would replay a
    # stored answer before the caller's token and scope are checked.
    idempotency: bool = True


def create_service_app(definition: ServiceDefinition, settings: ServiceSettings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await start_runtime(definition, settings)
        app.state.runtime = runtime
        try:
            if definition.resources is None:
                yield
            else:
                async with definition.resources(app, runtime):
                    yield
        finally:
            await stop_runtime(runtime)

    app = FastAPI(
        title=definition.title, description=definition.description, version=definition.version, lifespan=lifespan
    )
    install_problem_handlers(app, dict(definition.domain_errors))
    if definition.idempotency:
        app.add_middleware(IdempotencyMiddleware)

    async def database_check() -> None:
        async with app.state.runtime.pool.acquire() as conn:
            await conn.fetchval("SELECT 1")

    async def kafka_check() -> None:
        await kafka_reachable(settings.kafka_endpoint())

    app.include_router(health_router({"database": database_check, "kafka": kafka_check}))
    for router in definition.routers:
        app.include_router(router)
    configure_logging(settings.service_name, settings.log_level)
    setup_telemetry(settings.service_name, settings.otel_exporter_otlp_endpoint)
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz")
    return app


async def start_runtime(definition: ServiceDefinition, settings: ServiceSettings) -> Runtime:
    if settings.dx_env != "prod":
        await ensure_database(settings.database_url)
    pool = await create_pool(settings.database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max)
    applied = await apply_migrations(pool, [MigrationSource("shared", SHARED_MIGRATIONS), *definition.migrations])
    if applied:
        log.info("migrations applied", migrations=applied)
    topics = list(definition.topics)
    if settings.kafka_declare_topics:
        await declare_topics(settings.kafka_endpoint(), topics + [t.dead_letters for t in topics])
    # The relay has its own two connections: behind busy commands in the shared pool it would publish late.
    relay_pool = await create_pool(settings.database_url, min_size=1, max_size=2)
    relay = OutboxRelay(relay_pool, settings.database_url, idempotent_producer_factory(settings.kafka_endpoint()))
    runtime = Runtime(settings=settings, pool=pool, event_store=PostgresEventStore(pool), relay=relay)
    runtime.extra_pools.append(relay_pool)
    runtime.tasks.append(asyncio.create_task(relay.run(), name="outbox-relay"))
    for subscription in definition.subscriptions(runtime):
        runner = ConsumerRunner(pool, settings.kafka_endpoint(), subscription)
        runtime.consumers.append(runner)
        runtime.tasks.append(asyncio.create_task(runner.run_supervised(), name=f"consumer-{subscription.group_id}"))
    tune_for_a_long_running_service()  # last: what started lives as long as the process
    log.info("service started", service=settings.service_name)
    return runtime


async def stop_runtime(runtime: Runtime) -> None:
    await runtime.relay.stop()
    for runner in runtime.consumers:
        await runner.stop()
    done, pending = await asyncio.wait(runtime.tasks, timeout=15) if runtime.tasks else (set(), set())
    for task in pending:
        task.cancel()
    for task in done:
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", task=task.get_name(), error=repr(task.exception()))
    for extra in runtime.extra_pools:
        await extra.close()
    await runtime.pool.close()
