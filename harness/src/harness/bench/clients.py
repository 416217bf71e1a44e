"""How the bench calls its services: straight to household-registry with the internal credential (as the
gateway does), or through the gateway with a bearer token (as a client does)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

from backan_shared.auth import INTERNAL_TOKEN_HEADER
from harness.bench.system import BenchSystem
from harness.devkeys import mint_token

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Endpoint:
    """A base URL and the credential headers every request to it carries."""

    base_url: str
    headers: dict[str, str] = field(default_factory=dict)


def registry(system: BenchSystem) -> Endpoint:
    """household-registry itself, called as the gateway calls it."""
    return Endpoint(system.url("household-registry"), {INTERNAL_TOKEN_HEADER: system.internal_token})


def gateway(system: BenchSystem) -> Endpoint:
    """The gateway, called by a commune officer who records surveys and reads the views."""
    token = mint_token(["household:write", "read"], subject="bench-commune-officer")
    return Endpoint(system.url("gateway"), {"Authorization": f"Bearer {token}"})


@asynccontextmanager
async def client(endpoint: Endpoint, connections: int) -> AsyncIterator[httpx.AsyncClient]:
    """A keep-alive client with one connection per concurrent caller, so no caller waits for a connection."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(
        base_url=endpoint.base_url, headers=endpoint.headers, limits=limits, timeout=TIMEOUT_SECONDS
    ) as http:
        yield http
