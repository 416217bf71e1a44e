"""The campaign as `run_command` stores it: its stream, the integration events a change publishes, and the
statement and public journal projected in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from backan_shared.command_handling import AggregateType, Change
from backan_shared.outbox import OutboxMessage
from campaign_ledger.adapters.event_codec import STREAM_TYPE, CampaignEventCodec
from campaign_ledger.domain.campaign import Campaign
from campaign_ledger.domain.events import CampaignEvent
from campaign_ledger.service_layer.dependencies import Dependencies
from campaign_ledger.service_layer.projection import project_campaign

CampaignChange = Change[Campaign, CampaignEvent]


def _moved_on(before: Campaign | None, _past: Sequence[CampaignEvent], new: Sequence[CampaignEvent]) -> Campaign:
    # A campaign's methods apply the events they decide to the campaign itself: no second replay is needed.
    return before if before is not None else Campaign.replay(new)


def _publish(deps: Dependencies, change: CampaignChange) -> list[OutboxMessage]:
    return deps.publisher.messages(change.after, change.new)


async def _project(conn: asyncpg.Connection, _deps: Dependencies, change: CampaignChange) -> None:
    await project_campaign(conn, change.past, change.new)


CAMPAIGNS: AggregateType[Campaign, CampaignEvent, Dependencies] = AggregateType(
    stream_type=STREAM_TYPE,
    codec=CampaignEventCodec(),
    replay=Campaign.replay,
    advance=_moved_on,
    publish=_publish,
    project=_project,
)
