"""Forwarding commands to the service that owns them.

One pooled httpx client for all services, with short connect and overall timeouts so a sick service is a
quick 503 and never a hang. A request is retried only when repeating it cannot double an effect: reads, and
writes that carry an Idempotency-Key (the service replays the first answer). Services' answers, errors
included, pass through with their status and problem+json body. The httpx instrumentation carries the trace
context; the internal credential tells the service the call comes from the gateway.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import httpx

from backan_shared.auth import INTERNAL_TOKEN_HEADER
from backan_shared.problems import Problem

# The principal headers are set by the gateway from the verified token (forwarding.py builds the outgoing
# headers afresh), never copied from the client's request.
_FORWARDED_REQUEST_HEADERS = (
    "idempotency-key",
    "content-type",
    "accept",
    "consistency-token",
    "x-principal-subject",
    "x-principal-scopes",
)
# Content-Disposition names the download a service offers (the public journal as CSV).
_FORWARDED_RESPONSE_HEADERS = (
    "content-type",
    "content-disposition",
    "location",
    "consistency-token",
    "idempotent-replayed",
    "retry-after",
)


class ServiceUnavailableProblem(Problem):
    status = 503
    title = "Service Unavailable"


@dataclass(frozen=True)
class ForwardedResponse:
    status_code: int
    content: bytes
    headers: dict[str, str]


class ServiceClient:
    def __init__(
        self,
        base_urls: dict[str, str],
        internal_token: str,
        *,
        timeout: httpx.Timeout | None = None,
        retries: int = 2,
        retry_backoff: float = 0.1,
    ):
        self._base_urls = base_urls
        self._retries = retries
        self._retry_backoff = retry_backoff
        self._http = httpx.AsyncClient(
            timeout=timeout or httpx.Timeout(10.0, connect=2.0),
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
            headers={INTERNAL_TOKEN_HEADER: internal_token},
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def forward(
        self,
        service: str,
        method: str,
        path: str,
        *,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> ForwardedResponse:
        """Send the request to `service` and return its answer; 503 when it cannot be reached."""
        outgoing = {k: v for k, v in (headers or {}).items() if k.lower() in _FORWARDED_REQUEST_HEADERS}
        retryable = method == "GET" or any(k.lower() == "idempotency-key" for k in outgoing)
        attempts = 1 + (self._retries if retryable else 0)
        url = f"{self._base_urls[service]}{path}"
        for attempt in range(1, attempts + 1):
            try:
                response = await self._http.request(method, url, content=content, headers=outgoing, params=params)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.RemoteProtocolError) as error:
                if attempt == attempts:
                    raise ServiceUnavailableProblem(
                        f"{service} did not answer ({type(error).__name__}); try again shortly",
                        headers={"Retry-After": "5"},
                    ) from error
                await asyncio.sleep(self._retry_backoff * attempt)
                continue
            kept = {k: v for k, v in response.headers.items() if k.lower() in _FORWARDED_RESPONSE_HEADERS}
            return ForwardedResponse(response.status_code, response.content, kept)
        raise AssertionError("unreachable")
