"""What a consumer group reads and what it does with the events: the one shape of a handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import asyncpg

from backan_shared.envelope import CloudEvent

Handler = Callable[[asyncpg.Connection, Sequence[CloudEvent]], Awaitable[None]]
"""Applies events, in order, in the runner's transaction (`connection`): the new events of a poll's records
together, or a single one when records are applied one by one. Work worth doing once for several events (a
recount) is done once per call."""


@dataclass(frozen=True)
class Subscription:
    """What one consumer group reads and what it does with the events."""

    group_id: str
    topics: tuple[str, ...]
    handler: Handler
    max_attempts: int = 3
    wants: Callable[[CloudEvent], bool] | None = None
    """Whether the handler acts on an event at all (None: on every event). The others pass by without a
    transaction, since there is nothing to apply and so nothing to record."""

    def wanted(self, event: CloudEvent) -> bool:
        """Whether the event is one the handler acts on."""
        return self.wants is None or self.wants(event)
