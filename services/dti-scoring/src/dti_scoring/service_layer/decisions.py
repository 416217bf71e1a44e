"""Running one decision on an assessment's stream with `backan_shared.command_handling.handle_command`.

A decision is a pure function of the stream's history. It keeps that history, so that the integration events
and the view, written in the same transaction as the new events, describe the assessment as they leave it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import asyncpg

from backan_shared.command_handling import CommandResult, handle_command
from backan_shared.event_store import PostgresEventStore
from backan_shared.outbox import OutboxMessage
from dti_scoring.adapters.event_codec import CODEC, STREAM_TYPE
from dti_scoring.adapters.integration_events import IntegrationPublisher
from dti_scoring.adapters.read_models import project_assessment
from dti_scoring.domain.assessment import Assessment
from dti_scoring.domain.errors import UnknownAssessmentError
from dti_scoring.domain.events import AssessmentEvent
from dti_scoring.domain.framework import Framework
from dti_scoring.frameworks import load_framework

Result = CommandResult[AssessmentEvent]
Decide = Callable[[list[AssessmentEvent]], list[AssessmentEvent]]
Action = Callable[[Assessment, Framework], list[AssessmentEvent]]


@dataclass(frozen=True)
class Context:
    """What handlers need: the service's event store and pool, and the publisher of integration events."""

    store: PostgresEventStore
    pool: asyncpg.Pool
    publisher: IntegrationPublisher


class AssessmentDecision:
    """A decision that remembers the history it was made on."""

    def __init__(self, decide: Decide):
        self._decide = decide
        self._history: list[AssessmentEvent] = []

    def decide(self, history: list[AssessmentEvent]) -> list[AssessmentEvent]:
        """The new events, decided on `history`."""
        self._history = history
        return self._decide(history)

    def after(self, events: Sequence[AssessmentEvent]) -> Assessment:
        """The assessment as the new events leave it."""
        return Assessment.replay([*self._history, *events])


async def run_decision(context: Context, assessment_id: str, decide: Decide) -> Result:
    """Decide on the assessment's stream; append, publish and project the new events in one transaction."""
    decision = AssessmentDecision(decide)

    def publish(events: Sequence[AssessmentEvent]) -> list[OutboxMessage]:
        return context.publisher.messages(decision.after(events), events)

    async def project(conn: asyncpg.Connection, events: Sequence[AssessmentEvent]) -> None:
        await project_assessment(conn, decision.after(events), events)

    return await handle_command(
        context.store,
        context.pool,
        stream_id=assessment_id,
        stream_type=STREAM_TYPE,
        codec=CODEC,
        decide=decision.decide,
        publish=publish,
        project=project,
    )


async def act_on_assessment(context: Context, assessment_id: str, action: Action) -> Result:
    """Run `action` on an existing assessment and the framework version it was opened on."""

    def decide(history: list[AssessmentEvent]) -> list[AssessmentEvent]:
        assessment = existing(assessment_id, history)
        return action(assessment, load_framework(assessment.framework_version))

    return await run_decision(context, assessment_id, decide)


def existing(assessment_id: str, history: list[AssessmentEvent]) -> Assessment:
    """The assessment a stream holds, or `UnknownAssessmentError` for an empty stream."""
    if not history:
        raise UnknownAssessmentError(f"no assessment has id {assessment_id!r}")
    return Assessment.replay(history)
