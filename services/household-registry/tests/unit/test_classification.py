"""The classification rule (hộ nghèo / hộ cận nghèo / không nghèo) at every boundary, table by table."""

from __future__ import annotations

import pytest

from household_registry.domain.classification import (
    Classification,
    classify_household,
    explain_classification,
    project_classification,
)
from household_registry.domain.errors import InvalidSurveyError, StandardNotInForceError, UnknownIndicatorError
from household_registry.domain.poverty_standard import Area, PovertyStandard
from household_registry.domain.survey import Survey
from household_registry.reference import standard_in_force

POOR, NEAR_POOR, NOT_POOR = Classification.POOR, Classification.NEAR_POOR, Classification.NOT_POOR
RURAL, URBAN = Area.RURAL, Area.URBAN
# Deprivations outside the information dimension, so information access never touches them.
THREE = frozenset({"employment", "health_insurance", "hygienic_latrine"})
TWO = frozenset({"employment", "health_insurance"})
INFORMATION = frozenset({"telecom_services", "information_access_means"})


def survey(year: int, area: Area, income: int, deprivations: frozenset[str]) -> Survey:
    return Survey(year=year, area=area, income_per_capita_vnd=income, deprivations=deprivations)


def classify(year: int, area: Area, income: int, deprivations: frozenset[str]) -> Classification:
    return classify_household(survey(year, area, income, deprivations), standard_in_force(year))


@pytest.mark.parametrize(
    ("case", "area", "income", "deprivations", "expected"),
    [
        ("rural income exactly at the line with 3 deprivations", RURAL, 1_500_000, THREE, POOR),
        ("rural income one đồng above the line with 3 deprivations", RURAL, 1_500_001, THREE, NOT_POOR),
        ("rural income one đồng below the line with 3 deprivations", RURAL, 1_499_999, THREE, POOR),
        ("rural income exactly at the line with 2 deprivations", RURAL, 1_500_000, TWO, NEAR_POOR),
        ("rural income at the line with no deprivation", RURAL, 1_500_000, frozenset(), NEAR_POOR),
        ("rural zero income with no deprivation", RURAL, 0, frozenset(), NEAR_POOR),
        ("rural income above the line with all deprivations", RURAL, 1_500_001, THREE | INFORMATION, NOT_POOR),
        ("urban income exactly at the line with 3 deprivations", URBAN, 2_000_000, THREE, POOR),
        ("urban income one đồng above the line with 3 deprivations", URBAN, 2_000_001, THREE, NOT_POOR),
        ("urban income exactly at the line with 2 deprivations", URBAN, 2_000_000, TWO, NEAR_POOR),
        ("urban income above the rural line is still poor in town", URBAN, 1_500_001, THREE, POOR),
        ("urban income above the rural line is still near-poor in town", URBAN, 1_750_000, TWO, NEAR_POOR),
    ],
)
def test_the_2022_2025_rule_needs_income_at_or_below_the_line_and_three_deprivations(
    case: str, area: Area, income: int, deprivations: frozenset[str], expected: Classification
) -> None:
    assert classify(2023, area, income, deprivations) is expected, case


@pytest.mark.parametrize(
    ("case", "area", "income", "deprivations", "expected"),
    [
        ("rural income exactly at the 2027 line", RURAL, 2_200_000, THREE, POOR),
        ("rural income one đồng above the 2027 line", RURAL, 2_200_001, THREE, NOT_POOR),
        ("rural income above the old line but at the new one", RURAL, 2_000_000, TWO, NEAR_POOR),
        ("urban income exactly at the 2027 line", URBAN, 2_800_000, THREE, POOR),
        ("urban income one đồng above the 2027 line", URBAN, 2_800_001, THREE, NOT_POOR),
    ],
)
def test_the_2027_standard_moves_the_lines_and_keeps_the_rule(
    case: str, area: Area, income: int, deprivations: frozenset[str], expected: Classification
) -> None:
    assert classify(2027, area, income, deprivations) is expected, case


def test_the_same_household_is_poor_in_2027_that_was_not_poor_in_2026() -> None:
    assert classify(2026, RURAL, 2_000_000, THREE) is NOT_POOR
    assert classify(2027, RURAL, 2_000_000, THREE) is POOR


def _standard() -> PovertyStandard:
    return standard_in_force(2023)


@pytest.mark.parametrize("dimension", [d.code for d in _standard().dimensions])
def test_each_dimension_counts_toward_the_three_deprivations(dimension: str) -> None:
    standard = _standard()
    own = [i.code for i in standard.indicators if i.dimension == dimension]
    others = [i.code for i in standard.indicators if i.dimension != dimension][:2]
    assert classify(2023, RURAL, 1_000_000, frozenset(others)) is NEAR_POOR
    for indicator in own:
        assert classify(2023, RURAL, 1_000_000, frozenset([*others, indicator])) is POOR, indicator


@pytest.mark.parametrize("indicator", sorted(_standard().indicator_codes))
def test_each_of_the_twelve_indicators_is_one_deprivation(indicator: str) -> None:
    others = sorted(_standard().indicator_codes - {indicator})[:2]
    assert classify(2023, RURAL, 1_000_000, frozenset([indicator])) is NEAR_POOR
    assert classify(2023, RURAL, 1_000_000, frozenset([indicator, *others])) is POOR


@pytest.mark.parametrize(
    ("case", "income", "deprivations", "official", "projected"),
    [
        ("3 deprivations, both informational", 1_000_000, INFORMATION | {"employment"}, POOR, NEAR_POOR),
        ("4 deprivations, both informational", 1_000_000, INFORMATION | TWO, POOR, NEAR_POOR),
        ("4 deprivations, one informational", 1_000_000, THREE | {"telecom_services"}, POOR, POOR),
        ("5 deprivations, both informational", 1_000_000, INFORMATION | THREE, POOR, POOR),
        ("near-poor stays near-poor", 1_000_000, INFORMATION, NEAR_POOR, NEAR_POOR),
        ("above the line stays not poor", 1_600_000, INFORMATION | THREE, NOT_POOR, NOT_POOR),
    ],
)
def test_information_access_clears_only_the_information_deprivations_in_the_projection(
    case: str, income: int, deprivations: frozenset[str], official: Classification, projected: Classification
) -> None:
    found, standard = survey(2023, RURAL, income, deprivations), _standard()
    assert classify_household(found, standard) is official, case
    assert project_classification(found, standard) is projected, case


def test_an_unknown_indicator_code_is_refused() -> None:
    with pytest.raises(UnknownIndicatorError, match="smartphone"):
        classify(2023, RURAL, 1_000_000, frozenset({"smartphone"}))


def test_a_survey_is_never_classified_by_another_years_standard() -> None:
    with pytest.raises(StandardNotInForceError, match="2027"):
        classify_household(survey(2027, RURAL, 1_000_000, THREE), standard_in_force(2025))


@pytest.mark.parametrize("income", [-1, 1.5, True, "1500000"])
def test_income_must_be_whole_non_negative_vnd(income: object) -> None:
    with pytest.raises(InvalidSurveyError):
        Survey(2023, RURAL, income, THREE)  # type: ignore[arg-type]


def test_the_explanation_names_the_line_and_the_count() -> None:
    poor = explain_classification(survey(2023, RURAL, 1_500_000, THREE), _standard())
    above = explain_classification(survey(2023, URBAN, 2_000_001, THREE), _standard())
    assert "at or below the rural line of 1,500,000 VND" in poor
    assert "3 deprivations, at least 3: poor" in poor
    assert "above the urban line of 2,000,000 VND" in above


@pytest.mark.parametrize(
    ("area", "income", "expected"),
    [
        (RURAL, 1_500_000, False),
        (RURAL, 1_500_001, True),
        (RURAL, 2_250_000, True),
        (RURAL, 2_250_001, False),
        (URBAN, 2_000_001, True),
        (URBAN, 3_000_000, True),
        (URBAN, 3_000_001, False),
    ],
)
def test_average_living_standard_lies_above_the_line_up_to_the_upper_line(
    area: Area, income: int, expected: bool
) -> None:
    assert _standard().has_average_living_standard(area, income) is expected
