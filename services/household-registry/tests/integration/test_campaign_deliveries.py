"""A phone the campaign delivers, published on its topic in Kafka, becomes the household's information access:
its projected classification and the projected statistics change, the official ones do not."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import pytest

from backan_shared.contracts import INTEGRATION_EVENTS
from backan_shared.contracts import campaign as contract
from backan_shared.envelope import CloudEvent

pytestmark = pytest.mark.infra

NGHIA_TA = "02071"
LOW = 1_000_000
INFORMATION_POOR = ["telecom_services", "information_access_means", "health_insurance"]
POOR_OTHERWISE = ["employment", "health_insurance", "hygienic_latrine"]
CAMPAIGN = "campaign-2023-backan"


def delivered(household_id: str, delivery_id: str, commune: str = NGHIA_TA) -> CloudEvent:
    payload = contract.PhoneDelivered(
        campaign_id=CAMPAIGN,
        delivery_id=delivery_id,
        commune_code=commune,
        household_id=household_id,
        delivered_on=date(2023, 9, 12),
    )
    return INTEGRATION_EVENTS.create(payload, event_type=contract.PHONE_DELIVERED, source="campaign-ledger")


async def processed(registry: Any, event_id: str) -> str | None:
    outcome: str | None = await registry.fetchval(
        "SELECT outcome FROM processed_events WHERE consumer_group = $1 AND event_id = $2",
        registry.settings.campaign_consumer_group,
        event_id,
    )
    return outcome


async def view(registry: Any, household_id: str) -> dict[str, Any]:
    body: dict[str, Any] = (await registry.client.get(f"/v1/households/{household_id}")).json()
    return body


async def test_a_delivered_phone_changes_the_projection_and_never_the_official_figures(
    registry: Any, eventually: Any, produce: Any
) -> None:
    gains_phone = await registry.register(NGHIA_TA)
    stays_poor = await registry.register(NGHIA_TA)
    await registry.survey(gains_phone, 2023, LOW, INFORMATION_POOR)
    await registry.survey(stays_poor, 2023, LOW, POOR_OTHERWISE)
    before = await registry.poverty(NGHIA_TA, 2023)
    assert (before["poor"], before["projected"]["poor"]) == (2, 2)

    await produce(registry.settings.campaign_topic, delivered(gains_phone, "delivery-001"), key=CAMPAIGN)
    household = await eventually(
        lambda: view(registry, gains_phone), lambda v: v["projected_classification"] == "near_poor"
    )

    assert (household["classification"], household["status"]) == ("poor", "poor")
    assert household["information_access"] == [
        {
            "source": f"smartphone campaign {CAMPAIGN}",
            "reference": f"{CAMPAIGN}/delivery-001",
            "recorded_on": "2023-09-12",
        }
    ]
    after = await registry.poverty(NGHIA_TA, 2023)
    assert (after["poor"], after["near_poor"], after["poverty_rate"]) == (2, 0, 100.0)
    assert after["projected"] == {
        "poor": 1,
        "near_poor": 1,
        "poverty_rate": 50.0,
        "near_poverty_rate": 50.0,
        "ethnic_minority_poverty_rate": 50.0,
        "reduction_pp": None,
    }
    assert (await view(registry, stays_poor))["projected_classification"] == "poor"


async def test_the_same_delivery_redelivered_or_republished_is_recorded_once(
    registry: Any, eventually: Any, produce: Any
) -> None:
    household_id = await registry.register(NGHIA_TA)
    await registry.survey(household_id, 2023, LOW, INFORMATION_POOR)
    first = delivered(household_id, "delivery-002")
    republished = delivered(household_id, "delivery-002")  # a new event id for the same delivery
    for event in (first, first, republished):
        await produce(registry.settings.campaign_topic, event, key=CAMPAIGN)
    await eventually(lambda: processed(registry, republished.id), lambda outcome: outcome == "applied")
    assert len((await view(registry, household_id))["information_access"]) == 1
    events = await registry.fetchval(
        "SELECT count(*) FROM events WHERE stream_id = $1 AND event_type = 'information-access-recorded'",
        f"household-{household_id}",
    )
    assert events == 1


async def test_other_campaign_events_pass_by_and_an_unknown_household_is_dead_lettered(
    registry: Any, eventually: Any, produce: Any, read_topic: Any
) -> None:
    allocated = CloudEvent(
        source="campaign-ledger",
        type=contract.PHONES_ALLOCATED,
        data={"campaign_id": CAMPAIGN, "allocation_id": "a-1", "commune_code": NGHIA_TA, "phones": 40},
    )
    stranger = delivered(str(uuid.uuid4()), "delivery-404")
    household_id = await registry.register(NGHIA_TA)
    after_it = delivered(household_id, "delivery-003")
    for event in (allocated, stranger, after_it):
        await produce(registry.settings.campaign_topic, event, key=CAMPAIGN)
    await eventually(lambda: processed(registry, after_it.id), lambda outcome: outcome == "applied")
    assert await processed(registry, allocated.id) == "applied"
    assert await processed(registry, stranger.id) == "dead-lettered"
    dead = await read_topic(f"{registry.settings.campaign_topic}.dlq")
    assert [dict(r.headers)["ce_id"].decode() for r in dead] == [stranger.id]
    assert b"is registered" in dict(dead[0].headers)["dlq_error"]


async def test_information_access_is_published_with_the_projection_and_nothing_personal(
    registry: Any, eventually: Any, produce: Any, read_topic: Any
) -> None:
    household_id = await registry.register(NGHIA_TA, name="Lương Văn Phone", phone="0977000111")
    await registry.survey(household_id, 2023, LOW, INFORMATION_POOR)
    await produce(registry.settings.campaign_topic, delivered(household_id, "delivery-004"), key=CAMPAIGN)
    await eventually(lambda: view(registry, household_id), lambda v: v["projected_classification"] == "near_poor")
    await eventually(
        lambda: registry.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"), lambda n: n == 0
    )

    records = await read_topic(registry.settings.household_topic)
    mine = [r for r in records if r.key == household_id.encode()]
    access = [r for r in mine if dict(r.headers)["ce_type"] == b"vn.backan.household.information-access-recorded.v1"]
    assert [json.loads(r.value) for r in access] == [
        {
            "household_id": household_id,
            "commune_code": NGHIA_TA,
            "recorded_on": "2023-09-12",
            "projected_classification": "near_poor",
        }
    ]
    assert not [r for r in mine if b"Phone" in r.value or b"0977000111" in r.value]
