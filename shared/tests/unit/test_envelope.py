import pytest
from pydantic import BaseModel

from backan_shared.envelope import EnvelopeError, EventRegistry, from_kafka, header, to_kafka, type_version


class PhoneDeliveredV1(BaseModel):
    household_id: str
    commune_code: str


class PhoneDeliveredV2(BaseModel):
    household_id: str
    commune_code: str
    phones: int


def registry() -> EventRegistry:
    events = EventRegistry()
    events.register("vn.backan.campaign.phone-delivered.v1", PhoneDeliveredV1)
    events.register("vn.backan.campaign.phone-delivered.v2", PhoneDeliveredV2)
    events.register_upcaster(
        "vn.backan.campaign.phone-delivered.v1",
        "vn.backan.campaign.phone-delivered.v2",
        lambda data: {**data, "phones": 1},
    )
    return events


def test_an_event_survives_the_kafka_binary_mode_round_trip() -> None:
    events = registry()
    event = events.create(
        PhoneDeliveredV2(household_id="h-1", commune_code="01837", phones=1),
        event_type="vn.backan.campaign.phone-delivered.v2",
        source="campaign-ledger",
        subject="campaign/c-1",
    )
    headers, value = to_kafka(event)
    assert header(headers, "ce_specversion") == "1.0"
    assert header(headers, "ce_type") == "vn.backan.campaign.phone-delivered.v2"
    assert header(headers, "content-type") == "application/json"
    assert from_kafka(headers, value) == event


def test_an_old_version_is_read_as_the_newest_through_upcasters() -> None:
    events = registry()
    old = events.create(
        PhoneDeliveredV1(household_id="h-1", commune_code="01837"),
        event_type="vn.backan.campaign.phone-delivered.v1",
        source="campaign-ledger",
    )
    assert events.payload(old) == PhoneDeliveredV2(household_id="h-1", commune_code="01837", phones=1)


@pytest.mark.parametrize("name", ["phone-delivered", "vn.backan.campaign.phone-delivered", "vn.backan.x.v0"])
def test_type_names_must_be_versioned(name: str) -> None:
    with pytest.raises(EnvelopeError):
        type_version(name)


def test_a_record_without_cloudevents_headers_is_refused() -> None:
    with pytest.raises(EnvelopeError, match="ce_id"):
        from_kafka([("ce_type", b"vn.backan.a.b.v1")], b"{}")


def test_a_payload_of_the_wrong_model_is_refused() -> None:
    with pytest.raises(EnvelopeError, match="carries PhoneDeliveredV1"):
        registry().create(
            PhoneDeliveredV2(household_id="h", commune_code="c", phones=1),
            event_type="vn.backan.campaign.phone-delivered.v1",
            source="x",
        )
