"""The campaign routes of DESIGN.md §6: each turns a request into a command (or a read), and holds no logic.

Writes answer 201 with the new id, a `Location`, and a `Consistency-Token`. The read models are updated in the
transaction that records the events, so a read here already includes every write that was answered: a
`Consistency-Token` passed to a read is checked, and never needs a wait. Every route needs the gateway's
internal credential.
"""

from __future__ import annotations

import uuid
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Depends, Header, Request, Response

from backan_shared.api.campaign_journal import JournalEntryPublic, JournalPublic
from backan_shared.api.campaign_statements import CampaignStatementPublic
from backan_shared.api.campaigns import (
    AllocationCreate,
    AllocationCreated,
    CampaignClose,
    CampaignClosedPublic,
    CampaignCreate,
    CampaignCreated,
    DeliveryCreate,
    DeliveryCreated,
    PledgeCreate,
    PledgeCreated,
    PurchaseCreate,
    PurchaseCreated,
    ReceiptCreate,
    ReceiptCreated,
    ReversalCreate,
    ReversalCreated,
)
from backan_shared.auth import internal_caller
from backan_shared.consistency import HEADER as CONSISTENCY_TOKEN
from backan_shared.consistency import InvalidConsistencyToken, parse_consistency_token
from backan_shared.idempotency import joining_the_request
from backan_shared.problems import Problem
from campaign_ledger.adapters.read_models import StoredStatement, load_journal, load_statement
from campaign_ledger.bootstrap import dependencies
from campaign_ledger.domain.public_journal import journal_csv
from campaign_ledger.entrypoints import request_commands as to
from campaign_ledger.entrypoints.views import CSV, entry_public, journal_public, prefers_csv, statement_public
from campaign_ledger.service_layer.dependencies import Dependencies
from campaign_ledger.service_layer.errors import CampaignNotFoundError
from campaign_ledger.service_layer.handlers import Outcome, handle
from campaign_ledger.settings import Settings


def campaign_routers(settings: Settings) -> list[APIRouter]:
    """The campaign routes, open only to callers presenting the internal credential."""
    guarded = APIRouter(dependencies=[Depends(internal_caller(settings.internal_token))])
    guarded.include_router(_routes)
    return [guarded]


def _dependencies(request: Request) -> Dependencies:
    return joining_the_request(dependencies(request.app.state.runtime), request)


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.runtime.pool
    return pool


def _check_token(consistency_token: Annotated[str | None, Header()] = None) -> None:
    """Refuse a token this system did not issue; a valid one is already satisfied (see the module docstring)."""
    if consistency_token is None:
        return
    try:
        parse_consistency_token(consistency_token)
    except InvalidConsistencyToken as error:
        raise Problem(str(error), status=400) from error


Deps = Annotated[Dependencies, Depends(_dependencies)]
Pool = Annotated[asyncpg.Pool, Depends(_pool)]
_routes = APIRouter(prefix="/v1/campaigns", tags=["campaigns"])


def _answer(response: Response, outcome: Outcome) -> None:
    """Say where the recorded document is and give the token to read it with; a retry that recorded nothing
    new is 200, not 201."""
    entry = f"/entries/{outcome.entry_id}" if outcome.entry_id else ""
    response.headers["Location"] = f"/v1/campaigns/{outcome.campaign_id}{entry}"
    if outcome.consistency_token:
        response.headers[CONSISTENCY_TOKEN] = outcome.consistency_token
    if not outcome.created:
        response.status_code = 200


@_routes.post("", status_code=201)
async def open_campaign(body: CampaignCreate, deps: Deps, response: Response) -> CampaignCreated:
    """Launch a campaign (phát động)."""
    outcome = await handle(to.open_command(str(uuid.uuid4()), body), deps)
    _answer(response, outcome)
    return CampaignCreated(campaign_id=outcome.campaign_id)


@_routes.post("/{campaign_id}/pledges", status_code=201)
async def record_pledge(campaign_id: str, body: PledgeCreate, deps: Deps, response: Response) -> PledgeCreated:
    """Record a donor's pledge."""
    outcome = await handle(to.pledge_command(campaign_id, body), deps)
    _answer(response, outcome)
    return PledgeCreated(pledge_id=outcome.document_id, entry_id=str(outcome.entry_id))


@_routes.post("/{campaign_id}/receipts", status_code=201, responses={200: {"description": "a retried reference"}})
async def record_receipt(campaign_id: str, body: ReceiptCreate, deps: Deps, response: Response) -> ReceiptCreated:
    """Record money or phones received; the same reference again answers the original receipt (200)."""
    outcome = await handle(to.receipt_command(campaign_id, body), deps)
    _answer(response, outcome)
    return ReceiptCreated(receipt_id=outcome.document_id, entry_id=str(outcome.entry_id))


@_routes.post("/{campaign_id}/purchases", status_code=201)
async def record_purchase(campaign_id: str, body: PurchaseCreate, deps: Deps, response: Response) -> PurchaseCreated:
    """Record phones bought with the campaign's cash."""
    outcome = await handle(to.purchase_command(campaign_id, body), deps)
    _answer(response, outcome)
    return PurchaseCreated(purchase_id=outcome.document_id, entry_id=str(outcome.entry_id))


@_routes.post("/{campaign_id}/allocations", status_code=201)
async def allocate_phones(
    campaign_id: str, body: AllocationCreate, deps: Deps, response: Response
) -> AllocationCreated:
    """Allocate phones from central stock to a commune."""
    outcome = await handle(to.allocation_command(campaign_id, body), deps)
    _answer(response, outcome)
    return AllocationCreated(allocation_id=outcome.document_id, entry_id=str(outcome.entry_id))


@_routes.post("/{campaign_id}/deliveries", status_code=201)
async def deliver_phone(campaign_id: str, body: DeliveryCreate, deps: Deps, response: Response) -> DeliveryCreated:
    """Hand one phone to a household the registry published in this commune."""
    outcome = await handle(to.delivery_command(campaign_id, body), deps)
    _answer(response, outcome)
    return DeliveryCreated(delivery_id=outcome.document_id, entry_id=str(outcome.entry_id))


@_routes.post("/{campaign_id}/entries/{entry_id}/reversal", status_code=201)
async def reverse_entry(
    campaign_id: str, entry_id: str, body: ReversalCreate, deps: Deps, response: Response
) -> ReversalCreated:
    """Cancel a journal entry by an opposite one, with the reason."""
    outcome = await handle(to.reversal_command(campaign_id, entry_id, body), deps)
    _answer(response, outcome)
    return ReversalCreated(entry_id=outcome.document_id, reversed_entry_id=entry_id)


@_routes.post("/{campaign_id}/close")
async def close_campaign(
    campaign_id: str, deps: Deps, response: Response, body: CampaignClose | None = None
) -> CampaignClosedPublic:
    """End fundraising; 200, as closing creates nothing new to point at."""
    outcome = await handle(to.close_command(campaign_id, body), deps)
    _answer(response, outcome)
    return CampaignClosedPublic(campaign_id=campaign_id, is_open=False)


async def _statement(pool: asyncpg.Pool, campaign_id: str) -> StoredStatement:
    stored = await load_statement(pool, campaign_id)
    if stored is None:
        raise CampaignNotFoundError(campaign_id)
    return stored


@_routes.get("/{campaign_id}", dependencies=[Depends(_check_token)])
async def read_statement(campaign_id: str, pool: Pool) -> CampaignStatementPublic:
    """The public statement: totals in VND and phones, by commune and by donor, and progress against target."""
    return statement_public(await _statement(pool, campaign_id))


@_routes.get(
    "/{campaign_id}/journal",
    response_model=JournalPublic,
    responses={200: {"content": {CSV: {}}, "description": "JSON, or CSV (one row per posting) on Accept: text/csv"}},
    dependencies=[Depends(_check_token)],
)
async def read_journal(campaign_id: str, pool: Pool, accept: Annotated[str | None, Header()] = None) -> Response:
    """The public journal: every entry, balanced, for anyone to audit."""
    stored = await _statement(pool, campaign_id)
    lines = await load_journal(pool, campaign_id)
    if prefers_csv(accept):
        disposition = f'attachment; filename="campaign-{campaign_id}-journal.csv"'
        return Response(
            journal_csv(lines), media_type=f"{CSV}; charset=utf-8", headers={"Content-Disposition": disposition}
        )
    return Response(journal_public(campaign_id, lines, stored.as_of).model_dump_json(), media_type="application/json")


@_routes.get("/{campaign_id}/entries/{entry_id}", dependencies=[Depends(_check_token)])
async def read_entry(campaign_id: str, entry_id: str, pool: Pool) -> JournalEntryPublic:
    """One journal entry, where a write's `Location` points."""
    await _statement(pool, campaign_id)
    lines = await load_journal(pool, campaign_id, entry_id)
    if not lines:
        raise Problem(f"campaign {campaign_id} has no journal entry {entry_id}", status=404, title="Not Found")
    return entry_public(lines)
