"""The integration events reach Kafka through the outbox: CloudEvents in binary mode, keyed by assessment id,
in the order they happened, with registered payloads and no free text."""

from decimal import Decimal

import pytest

from backan_shared.contracts import INTEGRATION_EVENTS
from backan_shared.contracts.dti import DtiAssessmentFinalised, DtiSubmissionRecorded
from backan_shared.envelope import from_kafka, header

pytestmark = pytest.mark.infra

REJECTION = "the report names a household head"
REOPENING = "a correction requested by director Hoàng"


@pytest.fixture
def topic_records(app, read_topic, dti_topic):
    """Read every record on the topic the app declared at startup, from the beginning."""
    return lambda: read_topic(dti_topic)


async def test_the_workflow_s_integration_events_reach_kafka_keyed_by_assessment_in_order(
    dti, topic_records, eventually
) -> None:
    assessment_id = await dti.open("02071", 2023)
    rejected = await dti.submit(assessment_id, "DS.01", 0.5)
    dti.succeeded(await dti.review(assessment_id, rejected, approved=False, reason=REJECTION), 200)
    await dti.approve(assessment_id, "DS.01", 0.62)
    dti.succeeded(await dti.finalise(assessment_id), 200)
    dti.succeeded(await dti.reopen(assessment_id, REOPENING), 200)
    records = await eventually(topic_records, lambda seen: len(seen) >= 7)
    assert {record.key.decode() for record in records} == {assessment_id}
    assert [header(r.headers, "ce_type") for r in sorted(records, key=lambda r: r.offset)] == [
        "vn.backan.dti.assessment-opened.v1",
        "vn.backan.dti.submission-recorded.v1",
        "vn.backan.dti.submission-reviewed.v1",
        "vn.backan.dti.submission-recorded.v1",
        "vn.backan.dti.submission-reviewed.v1",
        "vn.backan.dti.assessment-finalised.v1",
        "vn.backan.dti.assessment-reopened.v1",
    ]
    for record in records:
        assert REJECTION.encode() not in record.value and REOPENING.encode() not in record.value
        assert b"example.gov.vn" not in record.value  # the evidence reference stays in dti-scoring


async def test_a_finalised_assessment_publishes_its_score_index_and_pillar_points(
    dti, topic_records, eventually
) -> None:
    assessment_id = await dti.open("01837", 2023)
    await dti.approve(assessment_id, "DS.01", 0.62)
    await dti.approve(assessment_id, "AW.04", 2)
    dti.succeeded(await dti.finalise(assessment_id), 200)
    records = await eventually(topic_records, lambda seen: len(seen) >= 6)
    events = [from_kafka(list(r.headers), r.value) for r in sorted(records, key=lambda r: r.offset)]
    assert {event.source for event in events} == {"dti-scoring"}
    finalised = INTEGRATION_EVENTS.payload(events[-1])
    assert isinstance(finalised, DtiAssessmentFinalised)
    assert (finalised.unit_code, finalised.level, finalised.year) == ("01837", "commune", 2023)
    assert (finalised.score, finalised.max_score, finalised.index) == (Decimal("38.8"), 1000, Decimal("0.0388"))
    assert {pillar.code: pillar.points for pillar in finalised.pillars if pillar.points} == {
        "DS": Decimal("24.8"),
        "AW": 14,
    }
    submitted = INTEGRATION_EVENTS.payload(events[1])
    assert isinstance(submitted, DtiSubmissionRecorded)
    assert (submitted.indicator_code, submitted.value, submitted.submitted_by) == (
        "DS.01",
        Decimal("0.62"),
        "officer-song-cau",
    )


async def test_a_refused_command_publishes_nothing(dti, pool, eventually, topic_records) -> None:
    assessment_id = await dti.open("01837", 2023)
    body = {"indicator_code": "DS.01", "value": True}
    dti.problem(await dti.post(f"/v1/dti/assessments/{assessment_id}/submissions", body), 422)
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 1
    await dti.approve(assessment_id, "AW.01", True)
    records = await eventually(topic_records, lambda seen: len(seen) >= 3)
    assert [header(r.headers, "ce_type") for r in sorted(records, key=lambda r: r.offset)] == [
        "vn.backan.dti.assessment-opened.v1",
        "vn.backan.dti.submission-recorded.v1",
        "vn.backan.dti.submission-reviewed.v1",
    ]
