"""Each change to a unit's figures publishes `PovertyStatisticsUpdated` for the commune, its district and the
province: aggregates equal to the hand-computed figures (ethnic-minority ones included), and never a fact about
one household.

Five households, in Xã Nghĩa Tá (02071, Huyện Chợ Đồn 064) and Xã Đức Vân (01951, Huyện Ngân Sơn 062):

    2022  Nghĩa Tá  h1 poor EM, h2 near EM, h3 not, h4 poor
    2023  Nghĩa Tá  h1 near EM, h2 near EM, h3 not, h4 poor (h4 later gains a phone: projected near-poor)
          Đức Vân   h5 poor EM
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import pytest
from aiokafka import ConsumerRecord

from backan_shared.consistency import consistency_token
from backan_shared.contracts import household as contract
from harness.testing import read_topic
from household_registry.domain.commands import RecordInformationAccess
from household_registry.service_layer.handlers import record_information_access

pytestmark = pytest.mark.infra

NGHIA_TA, CHO_DON, DUC_VAN, NGAN_SON, PROVINCE = "02071", "064", "01951", "062", "06"
LOW, HIGH = 1_000_000, 3_000_000
POOR = ["employment", "health_insurance", "hygienic_latrine"]
INFORMATION_POOR = ["telecom_services", "information_access_means", "health_insurance"]
NEAR = ["employment"]
FIXTURE = [  # commune, ethnic minority, {year: (income, deprivations)}
    (NGHIA_TA, True, {2022: (LOW, POOR), 2023: (LOW, NEAR)}),
    (NGHIA_TA, True, {2022: (LOW, NEAR), 2023: (LOW, NEAR)}),
    (NGHIA_TA, False, {2022: (HIGH, POOR), 2023: (HIGH, POOR)}),
    (NGHIA_TA, False, {2022: (LOW, INFORMATION_POOR), 2023: (LOW, INFORMATION_POOR)}),
    (DUC_VAN, True, {2023: (LOW, POOR)}),
]
FIELDS = (
    "households",
    "poor",
    "near_poor",
    "poverty_rate",
    "ethnic_minority_households",
    "ethnic_minority_poor",
    "ethnic_minority_poverty_rate",
    "reduction_pp",
    "ethnic_minority_reduction_pp",
)
# Computed by hand from the table above (rates: part ÷ whole × 100, 2 decimals, half up).
EXPECTED = {
    (NGHIA_TA, 2022): (4, 2, 1, 50.0, 2, 1, 50.0, None, None),
    (CHO_DON, 2022): (4, 2, 1, 50.0, 2, 1, 50.0, None, None),
    (PROVINCE, 2022): (4, 2, 1, 50.0, 2, 1, 50.0, None, None),
    (NGHIA_TA, 2023): (4, 1, 2, 25.0, 2, 0, 0.0, 25.0, 50.0),
    (CHO_DON, 2023): (4, 1, 2, 25.0, 2, 0, 0.0, 25.0, 50.0),
    (DUC_VAN, 2023): (1, 1, 0, 100.0, 1, 1, 100.0, None, None),
    (NGAN_SON, 2023): (1, 1, 0, 100.0, 1, 1, 100.0, None, None),
    (PROVINCE, 2023): (5, 2, 2, 40.0, 3, 1, 33.33, 10.0, 16.67),
}
PAYLOAD_FIELDS = set(contract.PovertyStatisticsUpdated.model_fields)


@pytest.fixture(scope="module")
async def surveyed(registry: Any, eventually: Any) -> dict[str, Any]:
    """The fixture's households, surveyed through the API; the consistency token of each survey, by household."""
    ids, tokens = [], {}
    for commune, minority, surveys in FIXTURE:
        household_id = await registry.register(commune, minority=minority)
        for year, (income, deprivations) in surveys.items():
            answer = await registry.survey(household_id, year, income, deprivations)
            tokens[household_id] = answer.headers["Consistency-Token"]
        ids.append(household_id)
    await relayed(registry, eventually)
    return {"ids": ids, "tokens": tokens}


async def relayed(registry: Any, eventually: Any) -> None:
    """Wait until the figures publisher has counted every change noted and the relay has published every row.

    (A round takes its notes and writes its figures to the outbox in one transaction, so the sum below never
    passes through zero while figures are on their way.)"""
    unpublished = """SELECT (SELECT count(*) FROM figures_pending) + (SELECT count(*) FROM figures_epochs WHERE closed)
                            + (SELECT count(*) FROM outbox WHERE published_at IS NULL)"""
    await eventually(lambda: registry.fetchval(unpublished), lambda n: n == 0)


async def figures_events(registry: Any) -> list[ConsumerRecord[bytes, bytes]]:
    """Every `PovertyStatisticsUpdated` record on the household topic, in topic order."""
    records = await read_topic(registry.kafka_bootstrap, registry.settings.household_topic)
    return [r for r in records if dict(r.headers)["ce_type"].decode() == contract.POVERTY_STATISTICS_UPDATED]


def latest(records: list[ConsumerRecord[bytes, bytes]]) -> dict[tuple[str, int], dict[str, Any]]:
    """The payload of the highest revision per unit and year, as a reader keeps them."""
    kept: dict[tuple[str, int], dict[str, Any]] = {}
    for record in records:
        data = json.loads(record.value)
        key = (data["unit_code"], data["year"])
        if key not in kept or kept[key]["revision"] <= data["revision"]:
            kept[key] = data
    return kept


async def test_the_published_figures_of_each_unit_equal_the_hand_computed_aggregates(
    registry: Any, surveyed: dict[str, Any]
) -> None:
    published = latest(await figures_events(registry))
    assert set(published) == set(EXPECTED), "the communes, their districts and the province, for each year"
    for unit_year, expected in EXPECTED.items():
        assert tuple(published[unit_year][field] for field in FIELDS) == expected, unit_year
    assert published[(PROVINCE, 2023)]["target"]["basis"] == "province_average"
    assert published[(PROVINCE, 2023)]["on_target"] is True  # 10 pp against at least 2 pp


async def test_the_published_figures_are_the_registrys_own_statistics(registry: Any, surveyed: dict[str, Any]) -> None:
    for (unit, year), data in latest(await figures_events(registry)).items():
        own = await registry.poverty(unit, year)
        assert {k: v for k, v in own.items() if k in PAYLOAD_FIELDS} == {
            k: v for k, v in data.items() if k != "revision"
        }, (unit, year)


async def test_the_figures_carry_aggregates_only_keyed_by_the_province_never_a_household(
    registry: Any, surveyed: dict[str, Any]
) -> None:
    records = await figures_events(registry)
    assert records
    for record in records:
        data = json.loads(record.value)
        assert set(data) == PAYLOAD_FIELDS
        assert record.key == PROVINCE.encode()
        assert dict(record.headers)["ce_subject"].decode() == data["unit_code"]
        everything = record.value + b"".join(value for _, value in record.headers)
        for household_id in surveyed["ids"]:
            assert household_id.encode() not in everything
        for sensitive in (b"income", b"deprivation", b"full_name", b"national_id", b"head"):
            assert sensitive not in everything


async def test_one_survey_publishes_its_commune_district_and_province_with_a_growing_revision(
    registry: Any, surveyed: dict[str, Any]
) -> None:
    records = await figures_events(registry)
    duc_van = [json.loads(r.value) for r in records if json.loads(r.value)["unit_code"] in (DUC_VAN, NGAN_SON)]
    assert sorted((d["unit_code"], d["year"]) for d in duc_van) == [(DUC_VAN, 2023), (NGAN_SON, 2023)], "once each"
    province = [json.loads(r.value) for r in records if json.loads(r.value)["unit_code"] == PROVINCE]
    for year in (2022, 2023):
        revisions = [data["revision"] for data in province if data["year"] == year]
        assert revisions == sorted(set(revisions)), "one partition keeps the order they were computed in"


async def test_a_surveys_consistency_token_names_the_figures_that_include_it(
    registry: Any, surveyed: dict[str, Any]
) -> None:
    last_written = (await figures_events(registry))[-1]  # by Đức Vân's survey, the fixture's last write
    event_id = dict(last_written.headers)["ce_id"].decode()
    assert surveyed["tokens"][surveyed["ids"][-1]] == consistency_token("household-registry", event_id)


async def test_information_access_republishes_the_projected_figures_and_leaves_the_official_ones(
    registry: Any, surveyed: dict[str, Any], eventually: Any
) -> None:
    before = latest(await figures_events(registry))
    phone = RecordInformationAccess(uuid.UUID(surveyed["ids"][3]), "smartphone campaign c-1", "c-1/DL-1", date.today())
    await record_information_access(phone, registry.services)
    await relayed(registry, eventually)

    after = latest(await figures_events(registry))
    for unit in (NGHIA_TA, CHO_DON, PROVINCE):
        assert after[(unit, 2023)]["revision"] > before[(unit, 2023)]["revision"]
        assert tuple(after[(unit, 2023)][field] for field in FIELDS) == EXPECTED[(unit, 2023)]
        assert after[(unit, 2023)]["projected"]["poor"] == before[(unit, 2023)]["projected"]["poor"] - 1
    assert after[(DUC_VAN, 2023)] == before[(DUC_VAN, 2023)], "another commune's figures did not change"
