"""/healthz (the process answers) and /readyz (its database and Kafka are reachable)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from backan_shared.kafka_clients import KafkaCluster, endpoint
from backan_shared.problems import problem_response

Check = Callable[[], Awaitable[None]]


class Liveness(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "ok"}]})

    status: str


class Readiness(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "ready", "checks": {"database": "ok", "kafka": "ok"}}]}
    )

    status: str
    checks: dict[str, str]


async def kafka_reachable(cluster: KafkaCluster, connect_timeout: float = 2.0) -> None:
    """Raise unless some bootstrap server accepts a TCP connection."""
    errors = []
    for server in endpoint(cluster).bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), connect_timeout)
        except (TimeoutError, OSError) as error:
            errors.append(f"{server}: {error!r}")
            continue
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
        return
    raise ConnectionError("; ".join(errors))


def health_router(checks: dict[str, Check]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Liveness: the process answers")
    async def healthz() -> Liveness:
        return Liveness(status="ok")

    @router.get(
        "/readyz",
        summary="Readiness: the database and Kafka are reachable",
        response_model=Readiness,
        responses={503: {"description": "a dependency is unreachable", "content": {"application/problem+json": {}}}},
    )
    async def readyz() -> JSONResponse | Readiness:
        failures = {}
        for name, check in checks.items():
            try:
                await asyncio.wait_for(check(), timeout=3)
            except Exception as error:
                failures[name] = repr(error)
        if failures:
            return problem_response(
                503,
                "not ready: " + ", ".join(f"{k} unreachable" for k in failures),
                checks=failures,
                headers={"Retry-After": "5"},
            )
        return Readiness(status="ready", checks={name: "ok" for name in checks})

    return router
