"""What the routes need from a request, as `Annotated` dependencies: the caller, the pool, the handlers' own."""

from __future__ import annotations

from typing import Annotated, cast

import asyncpg
from fastapi import Depends, Header, Request

from backan_shared.idempotency import joining_the_request
from backan_shared.service_app import Runtime
from dti_scoring.bootstrap import dependencies
from dti_scoring.service_layer.dependencies import Dependencies

PRINCIPAL_HEADER = "X-Principal-Subject"
ANONYMOUS = "anonymous"


def runtime(request: Request) -> Runtime:
    """What the service's lifespan built."""
    return cast(Runtime, request.app.state.runtime)


def pool(request: Request) -> asyncpg.Pool:
    """The pool of the service's database."""
    return runtime(request).pool


def command_dependencies(request: Request) -> Dependencies:
    """The event store, pool and publisher the command handlers need."""
    return joining_the_request(dependencies(runtime(request)), request)


PoolDep = Annotated[asyncpg.Pool, Depends(pool)]
DependenciesDep = Annotated[Dependencies, Depends(command_dependencies)]
SubjectDep = Annotated[
    str,
    Header(
        alias=PRINCIPAL_HEADER,
        min_length=1,
        max_length=256,
        description="the caller's subject, which the gateway forwards from the verified token",
    ),
]
