"""Poverty statistics through GET /v1/poverty for a hand-built set of households, checked against figures
computed by hand; and the read models rebuilt from the event store equal the live ones.

Seven households in Xã Đức Vân (01951, Huyện Ngân Sơn 062) and Xã Côn Minh (02173, Huyện Na Rì 066),
surveyed in 2024 and 2025 (years no other test of this module uses, so the province's figures are theirs):

    2024  Đức Vân   h1 poor EM, h2 poor, h3 near EM, h4 not
          Côn Minh  h5 poor EM, h6 not EM
    2025  Đức Vân   h1 near EM, h2 poor, h3 near EM, h4 not
          Côn Minh  h5 poor EM, h6 not EM, h7 poor (first surveyed in 2025)
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from household_registry.domain.commands import CorrectSurvey, RecordInformationAccess
from household_registry.service_layer.handlers import correct_survey, record_information_access
from household_registry.service_layer.rebuild import rebuild_read_models

pytestmark = pytest.mark.infra

DUC_VAN, CON_MINH = "01951", "02173"
LOW, HIGH = 1_000_000, 3_000_000
POOR = ["employment", "health_insurance", "hygienic_latrine"]
NEAR = ["employment"]
INFORMATION_POOR = ["telecom_services", "information_access_means", "health_insurance"]
# commune, ethnic minority, {year: (income, deprivations)}
FIXTURE = [
    (DUC_VAN, True, {2024: (LOW, POOR), 2025: (LOW, NEAR)}),
    (DUC_VAN, False, {2024: (LOW, POOR), 2025: (LOW, POOR)}),
    (DUC_VAN, True, {2024: (LOW, NEAR), 2025: (LOW, NEAR)}),
    (DUC_VAN, False, {2024: (HIGH, POOR), 2025: (HIGH, POOR)}),
    (CON_MINH, True, {2024: (LOW, POOR), 2025: (LOW, POOR)}),
    (CON_MINH, True, {2024: (HIGH, []), 2025: (HIGH, [])}),
    (CON_MINH, False, {2025: (LOW, POOR)}),
]
FIELDS = [
    "households",
    "poor",
    "near_poor",
    "poverty_rate",
    "near_poverty_rate",
    "ethnic_minority_households",
    "ethnic_minority_poor",
    "ethnic_minority_poverty_rate",
    "reduction_pp",
    "ethnic_minority_reduction_pp",
    "on_target",
    "ethnic_minority_on_target",
]
# Computed by hand from the table above (rates: part ÷ whole × 100, 2 decimals, half up).
EXPECTED = {
    (DUC_VAN, 2024): (4, 2, 1, 50.0, 25.0, 2, 1, 50.0, None, None, None, None),
    (CON_MINH, 2024): (2, 1, 0, 50.0, 0.0, 2, 1, 50.0, None, None, None, None),
    ("062", 2024): (4, 2, 1, 50.0, 25.0, 2, 1, 50.0, None, None, None, None),
    ("06", 2024): (6, 3, 1, 50.0, 16.67, 4, 2, 50.0, None, None, None, None),
    (DUC_VAN, 2025): (4, 1, 2, 25.0, 50.0, 2, 0, 0.0, 25.0, 50.0, True, True),
    (CON_MINH, 2025): (3, 2, 0, 66.67, 0.0, 2, 1, 50.0, -16.67, 0.0, False, False),
    ("066", 2025): (3, 2, 0, 66.67, 0.0, 2, 1, 50.0, -16.67, 0.0, False, False),
    ("06", 2025): (7, 3, 2, 42.86, 28.57, 4, 1, 25.0, 7.14, 25.0, True, True),
}


@pytest.fixture(scope="module")
async def fixture_households(registry: Any) -> list[str]:
    ids = []
    for commune, minority, surveys in FIXTURE:
        household_id = await registry.register(commune, minority=minority)
        for year, (income, deprivations) in surveys.items():
            await registry.survey(household_id, year, income, deprivations)
        ids.append(household_id)
    return ids


@pytest.mark.parametrize(("unit", "year"), list(EXPECTED))
async def test_statistics_equal_the_hand_computed_figures(
    registry: Any, fixture_households: list[str], unit: str, year: int
) -> None:
    figures = await registry.poverty(unit, year)
    assert tuple(figures[field] for field in FIELDS) == EXPECTED[(unit, year)]
    assert figures["projected"]["poor"] == figures["poor"], "no phone was delivered: projected equals official"
    assert figures["projected"]["reduction_pp"] == figures["reduction_pp"]
    assert figures["as_of"]


async def test_each_figure_is_measured_against_the_provinces_target(
    registry: Any, fixture_households: list[str]
) -> None:
    figures = await registry.poverty("06", 2025)
    assert figures["unit_name"] == "Tỉnh Bắc Kạn" and figures["level"] == "province"
    assert figures["target"] == {
        "version": "backan-2021-2025",
        "basis": "province_average",
        "reduction": {"min_pp": 2.0, "max_pp": 2.5},
        "ethnic_minority_reduction": {"min_pp": 3.0, "max_pp": None},
        "poverty_rate_at_most": None,
    }


async def test_a_unit_without_surveyed_households_has_zero_households_and_no_rates(
    registry: Any, fixture_households: list[str]
) -> None:
    figures = await registry.poverty("02122", 2025)
    assert (figures["households"], figures["poverty_rate"], figures["reduction_pp"]) == (0, None, None)
    assert figures["target"]["basis"] == "province_average"


async def test_an_unknown_unit_is_a_404_problem(registry: Any) -> None:
    response = await registry.client.get("/v1/poverty", params={"unit_code": "99999", "year": 2025})
    assert response.status_code == 404
    assert "99999" in response.json()["detail"]


async def test_statistics_include_a_survey_as_soon_as_it_is_recorded(registry: Any) -> None:
    # 2026 is still under the 2022–2025 standard and used by no other test here.
    first = await registry.register("01870")
    await registry.survey(first, 2026, LOW, POOR)
    assert (await registry.poverty("01870", 2026))["poor"] == 1
    second = await registry.register("01870")
    await registry.survey(second, 2026, HIGH, POOR)
    figures = await registry.poverty("01870", 2026)
    assert (figures["households"], figures["poor"], figures["poverty_rate"]) == (2, 1, 50.0)


async def snapshot(registry: Any, eventually: Any) -> dict[str, list[Any]]:
    """Every read model's rows, in a stable order, once the figures publisher has counted every change noted."""
    await eventually(lambda: registry.fetchval("SELECT NOT EXISTS (SELECT 1 FROM figures_pending)"))
    return {
        "views": [dict(r) for r in await registry.fetch("SELECT * FROM household_view ORDER BY household_id")],
        "records": [
            dict(r) for r in await registry.fetch("SELECT * FROM household_classifications ORDER BY household_id, year")
        ],
        "tallies": [dict(r) for r in await registry.fetch("SELECT * FROM commune_tallies ORDER BY year, commune_code")],
    }


async def test_rebuilding_the_read_models_from_the_event_store_gives_the_live_ones(
    registry: Any, fixture_households: list[str], eventually: Any
) -> None:
    phone_owner = await registry.register("02071")
    await registry.survey(phone_owner, 2022, LOW, INFORMATION_POOR)
    await registry.survey(phone_owner, 2023, LOW, INFORMATION_POOR)
    owner = uuid.UUID(phone_owner)
    access = RecordInformationAccess(owner, "smartphone campaign c-1", "delivery-1", date(2023, 9, 1))
    await record_information_access(access, registry.services)
    await correct_survey(CorrectSurvey(owner, 2022, HIGH, frozenset(), "income misread"), registry.services)
    await registry.client.delete(
        f"/v1/households/{fixture_households[0]}/personal-data",
        headers={"X-Principal-Scopes": "household:pii", "X-Principal-Subject": "officer-17"},
    )
    live = await snapshot(registry, eventually)
    assert len(live["views"]) >= 8 and len(live["tallies"]) >= 5

    report = await rebuild_read_models(registry.services)

    assert report.households == len(live["views"])
    assert await snapshot(registry, eventually) == live
    view = (await registry.client.get(f"/v1/households/{phone_owner}")).json()
    assert (view["classification"], view["projected_classification"]) == ("poor", "near_poor")
