"""Poverty statistics for a hand-built fixture, checked against figures computed by hand.

Eleven households in two pilot communes: Phường Sông Cầu (01837, Thành phố Bắc Kạn 058) and Xã Giáo Hiệu
(01870, Huyện Pác Nặm 060). One household's phone makes it near-poor in the 2023 projection only.

    2022  Sông Cầu   h1 poor EM, h2 near, h3 not, h4 not EM
          Giáo Hiệu  h5 poor EM, h6 poor EM, h7 poor, h8 near EM, h9 not EM, h10 not
    2023  Sông Cầu   h1 near EM, h2 near, h3 not, h4 not EM
          Giáo Hiệu  h5 poor EM (projected near), h6 near EM, h7 poor, h8 near EM, h9 not EM, h10 not,
                     h11 poor EM (new household)
"""

from __future__ import annotations

import dataclasses
import uuid
from decimal import Decimal

import pytest

from household_registry.domain.classification import Classification
from household_registry.domain.errors import StatisticsInputError
from household_registry.domain.statistics import (
    ClassificationRecord,
    PovertyFigures,
    compute_poverty_statistics,
    percent,
)
from household_registry.domain.targets import PovertyTargets, TargetBasis
from household_registry.domain.units import UnitLevel
from household_registry.reference import load_administrative_units, load_poverty_targets

POOR, NEAR, NOT = Classification.POOR, Classification.NEAR_POOR, Classification.NOT_POOR
SONG_CAU, GIAO_HIEU = "01837", "01870"


def record(
    n: int, commune: str, year: int, minority: bool, official: Classification, projected: Classification | None = None
) -> ClassificationRecord:
    household = uuid.UUID(int=n)
    return ClassificationRecord(household, commune, year, minority, official, projected or official)


FIXTURE = [
    record(1, SONG_CAU, 2022, True, POOR),
    record(2, SONG_CAU, 2022, False, NEAR),
    record(3, SONG_CAU, 2022, False, NOT),
    record(4, SONG_CAU, 2022, True, NOT),
    record(5, GIAO_HIEU, 2022, True, POOR),
    record(6, GIAO_HIEU, 2022, True, POOR),
    record(7, GIAO_HIEU, 2022, False, POOR),
    record(8, GIAO_HIEU, 2022, True, NEAR),
    record(9, GIAO_HIEU, 2022, True, NOT),
    record(10, GIAO_HIEU, 2022, False, NOT),
    record(1, SONG_CAU, 2023, True, NEAR),
    record(2, SONG_CAU, 2023, False, NEAR),
    record(3, SONG_CAU, 2023, False, NOT),
    record(4, SONG_CAU, 2023, True, NOT),
    record(5, GIAO_HIEU, 2023, True, POOR, projected=NEAR),
    record(6, GIAO_HIEU, 2023, True, NEAR),
    record(7, GIAO_HIEU, 2023, False, POOR),
    record(8, GIAO_HIEU, 2023, True, NEAR),
    record(9, GIAO_HIEU, 2023, True, NOT),
    record(10, GIAO_HIEU, 2023, False, NOT),
    record(11, GIAO_HIEU, 2023, True, POOR),
]


def figures_of(code: str, year: int, targets: PovertyTargets | None = None) -> PovertyFigures:
    every = compute_poverty_statistics(FIXTURE, load_administrative_units(), targets)
    return next(f for f in every if (f.unit_code, f.year) == (code, year))


def D(text: str) -> Decimal:
    return Decimal(text)


# unit, year: households, poor, near-poor, poverty rate, near-poverty rate,
#             EM households, EM poor, EM poverty rate, reduction, EM reduction
OFFICIAL = [
    (SONG_CAU, 2022, 4, 1, 1, D("25.00"), D("25.00"), 2, 1, D("50.00"), None, None),
    (GIAO_HIEU, 2022, 6, 3, 1, D("50.00"), D("16.67"), 4, 2, D("50.00"), None, None),
    ("058", 2022, 4, 1, 1, D("25.00"), D("25.00"), 2, 1, D("50.00"), None, None),
    ("060", 2022, 6, 3, 1, D("50.00"), D("16.67"), 4, 2, D("50.00"), None, None),
    ("06", 2022, 10, 4, 2, D("40.00"), D("20.00"), 6, 3, D("50.00"), None, None),
    (SONG_CAU, 2023, 4, 0, 2, D("0.00"), D("50.00"), 2, 0, D("0.00"), D("25.00"), D("50.00")),
    (GIAO_HIEU, 2023, 7, 3, 2, D("42.86"), D("28.57"), 5, 2, D("40.00"), D("7.14"), D("10.00")),
    ("060", 2023, 7, 3, 2, D("42.86"), D("28.57"), 5, 2, D("40.00"), D("7.14"), D("10.00")),
    ("06", 2023, 11, 3, 4, D("27.27"), D("36.36"), 7, 2, D("28.57"), D("12.73"), D("21.43")),
]


@pytest.mark.parametrize("row", OFFICIAL, ids=[f"{r[0]}-{r[1]}" for r in OFFICIAL])
def test_official_figures_equal_the_hand_computed_ones(row: tuple[object, ...]) -> None:
    code, year, *expected = row
    found = figures_of(str(code), int(str(year)))
    assert [
        found.households,
        found.poor,
        found.near_poor,
        found.poverty_rate,
        found.near_poverty_rate,
        found.ethnic_minority_households,
        found.ethnic_minority_poor,
        found.ethnic_minority_poverty_rate,
        found.reduction_pp,
        found.ethnic_minority_reduction_pp,
    ] == expected


# unit: projected poor, near-poor, poverty rate, near-poverty rate, EM poverty rate, reduction from 2022
PROJECTED_2023 = [
    (SONG_CAU, 0, 2, D("0.00"), D("50.00"), D("0.00"), D("25.00")),
    (GIAO_HIEU, 2, 3, D("28.57"), D("42.86"), D("20.00"), D("21.43")),
    ("06", 2, 5, D("18.18"), D("45.45"), D("14.29"), D("21.82")),
]


@pytest.mark.parametrize("row", PROJECTED_2023, ids=[r[0] for r in PROJECTED_2023])
def test_projected_figures_count_the_phone_and_leave_the_official_ones(row: tuple[object, ...]) -> None:
    code, *expected = row
    projected = figures_of(str(code), 2023).projected
    assert [
        projected.poor,
        projected.near_poor,
        projected.poverty_rate,
        projected.near_poverty_rate,
        projected.ethnic_minority_poverty_rate,
        projected.reduction_pp,
    ] == expected


def test_every_commune_is_counted_in_its_district_and_the_province() -> None:
    every = compute_poverty_statistics(FIXTURE, load_administrative_units())
    assert sorted({(f.unit_code, f.level) for f in every}) == [
        ("01837", UnitLevel.COMMUNE),
        ("01870", UnitLevel.COMMUNE),
        ("058", UnitLevel.DISTRICT),
        ("06", UnitLevel.PROVINCE),
        ("060", UnitLevel.DISTRICT),
    ]
    assert len(every) == 10


def test_rates_are_decimals_rounded_half_up_to_two_places() -> None:
    assert percent(1, 160) == Decimal("0.63")  # 0.625: half-up, not banker's 0.62
    assert percent(1, 6) == Decimal("16.67")
    assert percent(0, 0) is None
    assert isinstance(figures_of("06", 2023).poverty_rate, Decimal)


def test_each_figure_carries_the_target_it_is_measured_against() -> None:
    province = figures_of("06", 2023, targets=load_poverty_targets())
    assert province.target is not None
    assert province.target.basis is TargetBasis.PROVINCE_AVERAGE
    assert (province.target.reduction.min_pp, province.target.reduction.max_pp) == (D("2.0"), D("2.5"))
    assert province.target.ethnic_minority_reduction.min_pp == D("3.0")
    assert province.target.poverty_rate_at_most == D("22.31")
    assert province.on_target is True and province.ethnic_minority_on_target is True
    first_year = figures_of("06", 2022, targets=load_poverty_targets())
    assert first_year.on_target is None


def test_a_poor_district_and_its_communes_are_measured_against_the_steeper_target() -> None:
    targets = dataclasses.replace(load_poverty_targets(), poor_district_codes=frozenset({"060"}))
    commune = figures_of(GIAO_HIEU, 2023, targets=targets)
    assert commune.target is not None and commune.target.basis is TargetBasis.POOR_DISTRICT
    assert commune.target.reduction.min_pp == D("4.0")
    assert commune.on_target is True  # 7.14 pp ≥ 4
    assert commune.target.poverty_rate_at_most is None
    other = figures_of(SONG_CAU, 2023, targets=targets)
    assert other.target is not None and other.target.basis is TargetBasis.PROVINCE_AVERAGE


def test_a_rise_is_a_negative_reduction_and_misses_the_target() -> None:
    rising = [
        record(1, SONG_CAU, 2022, False, NOT),
        record(2, SONG_CAU, 2022, False, NOT),
        record(1, SONG_CAU, 2023, False, POOR),
        record(2, SONG_CAU, 2023, False, NOT),
    ]
    every = compute_poverty_statistics(rising, load_administrative_units(), load_poverty_targets())
    commune = next(f for f in every if (f.unit_code, f.year) == (SONG_CAU, 2023))
    assert commune.reduction_pp == D("-50.00") and commune.on_target is False


def test_a_year_after_a_gap_has_no_reduction() -> None:
    gap = [record(1, SONG_CAU, 2022, False, POOR), record(1, SONG_CAU, 2024, False, NOT)]
    every = compute_poverty_statistics(gap, load_administrative_units())
    assert all(f.reduction_pp is None for f in every)


def test_a_household_counted_twice_in_one_year_is_refused() -> None:
    with pytest.raises(StatisticsInputError, match="twice"):
        compute_poverty_statistics([*FIXTURE, FIXTURE[0]], load_administrative_units())
