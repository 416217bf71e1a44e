from decimal import Decimal

from dti_scoring.domain.framework import Level
from dti_scoring.domain.ranking import RankedUnit, UnitResult, competition_ranks, rank_units, rankings

# the 8 pilot communes/wards of the 2023 smartphone programme (DESIGN.md §7); Sông Cầu has its published 2023
# score (569.8 points, Decision 488/QĐ-UBND), the other scores are made up
RESULTS_2023 = {
    "01837": "569.80",  # Phường Sông Cầu
    "02017": "512.40",  # Xã Quang Thuận
    "01912": "498.25",  # Xã Thượng Giáo
    "02071": "498.25",  # Xã Nghĩa Tá
    "02122": "470.00",  # Xã Như Cố
    "01951": "455.10",  # Xã Đức Vân
    "02173": "455.10",  # Xã Côn Minh
    "01870": "455.10",  # Xã Giáo Hiệu
}
RESULTS_2022 = {
    "01837": "530.00",  # 1
    "01912": "480.00",  # 2
    "02071": "450.00",  # 3
    "02017": "430.00",  # 4
    "01951": "420.00",  # 5
    "02122": "400.00",  # 6
    "02173": "400.00",  # 6; Giáo Hiệu was not assessed in 2022
}


def results(year: int, scores: dict[str, str], level: Level = Level.COMMUNE) -> list[UnitResult]:
    return [UnitResult(unit, level, year, Decimal(score)) for unit, score in scores.items()]


def test_tied_scores_share_a_rank_and_the_next_rank_skips() -> None:
    ranks = competition_ranks({"a": Decimal(9), "b": Decimal(7), "c": Decimal(7), "d": Decimal(5)})
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_the_8_pilot_communes_are_ranked_with_ties_and_their_change_from_last_year() -> None:
    ranking = rank_units(results(2023, RESULTS_2023) + results(2022, RESULTS_2022), Level.COMMUNE, 2023)
    assert [(place.rank, place.unit_code, place.previous_rank, place.rank_change) for place in ranking] == [
        (1, "01837", 1, 0),
        (2, "02017", 4, 2),
        (3, "01912", 2, -1),
        (3, "02071", 3, 0),
        (5, "02122", 6, 1),
        (6, "01870", None, None),
        (6, "01951", 5, -1),
        (6, "02173", 6, 0),
    ]
    assert ranking[0] == RankedUnit(1, "01837", Decimal("569.80"), 1, 0)


def test_rankings_are_kept_apart_by_level_and_year() -> None:
    districts = results(2023, {"061": "610.5", "058": "610.5"}, Level.DISTRICT)
    every = rankings(results(2023, RESULTS_2023) + results(2022, RESULTS_2022) + districts)
    assert set(every) == {(Level.COMMUNE, 2022), (Level.COMMUNE, 2023), (Level.DISTRICT, 2023)}
    assert [(place.rank, place.unit_code) for place in every[(Level.DISTRICT, 2023)]] == [(1, "058"), (1, "061")]
    assert len(every[(Level.COMMUNE, 2022)]) == 7
