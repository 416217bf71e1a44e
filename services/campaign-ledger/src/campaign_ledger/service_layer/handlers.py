"""One small handler per command, registered in `HANDLERS`; `handle` runs a command through it.

Each names the `Campaign` method that decides and runs it through `backan_shared.command_handling.run_command`
on the campaign's stream (`aggregates.CAMPAIGNS`): its events, their integration events (outbox) and the read
models are written in one transaction. A refused command, or a concurrent writer (HTTP 409), writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from backan_shared.command_handling import CommandHandlers, CommandResult, Handler, run_command
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
from campaign_ledger.service_layer.aggregates import CAMPAIGNS
from campaign_ledger.service_layer.dependencies import Dependencies
from campaign_ledger.service_layer.errors import CampaignAlreadyOpenedError, CampaignNotFoundError

C = TypeVar("C", bound=Command)
Result = CommandResult[Campaign, CampaignEvent]
Method = Callable[[Campaign, C], list[CampaignEvent]]


@dataclass(frozen=True)
class Outcome:
    """What a command left: the document it recorded (a pledge id, a receipt id…), the journal entry that
    posted it, a token a later read can wait for, and whether it was new or a retry of an earlier one."""

    campaign_id: str
    document_id: str
    entry_id: str | None
    consistency_token: str | None
    created: bool = True


async def _on_campaign(deps: Dependencies, command: C, method: Method[C]) -> Result:
    """Run `method` on the campaign the command names, which must have been opened already."""

    def decide(campaign: Campaign | None) -> list[CampaignEvent]:
        if campaign is None:
            raise CampaignNotFoundError(command.campaign_id)
        return method(campaign, command)

    return await run_command(deps, CAMPAIGNS, command.campaign_id, decide)


async def _record(deps: Dependencies, command: C, method: Method[C]) -> Outcome:
    """Run a command that posts one journal entry."""
    return _posted(command, await _on_campaign(deps, command, method))


def _posted(command: Command, result: Result) -> Outcome:
    """The outcome of a command that posted one entry: its document is the entry's reference."""
    (event,) = result.events
    assert isinstance(event, LedgerEvent)
    return Outcome(command.campaign_id, event.entry.reference, event.entry.entry_id, result.consistency_token)


async def open_campaign(command: OpenCampaign, deps: Dependencies) -> Outcome:
    """Launch a campaign (phát động) under a new id."""

    def decide(existing: Campaign | None) -> list[CampaignEvent]:
        if existing is not None:
            raise CampaignAlreadyOpenedError(f"campaign {command.campaign_id} was opened already")
        return Campaign.open(command)[1]

    result = await run_command(deps, CAMPAIGNS, command.campaign_id, decide)
    return Outcome(command.campaign_id, command.campaign_id, None, result.consistency_token)


async def close_campaign(command: CloseCampaign, deps: Dependencies) -> Outcome:
    """End fundraising."""
    result = await _on_campaign(deps, command, Campaign.close)
    return Outcome(command.campaign_id, command.campaign_id, None, result.consistency_token)


async def record_pledge(command: RecordPledge, deps: Dependencies) -> Outcome:
    """Record a donor's pledge (đăng ký ủng hộ)."""
    return await _record(deps, command, Campaign.record_pledge)


async def record_receipt(command: RecordReceipt, deps: Dependencies) -> Outcome:
    """Record money or phones received; a retry under the same reference answers the original receipt."""
    result = await _on_campaign(deps, command, Campaign.record_receipt)
    if result.events:
        return _posted(command, result)
    campaign = result.aggregate
    assert campaign is not None, "a receipt is recorded only on an opened campaign"
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


HANDLERS: dict[type, Handler[Dependencies, Outcome]] = {
    OpenCampaign: open_campaign,
    CloseCampaign: close_campaign,
    RecordPledge: record_pledge,
    RecordReceipt: record_receipt,
    RecordPurchase: record_purchase,
    AllocatePhones: allocate_phones,
    DeliverPhone: deliver_phone,
    ReverseEntry: reverse_entry,
}
handle: CommandHandlers[Dependencies, Outcome] = CommandHandlers(HANDLERS)
"""Runs a command through the handler its type is registered with."""
