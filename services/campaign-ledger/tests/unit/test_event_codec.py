"""The codec between domain events and stored JSON: every event survives the round trip, old shapes upcast."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from backan_shared.event_store import GlobalPosition, NewEvent, RecordedEvent
from campaign_ledger.adapters import event_codec
from campaign_ledger.adapters.event_codec import EVENT_TYPES, CampaignEventCodec
from campaign_ledger.domain.donors import Donor, DonorKind
from campaign_ledger.domain.events import CampaignEvent

SONG_CAU = "01837"


def stored(new: NewEvent, version: int = 1) -> RecordedEvent:
    """The event as the store gives it back: its data through JSON, as jsonb does."""
    return RecordedEvent(
        event_id=new.event_id,
        stream_id="smartphones-2023",
        stream_type=event_codec.STREAM_TYPE,
        version=version,
        type=new.type,
        data=json.loads(json.dumps(new.data)),
        metadata=json.loads(json.dumps(new.metadata)),
        recorded_at=dt.datetime.now(dt.UTC),
        global_position=GlobalPosition(1, version),
    )


def every_kind_of_event(office) -> list[CampaignEvent]:
    anonymous = Donor("Nguyễn Thị Kín Đáo", DonorKind.INDIVIDUAL, anonymous=True)
    pledge_id = office.pledge(anonymous, amount_vnd=9_500_000, phones=2)
    office.receive(reference="FT1", amount_vnd=9_500_000, phones=2, pledge_id=pledge_id)
    office.receive(reference="FT2", amount_vnd=500_000, donor=Donor("Lý Văn Tâm", DonorKind.INDIVIDUAL))
    office.buy(amount_vnd=5_700_000, phones=3)
    office.allocate(SONG_CAU, 4)
    office.deliver(SONG_CAU, "hh-1")
    office.reverse(office.events[-1].entry.entry_id, reason="wrong household")
    office.close()
    return list(office.events)


def test_every_kind_of_event_survives_the_round_trip_through_stored_json(office) -> None:
    codec = CampaignEventCodec()
    events = every_kind_of_event(office)
    assert {type(e) for e in events} == set(EVENT_TYPES)

    decoded = [codec.decode(stored(codec.encode(event), n)) for n, event in enumerate(events, 1)]

    assert decoded == events


def test_money_is_stored_as_a_json_integer_and_the_shape_carries_its_version(office) -> None:
    codec = CampaignEventCodec()
    (received,) = office.receive(reference="FT1", amount_vnd=1_900_000)

    new = codec.encode(received)

    assert new.metadata == {"schema_version": 1}
    assert new.data["amount_vnd"] == 1_900_000 and type(new.data["amount_vnd"]) is int
    assert {p["debit"] + p["credit"] for p in new.data["entry"]["postings"]} == {1_900_000}


def test_an_event_stored_in_an_older_shape_is_upcast_before_the_domain_sees_it(office, monkeypatch) -> None:
    codec = CampaignEventCodec()
    office.stock_phones(1)
    purchase = office.events[-1]
    old = codec.encode(purchase)
    old_data = {k: v for k, v in old.data.items() if k != "supplier"} | {"vendor": old.data["supplier"]}
    monkeypatch.setitem(event_codec.CURRENT_VERSIONS, "phones-purchased", 2)
    monkeypatch.setitem(
        event_codec.UPCASTERS,
        ("phones-purchased", 1),
        lambda data: {k: v for k, v in data.items() if k != "vendor"} | {"supplier": data["vendor"]},
    )

    decoded = codec.decode(stored(NewEvent(old.type, old_data, {"schema_version": 1}, uuid.uuid4())))

    assert decoded == purchase


def test_a_stored_event_of_an_unknown_type_is_refused_not_guessed(office) -> None:
    codec = CampaignEventCodec()
    with pytest.raises(ValueError, match="unknown to campaign-ledger"):
        codec.decode(stored(NewEvent("phone-stolen", {"campaign_id": "x"})))
