"""The assessment as `run_command` stores it: its stream, the integration events a change publishes, and its
view projected in the same transaction, both describing the assessment as the new events leave it."""

from __future__ import annotations

import asyncpg

from backan_shared.command_handling import AggregateType, Change, replayed
from backan_shared.outbox import OutboxMessage
from dti_scoring.adapters.event_codec import CODEC, STREAM_TYPE
from dti_scoring.adapters.read_models import project_assessment
from dti_scoring.domain.assessment import Assessment
from dti_scoring.domain.events import AssessmentEvent
from dti_scoring.service_layer.dependencies import Dependencies

AssessmentChange = Change[Assessment, AssessmentEvent]


def _publish(deps: Dependencies, change: AssessmentChange) -> list[OutboxMessage]:
    return deps.publisher.messages(change.after, change.new)


async def _project(conn: asyncpg.Connection, _deps: Dependencies, change: AssessmentChange) -> None:
    await project_assessment(conn, change.after, change.new)


ASSESSMENTS: AggregateType[Assessment, AssessmentEvent, Dependencies] = AggregateType(
    stream_type=STREAM_TYPE,
    codec=CODEC,
    replay=Assessment.replay,
    # an assessment's methods only return the events they decide: the state after is a replay
    advance=replayed(Assessment.replay),
    publish=_publish,
    project=_project,
)
