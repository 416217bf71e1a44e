"""The poverty standards as versioned reference data: which one is in force for a year, and what it holds."""

from __future__ import annotations

import dataclasses
import json

import pytest

from household_registry.domain.errors import NoStandardInForceError, ReferenceDataError
from household_registry.domain.poverty_standard import Area, PovertyStandards
from household_registry.reference import load_poverty_standards, standard_in_force
from household_registry.reference.files import read_reference, reference_path
from household_registry.reference.standards import parse_standard


@pytest.mark.parametrize(
    ("year", "version"),
    [(2022, "2022-2025"), (2025, "2022-2025"), (2026, "2022-2025"), (2027, "2027-2030"), (2030, "2027-2030")],
)
def test_the_standard_in_force_is_chosen_by_year(year: int, version: str) -> None:
    assert standard_in_force(year).version == version


@pytest.mark.parametrize("year", [2020, 2021, 2031])
def test_a_year_without_a_standard_is_a_clear_domain_error(year: int) -> None:
    with pytest.raises(NoStandardInForceError, match=f"no poverty standard is in force for {year}") as raised:
        standard_in_force(year)
    assert raised.value.year == year


def test_the_2022_2025_standard_has_the_decree_07_lines() -> None:
    standard = standard_in_force(2025)
    assert standard.poverty_lines.for_area(Area.RURAL) == 1_500_000
    assert standard.poverty_lines.for_area(Area.URBAN) == 2_000_000
    assert standard.average_living_lines is not None
    assert (standard.average_living_lines.rural_vnd, standard.average_living_lines.urban_vnd) == (2_250_000, 3_000_000)
    assert standard.poor_min_deprivations == 3
    assert "07/2021/NĐ-CP" in standard.sources[0].document
    assert not standard.unconfirmed


def test_the_2022_2025_standard_has_six_dimensions_of_two_indicators_each() -> None:
    standard = standard_in_force(2025)
    assert [d.code for d in standard.dimensions] == [
        "employment",
        "health",
        "education",
        "housing",
        "water_sanitation",
        "information",
    ]
    assert len(standard.indicators) == len(standard.indicator_codes) == 12
    for dimension in standard.dimensions:
        assert len([i for i in standard.indicators if i.dimension == dimension.code]) == 2, dimension.code
    assert all(i.name_vi and i.name_en for i in standard.indicators)


def test_information_access_clears_the_two_information_indicators() -> None:
    standard = standard_in_force(2025)
    information = {i.code for i in standard.indicators if i.dimension == "information"}
    assert standard.information_access_clears == information == {"telecom_services", "information_access_means"}


def test_the_2027_standard_is_provisional_and_says_what_is_unconfirmed() -> None:
    standard = standard_in_force(2027)
    assert (standard.poverty_lines.rural_vnd, standard.poverty_lines.urban_vnd) == (2_200_000, 2_800_000)
    assert standard.average_living_lines is None
    assert {"indicators", "dimensions", "information_access_clears"} <= standard.unconfirmed
    assert any(not source.confirmed for source in standard.sources)


def test_every_standard_file_names_at_least_one_source() -> None:
    standards = load_poverty_standards()
    for version in standards.versions():
        assert standards.get(version).sources, version


def _raw(version: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(reference_path("poverty_standards", f"{version}.json").read_text("utf-8"))
    return data


def test_overlapping_standards_are_refused() -> None:
    first = standard_in_force(2023)
    clash = dataclasses.replace(first, version="clash", valid_from_year=2026, valid_to_year=2028)
    with pytest.raises(ReferenceDataError, match="overlap"):
        PovertyStandards([first, clash])


def test_a_confirmed_version_supersedes_the_provisional_one_without_editing_it() -> None:
    confirmed = parse_standard({**_raw("2027-2030"), "version": "2027-2030.1", "supersedes": "2027-2030"})
    standards = PovertyStandards([*map(parse_standard, (_raw("2022-2025"), _raw("2027-2030"))), confirmed])
    assert standards.in_force(2028).version == "2027-2030.1"
    assert standards.get("2027-2030").version == "2027-2030"


def test_a_malformed_standard_file_is_a_reference_data_error() -> None:
    class Broken:
        name = "broken.json"

        def read_text(self, encoding: str) -> str:
            return json.dumps({**_raw("2022-2025"), "poverty_lines_vnd_per_person_per_month": {"rural": 1.5e6}})

    with pytest.raises(ReferenceDataError, match=r"broken\.json"):
        read_reference(Broken(), parse_standard)  # type: ignore[arg-type]
