import json
from decimal import Decimal
from pathlib import Path

import pytest

from dti_scoring.domain.errors import UnknownIndicatorError, ValueOutOfRangeError
from dti_scoring.domain.framework import Framework
from dti_scoring.domain.framework_reader import read_framework
from dti_scoring.domain.scoring import score_assessment


def small_framework() -> Framework:
    text = Path(__file__).with_name("small_framework.json").read_text(encoding="utf-8")
    return read_framework(json.loads(text, parse_float=Decimal))


HAND_SCORED = {
    "F1.YES": True,  # yes: all 10
    "F1.LVL": 2,  # level 2 of 0..3: 0.6 × 30 = 18
    "Z0.YES": True,  # worth nothing
    "A1.RATIO": Decimal("0.6"),  # 20 × min(0.6 ÷ 0.8, 1) = 15
    "A1.COUNT": 7,  # reaches the "at least 5" step: 12
    "A1.ROUND": Decimal("0.12325"),  # 15 × 0.12325 ÷ 0.75 = 2.465, half up to 2.47
}


def test_every_rule_kind_scores_as_computed_by_hand() -> None:
    score = score_assessment(HAND_SCORED, small_framework())
    points = {indicator.code: indicator.points for indicator in score.indicators}
    assert points == {
        "F1.YES": Decimal("10.00"),
        "F1.LVL": Decimal("18.00"),
        "Z0.YES": Decimal("0.00"),
        "A1.RATIO": Decimal("15.00"),
        "A1.COUNT": Decimal("12"),
        "A1.ROUND": Decimal("2.47"),
    }


def test_main_indices_groups_total_and_index_add_up_as_computed_by_hand() -> None:
    score = score_assessment(HAND_SCORED, small_framework())
    assert (score.main_index("F1").points, score.main_index("F1").normalised) == (Decimal(28), Decimal("0.7000"))
    assert (score.main_index("A1").points, score.main_index("A1").normalised) == (Decimal("29.47"), Decimal("0.4912"))
    assert [(group.code, group.points) for group in score.groups] == [
        ("foundation", 28),
        ("activity", Decimal("29.47")),
    ]
    assert (score.total, score.max_score, score.index) == (Decimal("57.47"), Decimal(100), Decimal("0.5747"))


def test_a_main_index_worth_nothing_is_reported_but_not_scored() -> None:
    unscored = score_assessment(HAND_SCORED, small_framework()).main_index("Z0")
    assert (unscored.scored, unscored.points, unscored.max_points, unscored.normalised) == (False, 0, 0, 0)


def test_each_indicator_is_explained_by_its_value_points_max_and_rule() -> None:
    explained = score_assessment(HAND_SCORED, small_framework()).indicator("A1.RATIO")
    assert (explained.value, explained.points, explained.max_points) == (Decimal("0.6"), 15, 20)
    assert explained.rule.describe() == "ratio_linear: max × min(ratio ÷ 0.8, 1)"


@pytest.mark.parametrize(
    ("code", "value", "points"),
    [
        ("F1.YES", False, Decimal(0)),
        ("F1.LVL", 0, Decimal(0)),
        ("F1.LVL", 1, Decimal("7.50")),
        ("F1.LVL", 3, Decimal(30)),
        ("A1.RATIO", Decimal("0.8"), Decimal(20)),
        ("A1.RATIO", Decimal(1), Decimal(20)),
        ("A1.RATIO", 0, Decimal(0)),
        ("A1.COUNT", 0, Decimal(0)),
        ("A1.COUNT", 1, Decimal(5)),
        ("A1.COUNT", 4, Decimal(5)),
        ("A1.COUNT", 10, Decimal(25)),
        ("A1.COUNT", 500, Decimal(25)),
    ],
)
def test_each_rule_kind_at_its_edges(code: str, value: object, points: Decimal) -> None:
    assert score_assessment({code: value}, small_framework()).indicator(code).points == points


def test_indicators_without_an_approved_value_score_nothing() -> None:
    score = score_assessment({"F1.YES": True}, small_framework())
    assert score.indicator("A1.COUNT").value is None
    assert (score.indicator("A1.COUNT").points, score.total, score.index) == (0, 10, Decimal("0.1000"))


def test_full_marks_reach_the_maximum_and_an_index_of_one() -> None:
    full = {"F1.YES": True, "F1.LVL": 3, "A1.RATIO": 1, "A1.COUNT": 10, "A1.ROUND": Decimal("0.75")}
    score = score_assessment(full, small_framework())
    assert (score.total, score.index) == (Decimal(100), Decimal(1))


def test_a_value_for_an_unknown_indicator_is_refused() -> None:
    with pytest.raises(UnknownIndicatorError):
        score_assessment({"NOPE": True}, small_framework())


def test_a_value_the_framework_cannot_score_is_refused_not_scored() -> None:
    with pytest.raises(ValueOutOfRangeError):
        score_assessment({"A1.RATIO": Decimal("1.5")}, small_framework())
