"""The composed views' routes (DESIGN.md §6): read from the gateway's own read models, never from a service.

Every route needs the `read` scope. A read that carries a `Consistency-Token` (from an earlier write's answer)
waits, up to `consistency_wait_seconds`, until the gateway has applied that write's event: then it answers
with `Consistency: satisfied`, or with a 504 problem when the bound passes first.
"""

from __future__ import annotations

from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Header, Query, Request, Response

from backan_shared.auth import Principal, require_scope
from backan_shared.consistency import InvalidConsistencyToken, parse_consistency_token
from backan_shared.problems import Problem
from gateway.models.campaigns import ComposedCampaignStatement
from gateway.models.dashboard import CommuneDashboard
from gateway.models.overview import Overview
from gateway.models.poverty import PovertyFigures
from gateway.projections.feeds import Feed, feeds_of
from gateway.queries import views
from gateway.queries.consistency import ProcessedEventWatcher, feed_of_source
from gateway.settings import Settings

Reader = Annotated[Principal, Depends(require_scope("read"))]  # what scope_dependency("read") gives, typed
_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "the Consistency-Token was not issued by backan-dx", **_PROBLEM},
    401: {"description": "no valid bearer token", **_PROBLEM},
    403: {"description": "the token lacks the 'read' scope", **_PROBLEM},
    404: {"description": "the gateway's read models hold nothing under that name", **_PROBLEM},
    502: {"description": "the write the Consistency-Token names could not be applied (dead-lettered)", **_PROBLEM},
    504: {"description": "the view does not yet include the write the Consistency-Token names", **_PROBLEM},
}
_TOKEN_HELP = "a write's Consistency-Token: the read waits (boundedly) until the view includes that write"
_OPENAPI_EXTRA = {"x-required-scope": "read", "x-owner": "gateway"}


class WriteNotYetVisibleProblem(Problem):
    status = 504
    title = "Gateway Timeout"


class WriteNotAppliedProblem(Problem):
    status = 502
    title = "Bad Gateway"


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.runtime.pool
    return pool


def _watcher(request: Request) -> ProcessedEventWatcher:
    """One watcher per app: all of its waiting reads share one poll of the database."""
    state = request.app.state
    if getattr(state, "event_watcher", None) is None:
        state.event_watcher = ProcessedEventWatcher(_pool(request))
    watcher: ProcessedEventWatcher = state.event_watcher
    return watcher


async def _consistent_with(request: Request, token: str, all_feeds: list[Feed], within: float) -> None:
    """Wait until the token's event is in the read models; raise the problem that says why not."""
    try:
        source, event_id = parse_consistency_token(token)
    except InvalidConsistencyToken as error:
        raise Problem(str(error), status=400) from error
    feed = feed_of_source(all_feeds, source)
    if feed is None:
        raise Problem(f"the gateway's views are not built from {source!r}", status=400)
    outcome = await _watcher(request).wait(feed.group_id, event_id, within=within)
    if outcome is None:
        raise WriteNotYetVisibleProblem(
            f"the view does not yet include that write (event {event_id} from {source}) after {within:g} s; "
            "retry with the same Consistency-Token"
        )
    if outcome != "applied":
        raise WriteNotAppliedProblem(f"the gateway could not apply event {event_id} from {source} ({outcome})")


def read_your_writes(settings: Settings) -> Any:
    """The dependency every view shares: the `read` scope, then the wait for a Consistency-Token's write."""
    all_feeds, within = feeds_of(settings), settings.consistency_wait_seconds

    async def wait_for_token(
        _: Reader,
        request: Request,
        response: Response,
        consistency_token: Annotated[str | None, Header(description=_TOKEN_HELP)] = None,
    ) -> None:
        # The scope is checked first (a sub-dependency), so a refused caller never waits.
        if consistency_token is not None:
            await _consistent_with(request, consistency_token, all_feeds, within)
            response.headers["Consistency"] = "satisfied"

    return Depends(wait_for_token)


def view_router(settings: Settings) -> APIRouter:
    """The composed views' routes, reading the feeds the settings name."""
    fresh = read_your_writes(settings)
    router = APIRouter(tags=["composed views"], responses=RESPONSES)

    @router.get("/v1/campaigns/{campaign_id}", summary="A campaign's public statement", openapi_extra=_OPENAPI_EXTRA)
    async def campaign_statement(request: Request, campaign_id: str, _: None = fresh) -> ComposedCampaignStatement:
        return await views.campaign_statement(_pool(request), campaign_id)

    @router.get(
        "/v1/communes/{commune_code}/dashboard", summary="One commune at a glance", openapi_extra=_OPENAPI_EXTRA
    )
    async def commune_dashboard(request: Request, commune_code: str, _: None = fresh) -> CommuneDashboard:
        return await views.commune_dashboard(_pool(request), commune_code)

    @router.get("/v1/overview", summary="The province at a glance", openapi_extra=_OPENAPI_EXTRA)
    async def overview(request: Request, _: None = fresh) -> Overview:
        return await views.overview(_pool(request))

    @router.get("/v1/poverty", summary="Poverty figures of a unit and year", openapi_extra=_OPENAPI_EXTRA)
    async def poverty(
        request: Request,
        unit_code: Annotated[str, Query(description="official code: 06, a district's or a commune's")],
        year: Annotated[int | None, Query(description="the review year; the latest if left out")] = None,
        _: None = fresh,
    ) -> PovertyFigures:
        return await views.poverty(_pool(request), unit_code, year)

    return router
