"""What the routes need from a request, as `Annotated` dependencies: the caller, the pool, the handlers' context."""

from __future__ import annotations

from typing import Annotated, cast

import asyncpg
from fastapi import Depends, Header, Request

from backan_shared.service_app import Runtime
from dti_scoring.adapters.integration_events import IntegrationPublisher
from dti_scoring.service_layer.decisions import Context
from dti_scoring.settings import Settings

PRINCIPAL_HEADER = "X-Principal-Subject"
ANONYMOUS = "anonymous"


def runtime(request: Request) -> Runtime:
    """What the service's lifespan built."""
    return cast(Runtime, request.app.state.runtime)


def pool(request: Request) -> asyncpg.Pool:
    """The pool of the service's database."""
    return runtime(request).pool


def command_context(request: Request) -> Context:
    """The event store, pool and publisher the command handlers need."""
    return context_of(runtime(request))


def context_of(built: Runtime) -> Context:
    """The handlers' context from what the lifespan built, for routes and consumers alike."""
    settings = cast(Settings, built.settings)
    publisher = IntegrationPublisher(topic=settings.dti_topic, source=settings.service_name)
    return Context(store=built.event_store, pool=built.pool, publisher=publisher)


PoolDep = Annotated[asyncpg.Pool, Depends(pool)]
ContextDep = Annotated[Context, Depends(command_context)]
SubjectDep = Annotated[
    str,
    Header(
        alias=PRINCIPAL_HEADER,
        min_length=1,
        max_length=256,
        description="the caller's subject, which the gateway forwards from the verified token",
    ),
]
