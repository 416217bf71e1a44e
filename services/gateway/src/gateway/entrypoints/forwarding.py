"""Routes the gateway forwards to the service that owns them, declared as data.

Each `Forwarded` names the route, its owner, the scope it needs, and the contract models of its body and
answer (from `backan_shared.api`), so the gateway validates bad input itself (422 without a round trip),
publishes the contract with examples in its OpenAPI document, and forwards the verified caller as
`X-Principal-Subject` / `X-Principal-Scopes`. An Idempotency-Key is scoped to the caller, so two clients
that happen to choose the same key never see each other's answers.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response
from pydantic import BaseModel, TypeAdapter

from backan_shared.auth import Principal, require_scope
from gateway.adapters.service_client import ServiceClient

_PATH_PARAMETER = re.compile(r"{(\w+)}")


@dataclass(frozen=True)
class Forwarded:
    method: str
    path: str
    service: str
    scope: str
    summary: str
    body: type[BaseModel] | None = None
    answer: Any = None
    status_code: int = 200
    query: dict[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    # A file (CSV, JSON lines) passed on as it came: the owner parses and validates it.
    raw_body_types: tuple[str, ...] = ()
    example: Any = None  # of the answer, where its contract model carries none
    description: str | None = None  # what a caller must know beyond the summary (e.g. fields shown by scope)


def _client(request: Request) -> ServiceClient:
    client: ServiceClient = request.app.state.service_client
    return client


def _outgoing_headers(request: Request, principal: Principal) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k in ("content-type", "accept")}
    key = request.headers.get("idempotency-key")
    if key:
        headers["idempotency-key"] = f"{principal.subject}:{key}"
    headers["x-principal-subject"] = principal.subject
    headers["x-principal-scopes"] = " ".join(sorted(principal.scopes))
    return headers


def _endpoint(route: Forwarded) -> Callable[..., Awaitable[Response]]:
    async def endpoint(request: Request, principal: Principal, **_: Any) -> Response:
        query = {k: v for k, v in request.query_params.items()}
        answer = await _client(request).forward(
            route.service,
            route.method,
            request.url.path,
            content=await request.body() if route.body is not None or route.raw_body_types else None,
            headers=_outgoing_headers(request, principal),
            params=query or None,
        )
        return Response(answer.content, status_code=answer.status_code, headers=answer.headers)

    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter(
            "principal",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[Principal, Depends(require_scope(route.scope))],
        ),
    ]
    for name in _PATH_PARAMETER.findall(route.path):
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[str, Path()]))
    for name, annotation in route.query.items():
        parameters.append(
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[annotation, Query()], default=None
            )
        )
    if route.body is not None:
        parameters.append(
            inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[route.body, Body()])
        )
    endpoint.__signature__ = inspect.Signature(parameters, return_annotation=Response)  # type: ignore[attr-defined]
    endpoint.__name__ = re.sub(r"\W+", "_", f"{route.method.lower()}{route.path}").strip("_")
    return endpoint


RAW_BODY_EXAMPLES = {
    "text/csv": "household_id,year,income_per_capita_vnd,deprivations\n"
    "0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10,2024,1350000,telecom_services;health_insurance;hygienic_latrine\n",
    "application/x-ndjson": '{"household_id": "0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10", "year": 2024, '
    '"income_per_capita_vnd": 1350000, "deprivations": ["telecom_services"]}\n',
}
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}


def _answer(route: Forwarded) -> dict[str, Any]:
    """The documented answer: the contract's model, and the route's own example, checked against the model so
    the two never drift apart."""
    documented: dict[str, Any] = {"model": route.answer, "description": "the answer"}
    if route.example is not None:
        TypeAdapter(route.answer).validate_python(route.example)
        documented["content"] = {"application/json": {"example": route.example}}
    return documented


def forwarding_router(routes: Sequence[Forwarded]) -> APIRouter:
    """A router with one route per `Forwarded`, documented with the contract's models and problems."""
    router = APIRouter()
    for route in routes:
        responses: dict[int | str, dict[str, Any]] = {
            401: {"description": "no valid bearer token", **_PROBLEM},
            403: {"description": f"the token lacks the '{route.scope}' scope", **_PROBLEM},
            503: {"description": f"{route.service} is unreachable; retry after the Retry-After delay", **_PROBLEM},
        }
        if route.answer is not None:
            responses[route.status_code] = _answer(route)
        if route.body is not None or route.method != "GET":
            responses[422] = {"description": "the request is not valid", **_PROBLEM}
        extra: dict[str, Any] = {"x-required-scope": route.scope, "x-owner": route.service}
        if route.raw_body_types:
            extra["requestBody"] = {
                "required": True,
                "content": {
                    media: {"schema": {"type": "string"}, "example": RAW_BODY_EXAMPLES.get(media, "")}
                    for media in route.raw_body_types
                },
            }
        router.add_api_route(
            route.path,
            _endpoint(route),
            methods=[route.method],
            status_code=route.status_code,
            summary=route.summary,
            description=route.description or "",
            tags=list(route.tags),
            responses=responses,
            openapi_extra=extra,
        )
    return router
