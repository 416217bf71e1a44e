"""Read models are disposable: replaying the event store from scratch gives back exactly what was kept live."""

from __future__ import annotations

import datetime as dt

import pytest

from backan_shared.event_store import PostgresEventStore
from campaign_ledger.adapters.known_households import remember_household
from campaign_ledger.service_layer import rebuild

from .conftest import QUANG_THUAN, SONG_CAU, Ledger

pytestmark = pytest.mark.infra


async def record_a_busy_campaign(ledger: Ledger) -> str:
    """Every kind of fact, a reversal and an anonymous donor, as the campaign office would record them."""
    campaign_id = await ledger.open_campaign()
    async with ledger.pool.acquire() as conn:
        for household_id, commune in (("hh-a", SONG_CAU), ("hh-b", SONG_CAU), ("hh-c", QUANG_THUAN)):
            await remember_household(conn, household_id, commune, registered_on=dt.date(2023, 9, 1))
    viettel = {"name": "Tổng Công ty Viễn thông Viettel", "kind": "enterprise"}
    anonymous = {"name": "Nguyễn Thị Kín Đáo", "kind": "individual", "anonymous": True}
    steps: list[tuple[str, dict[str, object]]] = [
        ("pledges", {"donor": viettel, "amount_vnd": 19_000_000, "date": "2023-08-11"}),
        ("pledges", {"donor": anonymous, "amount_vnd": 3_800_000, "phones": 2, "date": "2023-08-12"}),
        ("receipts", {"pledge_id": "PL-0001", "amount_vnd": 19_000_000, "reference": "FT1", "date": "2023-08-14"}),
        ("receipts", {"pledge_id": "PL-0002", "phones": 2, "reference": "PXK-1", "date": "2023-08-15"}),
        ("receipts", {"amount_vnd": 500_000, "reference": "FT2", "date": "2023-08-15"}),
        ("purchases", {"amount_vnd": 15_200_000, "phones": 8, "supplier": "Thế Giới Di Động Bắc Kạn"}),
        ("allocations", {"commune_code": SONG_CAU, "phones": 6}),
        ("allocations", {"commune_code": QUANG_THUAN, "phones": 3}),
        ("deliveries", {"commune_code": SONG_CAU, "household_id": "hh-a", "imei": "356938035643809"}),
        ("deliveries", {"commune_code": SONG_CAU, "household_id": "hh-b"}),
        ("deliveries", {"commune_code": QUANG_THUAN, "household_id": "hh-c"}),
        ("entries/JE-000010/reversal", {"reason": "handed to the wrong household"}),
    ]
    for path, body in steps:
        response = await ledger.post(campaign_id, path, body)
        assert response.status_code == 201, (path, response.text)
    assert (await ledger.post(campaign_id, "close", {"date": "2023-12-31"})).status_code == 200
    return campaign_id


async def public_views(ledger: Ledger, campaign_id: str) -> tuple[object, ...]:
    statement = await ledger.client.get(f"/v1/campaigns/{campaign_id}")
    journal = await ledger.client.get(f"/v1/campaigns/{campaign_id}/journal")
    csv = await ledger.client.get(f"/v1/campaigns/{campaign_id}/journal", headers={"Accept": "text/csv"})
    return statement.json(), journal.json(), csv.text


async def test_replaying_the_event_store_from_scratch_rebuilds_a_statement_identical_to_the_live_one(
    ledger: Ledger,
) -> None:
    campaign_id = await record_a_busy_campaign(ledger)
    other_campaign = await ledger.open_campaign(name="Chiến dịch thử", commune_codes=[SONG_CAU])
    live = await public_views(ledger, campaign_id)
    live_other = await public_views(ledger, other_campaign)
    async with ledger.pool.acquire() as conn:
        await conn.execute("TRUNCATE campaign_statements, journal_lines")
    assert (await ledger.client.get(f"/v1/campaigns/{campaign_id}")).status_code == 404

    rebuilt_campaigns = await rebuild.rebuild_read_models(
        ledger.app.state.runtime.event_store, ledger.pool, batch_size=5
    )

    assert rebuilt_campaigns == 2
    assert await public_views(ledger, campaign_id) == live
    assert await public_views(ledger, other_campaign) == live_other
    statement = live[0]
    assert isinstance(statement, dict)
    assert (statement["phones_delivered"], statement["version"], statement["is_open"]) == (2, 14, False)


async def test_events_the_global_order_still_holds_back_are_caught_up_from_their_streams_before_the_swap(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaign_id = await record_a_busy_campaign(ledger)
    other_campaign = await ledger.open_campaign(name="Chiến dịch thử", commune_codes=[SONG_CAU])
    live = await public_views(ledger, campaign_id), await public_views(ledger, other_campaign)
    read_everything = rebuild.read_campaign_streams

    async def held_back(store: PostgresEventStore, batch_size: int) -> rebuild.Streams:
        # As if the writers of the newest events were still behind an older, running transaction.
        streams = await read_everything(store, batch_size)
        return {campaign_id: streams[campaign_id][:-4]}

    monkeypatch.setattr(rebuild, "read_campaign_streams", held_back)
    await rebuild.rebuild_read_models(ledger.app.state.runtime.event_store, ledger.pool)

    assert (await public_views(ledger, campaign_id), await public_views(ledger, other_campaign)) == live
