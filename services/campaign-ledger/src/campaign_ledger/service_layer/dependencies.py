"""What campaign-ledger's command handlers need, as one object built once per process by `bootstrap`."""

from __future__ import annotations

from dataclasses import dataclass

from backan_shared.command_handling import CommandDependencies
from campaign_ledger.adapters.integration_events import IntegrationPublisher


@dataclass(frozen=True, kw_only=True)
class Dependencies(CommandDependencies):
    """The event store and pool (shared), and the publisher of the campaign's integration events."""

    publisher: IntegrationPublisher
