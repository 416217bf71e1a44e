"""One small handler per command, registered in `HANDLERS`.

Each runs through `backan_shared.command_handling.handle_command`: load the campaign's stream, let the
`Campaign` decide, then append its events, their integration events (outbox) and the read models in one
transaction. A concurrent writer makes the append fail (HTTP 409) and nothing is written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import asyncpg

from backan_shared.command_handling import CommandResult, handle_command
from backan_shared.event_store import PostgresEventStore
from backan_shared.outbox import OutboxMessage
from campaign_ledger.adapters.event_codec import STREAM_TYPE, CampaignEventCodec
from campaign_ledger.adapters.integration_events import IntegrationPublisher
from campaign_ledger.adapters.known_households import household_commune
from campaign_ledger.domain.campaign import Campaign
from campaign_ledger.domain.commands import (
    AllocatePhones,
    CloseCampaign,
    Command,
    DeliverPhone,
    OpenCampaign,
    RecordPledge,
    RecordPurchase,
    RecordReceipt,
    ReverseEntry,
)
from campaign_ledger.domain.events import CampaignEvent, LedgerEvent
from campaign_ledger.domain.ledger import EntryKind
from campaign_ledger.service_layer.errors import CampaignAlreadyOpenedError, CampaignNotFoundError
from campaign_ledger.service_layer.projection import project_campaign

C = TypeVar("C", bound=Command)
# From a campaign's past events to the campaign as the decision leaves it, and the decision's new events.
Act = Callable[[list[CampaignEvent]], tuple[Campaign, list[CampaignEvent]]]
_CODEC = CampaignEventCodec()


@dataclass(frozen=True)
class Dependencies:
    """What the handlers need beyond the command: the event store, the pool, and the integration publisher."""

    store: PostgresEventStore
    pool: asyncpg.Pool
    publisher: IntegrationPublisher


@dataclass(frozen=True)
class Outcome:
    """What a command left: the document it recorded (a pledge id, a receipt id…), the journal entry that
    posted it, a token a later read can wait for, and whether it was new or a retry of an earlier one."""

    campaign_id: str
    document_id: str
    entry_id: str | None
    consistency_token: str | None
    created: bool = True


@dataclass
class _Decision:
    """Runs an `Act` for `handle_command`, keeping the past it decided on (for the read models) and the campaign
    as it left it (for the integration events and the answer)."""

    act: Act
    publisher: IntegrationPublisher
    past: list[CampaignEvent] = field(default_factory=list)
    campaign: Campaign | None = None

    def __call__(self, past: list[CampaignEvent]) -> list[CampaignEvent]:
        self.past = past
        self.campaign, new = self.act(past)
        return new

    def decided(self) -> Campaign:
        """The campaign after the decision."""
        assert self.campaign is not None, "decided() is only asked after the decision"
        return self.campaign

    def publish(self, events: Sequence[CampaignEvent]) -> list[OutboxMessage]:
        return self.publisher.messages(self.decided(), events)

    async def project(self, conn: asyncpg.Connection, events: Sequence[CampaignEvent]) -> None:
        await project_campaign(conn, self.past, events)


async def _run(deps: Dependencies, campaign_id: str, act: Act) -> tuple[Campaign, CommandResult[CampaignEvent]]:
    decision = _Decision(act, deps.publisher)
    result = await handle_command(
        deps.store,
        deps.pool,
        stream_id=campaign_id,
        stream_type=STREAM_TYPE,
        codec=_CODEC,
        decide=decision,
        publish=decision.publish,
        project=decision.project,
    )
    return decision.decided(), result


def _existing(command: C, method: Callable[[Campaign, C], list[CampaignEvent]]) -> Act:
    """An act on a campaign that must have been opened already."""

    def act(past: list[CampaignEvent]) -> tuple[Campaign, list[CampaignEvent]]:
        if not past:
            raise CampaignNotFoundError(command.campaign_id)
        campaign = Campaign.replay(past)
        return campaign, method(campaign, command)

    return act


async def _record(deps: Dependencies, command: C, method: Callable[[Campaign, C], list[CampaignEvent]]) -> Outcome:
    """Run a command that posts one journal entry."""
    _, result = await _run(deps, command.campaign_id, _existing(command, method))
    return _posted(command, result)


def _posted(command: Command, result: CommandResult[CampaignEvent]) -> Outcome:
    """The outcome of a command that posted one entry: its document is the entry's reference."""
    (event,) = result.events
    assert isinstance(event, LedgerEvent)
    return Outcome(command.campaign_id, event.entry.reference, event.entry.entry_id, result.consistency_token)


async def open_campaign(command: OpenCampaign, deps: Dependencies) -> Outcome:
    """Launch a campaign (phát động) under a new id."""

    def act(past: list[CampaignEvent]) -> tuple[Campaign, list[CampaignEvent]]:
        if past:
            raise CampaignAlreadyOpenedError(f"campaign {command.campaign_id} was opened already")
        return Campaign.open(command)

    _, result = await _run(deps, command.campaign_id, act)
    return Outcome(command.campaign_id, command.campaign_id, None, result.consistency_token)


async def close_campaign(command: CloseCampaign, deps: Dependencies) -> Outcome:
    """End fundraising."""
    _, result = await _run(deps, command.campaign_id, _existing(command, Campaign.close))
    return Outcome(command.campaign_id, command.campaign_id, None, result.consistency_token)


async def record_pledge(command: RecordPledge, deps: Dependencies) -> Outcome:
    """Record a donor's pledge (đăng ký ủng hộ)."""
    return await _record(deps, command, Campaign.record_pledge)


async def record_receipt(command: RecordReceipt, deps: Dependencies) -> Outcome:
    """Record money or phones received; a retry under the same reference answers the original receipt."""
    campaign, result = await _run(deps, command.campaign_id, _existing(command, Campaign.record_receipt))
    if result.events:
        return _posted(command, result)
    receipt_id = campaign.receipt_id_for(command.reference)
    assert receipt_id is not None, "the campaign returns no events for a receipt only when it is a retry"
    entry_id = _entry_of(campaign, EntryKind.RECEIPT, receipt_id)
    token = deps.publisher.token_for(command.campaign_id, entry_id)
    return Outcome(command.campaign_id, receipt_id, entry_id, token, created=False)


def _entry_of(campaign: Campaign, kind: EntryKind, reference: str) -> str:
    return next(e.entry_id for e in campaign.ledger.entries if e.kind is kind and e.reference == reference)


async def record_purchase(command: RecordPurchase, deps: Dependencies) -> Outcome:
    """Record phones bought with the campaign's cash."""
    return await _record(deps, command, Campaign.record_purchase)


async def allocate_phones(command: AllocatePhones, deps: Dependencies) -> Outcome:
    """Allocate phones from central stock to a commune (phân bổ)."""
    return await _record(deps, command, Campaign.allocate_phones)


async def deliver_phone(command: DeliverPhone, deps: Dependencies) -> Outcome:
    """Hand a phone to a household, where the registry's published households say it lives."""
    lives_in = await household_commune(deps.pool, command.household_id)
    return await _record(deps, replace(command, household_commune=lives_in), Campaign.deliver_phone)


async def reverse_entry(command: ReverseEntry, deps: Dependencies) -> Outcome:
    """Cancel a journal entry with its opposite (bút toán đảo); the reversal entry is the new document."""
    outcome = await _record(deps, command, Campaign.reverse_entry)
    assert outcome.entry_id is not None
    return replace(outcome, document_id=outcome.entry_id)


HANDLERS: dict[type[Command], Callable[[Any, Dependencies], Awaitable[Outcome]]] = {
    OpenCampaign: open_campaign,
    CloseCampaign: close_campaign,
    RecordPledge: record_pledge,
    RecordReceipt: record_receipt,
    RecordPurchase: record_purchase,
    AllocatePhones: allocate_phones,
    DeliverPhone: deliver_phone,
    ReverseEntry: reverse_entry,
}


async def handle(command: Command, deps: Dependencies) -> Outcome:
    """Run a command through its handler."""
    return await HANDLERS[type(command)](command, deps)
