"""The province's poverty targets as versioned, sourced reference data."""

from __future__ import annotations

from decimal import Decimal

from household_registry.domain.targets import TargetBasis
from household_registry.reference import load_administrative_units, load_poverty_targets


def test_the_baseline_is_the_2021_full_review() -> None:
    baseline = load_poverty_targets().baseline
    assert (baseline.year, baseline.unit_code) == (2021, "06")
    assert (baseline.poor_households, baseline.poverty_rate) == (21_946, Decimal("26.93"))
    assert (baseline.near_poor_households, baseline.near_poverty_rate) == (7_935, Decimal("9.74"))
    assert baseline.source.url and baseline.source.confirmed


def test_the_baseline_counts_and_rates_imply_one_number_of_households() -> None:
    baseline = load_poverty_targets().baseline

    def bounds(count: int, rate: Decimal) -> tuple[Decimal, Decimal]:
        # a rate published to 2 decimals lies within ±0.005 of the true one
        return count * 100 / (rate + Decimal("0.005")), count * 100 / (rate - Decimal("0.005"))

    poor_low, poor_high = bounds(baseline.poor_households, baseline.poverty_rate)
    near_low, near_high = bounds(baseline.near_poor_households, baseline.near_poverty_rate)
    assert max(poor_low, near_low) <= min(poor_high, near_high)


def test_the_targets_are_the_provinces_yearly_reductions() -> None:
    targets = load_poverty_targets()
    assert (targets.province_average.min_pp, targets.province_average.max_pp) == (Decimal("2.0"), Decimal("2.5"))
    assert (targets.poor_district.min_pp, targets.poor_district.max_pp) == (Decimal("4.0"), Decimal("5.0"))
    assert (targets.ethnic_minority.min_pp, targets.ethnic_minority.max_pp) == (Decimal("3.0"), None)
    assert targets.year_end_rates == {("06", 2023): Decimal("22.31")}
    assert (targets.first_year, targets.last_year) == (2022, 2025)
    assert targets.sources and targets.version


def test_the_reported_2022_reduction_is_kept_for_comparison() -> None:
    (reported,) = load_poverty_targets().reported
    assert (reported.year, reported.reduction_pp, reported.ethnic_minority_reduction_pp) == (
        2022,
        Decimal("2.66"),
        Decimal("2.5"),
    )


def test_a_unit_has_a_target_only_in_the_years_the_targets_cover() -> None:
    targets, units = load_poverty_targets(), load_administrative_units()
    commune = units.get("01837")
    assert targets.for_unit(commune, 2021, units) is None
    assert targets.for_unit(commune, 2026, units) is None
    target = targets.for_unit(commune, 2024, units)
    assert target is not None and target.basis is TargetBasis.PROVINCE_AVERAGE
    assert target.poverty_rate_at_most is None
