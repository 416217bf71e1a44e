"""Personal data protection on the real PostgreSQL and Kafka: encryption at rest, the scope-gated and
audited read, the keyed duplicate check, crypto-shredding erasure, and integration events without the person."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest

from backan_shared.event_store import Snapshot
from household_registry.adapters.crypto import CIPHERTEXT_PREFIX, MasterKey
from household_registry.domain.personal_data import NationalId

pytestmark = pytest.mark.infra

NAME, PHONE = "Triệu Thị Mai Anh", "0987654321"
PII_READER = {"X-Principal-Scopes": "read household:pii", "X-Principal-Subject": "officer-17"}
READER = {"X-Principal-Scopes": "read", "X-Principal-Subject": "analyst-3"}


async def audit_rows(registry: Any, household_id: str) -> list[tuple[str, str, str]]:
    rows = await registry.fetch(
        "SELECT field, action, actor FROM personal_data_audit WHERE household_id = $1 ORDER BY id",
        uuid.UUID(household_id),
    )
    return [(r["field"], r["action"], r["actor"]) for r in rows]


async def test_a_reader_without_household_pii_sees_no_personal_field_and_leaves_no_audit(registry: Any) -> None:
    household_id = await registry.register("01912", name=NAME, phone=PHONE)
    response = await registry.client.get(f"/v1/households/{household_id}", headers=READER)
    assert response.status_code == 200
    assert "head" not in response.json()
    assert NAME not in response.text and PHONE not in response.text
    assert response.json()["personal_data_erased"] is False
    assert await audit_rows(registry, household_id) == []


async def test_a_reader_with_household_pii_sees_the_head_and_each_field_read_is_audited(registry: Any) -> None:
    national_id = registry.new_national_id()
    household_id = await registry.register("01912", name=NAME, national_id=national_id, phone=PHONE)
    response = await registry.client.get(f"/v1/households/{household_id}", headers=PII_READER)
    assert response.status_code == 200
    assert response.json()["head"] == {"full_name": NAME, "national_id": national_id, "phone": PHONE, "erased": False}
    assert await audit_rows(registry, household_id) == [
        ("ethnic_minority", "read", "officer-17"),  # sensitive: see test_sensitive_fields
        ("full_name", "read", "officer-17"),
        ("national_id", "read", "officer-17"),
        ("phone", "read", "officer-17"),
    ]
    audit_dump = str(await registry.fetch("SELECT * FROM personal_data_audit"))
    assert NAME not in audit_dump and national_id not in audit_dump


async def test_a_personal_data_read_must_name_its_reader(registry: Any) -> None:
    household_id = await registry.register("01912")
    anonymous = {"X-Principal-Scopes": "household:pii"}
    response = await registry.client.get(f"/v1/households/{household_id}", headers=anonymous)
    assert response.status_code == 403
    assert "X-Principal-Subject" in response.json()["detail"]


async def test_stored_events_hold_only_ciphertext_for_the_head(registry: Any) -> None:
    national_id = registry.new_national_id()
    household_id = await registry.register("01912", name=NAME, national_id=national_id, phone=PHONE)
    stored = await registry.fetchval(
        "SELECT data FROM events WHERE stream_id = $1 AND version = 1", f"household-{household_id}"
    )
    assert all(str(value).startswith(CIPHERTEXT_PREFIX) for value in stored["head"].values())
    assert NAME not in str(stored) and national_id not in str(stored) and PHONE not in str(stored)


async def test_a_duplicate_national_id_is_a_409_that_names_nobody_and_writes_nothing(registry: Any) -> None:
    national_id = registry.new_national_id()
    await registry.register("01912", national_id=national_id)
    events_before = await registry.fetchval("SELECT count(*) FROM events")
    body = {
        "commune_code": "01951",
        "area": "rural",
        "ethnic_minority": False,
        "members": 2,
        "head": {"full_name": "Someone Else", "national_id": national_id},
    }
    response = await registry.client.post("/v1/households", json=body)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert national_id not in response.text
    assert await registry.fetchval("SELECT count(*) FROM events") == events_before


async def test_the_duplicate_check_compares_keyed_hashes_never_the_id(registry: Any) -> None:
    national_id = registry.new_national_id()
    household_id = await registry.register("01912", national_id=national_id)
    digest = await registry.fetchval(
        "SELECT national_id_digest FROM national_id_index WHERE household_id = $1", uuid.UUID(household_id)
    )
    master = MasterKey(base64.b64decode(registry.settings.pii_master_key.get_secret_value()))
    assert bytes(digest) == master.national_id_digest(national_id)
    assert national_id.encode() not in bytes(digest)


@pytest.mark.parametrize("bad_id", ["000123456789", "12345678901", "0060850012345", "00608500123a", "١٢٣٤٥٦٧٨٩٠١٢"])
async def test_an_invalid_national_id_is_a_422_and_nothing_is_written(registry: Any, bad_id: str) -> None:
    with pytest.raises(Exception, match="national ID"):
        NationalId(bad_id)
    before = await registry.fetch(
        # figures (keyed by the province, 06) come from the publisher's rounds, for earlier tests' surveys too
        """SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM household_keys),
                  (SELECT count(*) FROM outbox WHERE message_key <> '06')"""
    )
    body = {
        "commune_code": "01912",
        "area": "rural",
        "ethnic_minority": False,
        "members": 2,
        "head": {"full_name": NAME, "national_id": bad_id},
    }
    response = await registry.client.post("/v1/households", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "national_id" in response.json()["detail"] or "national ID" in response.json()["detail"]
    assert bad_id not in response.text
    after = await registry.fetch(
        """SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM household_keys),
                  (SELECT count(*) FROM outbox WHERE message_key <> '06')"""
    )
    assert after == before


async def test_erasure_needs_household_pii(registry: Any) -> None:
    household_id = await registry.register("01912")
    response = await registry.client.delete(f"/v1/households/{household_id}/personal-data", headers=READER)
    assert response.status_code == 403
    assert "household:pii" in response.json()["detail"]
    assert await registry.fetchval(
        "SELECT count(*) FROM household_keys WHERE household_id = $1", uuid.UUID(household_id)
    )


async def test_after_erasure_the_api_shows_erased_fields_and_pg_dump_holds_no_name_or_id(registry: Any) -> None:
    name, national_id = "Đàm Thị Erasure Ngọc", registry.new_national_id()
    body = {
        "commune_code": "01912",
        "area": "rural",
        "ethnic_minority": True,
        "members": 3,
        "head": {"full_name": name, "national_id": national_id, "phone": PHONE},
    }
    # A client keying its retries by the ID puts it in the idempotency record: erasure removes that copy too.
    registered = await registry.client.post("/v1/households", json=body, headers={"Idempotency-Key": national_id})
    household_id = registered.json()["household_id"]
    await registry.survey(household_id, 2023, 1_000_000, ["employment", "health_insurance", "hygienic_latrine"])
    stream = f"household-{household_id}"
    await registry.services.store.save_snapshot(Snapshot(stream, 2, {"classification": "poor"}))
    assert name not in await registry.pg_dump(), "encrypted at rest even before erasure"

    erased = await registry.client.delete(f"/v1/households/{household_id}/personal-data", headers=PII_READER)
    assert erased.status_code == 200, erased.text
    assert erased.json() == {"household_id": household_id, "personal_data_erased": True}
    assert "consistency-token" in erased.headers

    shown = (await registry.client.get(f"/v1/households/{household_id}", headers=PII_READER)).json()
    assert shown["head"] == {"full_name": None, "national_id": None, "phone": None, "erased": True}
    assert shown["personal_data_erased"] is True
    assert shown["classification"] == "poor", "the household stays in the registry and its statistics"

    dump = await registry.pg_dump()
    assert name not in dump and national_id not in dump and name.encode().hex() not in dump
    hid = uuid.UUID(household_id)
    assert await registry.fetchval("SELECT count(*) FROM household_keys WHERE household_id = $1", hid) == 0
    assert await registry.fetchval("SELECT count(*) FROM national_id_index WHERE household_id = $1", hid) == 0
    assert await registry.fetchval("SELECT erased_by FROM erased_subjects WHERE household_id = $1", hid) == "officer-17"
    # The read after erasure discloses the sensitive facts the household keeps for statistics, and no head.
    assert [row[:2] for row in await audit_rows(registry, household_id)] == [
        ("full_name", "erase"),
        ("national_id", "erase"),
        ("phone", "erase"),
        ("ethnic_minority", "read"),
        ("income_per_capita_vnd", "read"),
        ("deprivations", "read"),
    ]
    assert await registry.services.store.load_snapshot(stream) is None
    assert await registry.fetchval("SELECT count(*) FROM idempotency_keys WHERE idempotency_key = $1", national_id) == 0


async def test_erasing_twice_changes_nothing_and_an_erased_household_never_gets_a_key_again(registry: Any) -> None:
    household_id = await registry.register("01912")
    path = f"/v1/households/{household_id}/personal-data"
    assert (await registry.client.delete(path, headers=PII_READER)).status_code == 200
    events = await registry.fetchval("SELECT count(*) FROM events")
    again = await registry.client.delete(path, headers=PII_READER)
    assert again.status_code == 200 and "consistency-token" not in again.headers
    assert await registry.fetchval("SELECT count(*) FROM events") == events
    with pytest.raises(Exception, match="never gets a new key"):
        await registry.fetchval(
            "INSERT INTO household_keys (household_id, wrapped_key) VALUES ($1, '\\x00')", uuid.UUID(household_id)
        )


async def test_the_same_person_may_be_registered_again_after_erasure(registry: Any) -> None:
    national_id = registry.new_national_id()
    first = await registry.register("01912", national_id=national_id)
    await registry.client.delete(f"/v1/households/{first}/personal-data", headers=PII_READER)
    second = await registry.register("01912", national_id=national_id)
    assert second != first


async def test_no_integration_event_on_the_household_topic_carries_personal_data(
    registry: Any, eventually: Any, read_topic: Any
) -> None:
    name, national_id, phone = "Hà Văn Topic Check", registry.new_national_id(), "0911222333"
    household_id = await registry.register("01912", name=name, national_id=national_id, phone=phone)
    await registry.survey(household_id, 2023, 1_000_000, ["employment"])
    await registry.client.delete(f"/v1/households/{household_id}/personal-data", headers=PII_READER)
    await eventually(
        lambda: registry.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"), lambda n: n == 0
    )

    records = await read_topic(registry.settings.household_topic)
    mine = [r for r in records if r.key == household_id.encode()]
    types = [dict(r.headers)["ce_type"].decode() for r in mine]
    assert types == [
        "vn.backan.household.registered.v1",
        "vn.backan.household.classified.v1",
        "vn.backan.household.personal-data-erased.v1",
    ]
    for record in records:
        everything = record.value + b"".join(value for _, value in record.headers)
        for secret in (name, national_id, phone, "income", "deprivations"):
            assert secret.encode() not in everything, f"{secret} leaked in {record.value!r}"
    # Ethnicity leaves the registry only as a unit's aggregate figures, never in an event about one household.
    for record in records:
        figures = dict(record.headers)["ce_type"] == b"vn.backan.household.poverty-statistics-updated.v1"
        assert figures or b"ethnic_minority" not in record.value, f"ethnicity leaked in {record.value!r}"
        assert not figures or b"household_id" not in record.value
