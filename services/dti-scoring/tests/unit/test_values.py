from decimal import Decimal

import pytest

from dti_scoring.domain.errors import (
    InvalidValueError,
    UnknownLevelError,
    ValueOutOfRangeError,
    WrongValueTypeError,
)
from dti_scoring.domain.values import check_count, check_level, check_ratio, check_yes_no


@pytest.mark.parametrize(
    ("check", "value", "error"),
    [
        (check_ratio, Decimal("1.01"), ValueOutOfRangeError),
        (check_ratio, -0.1, ValueOutOfRangeError),
        (check_ratio, float("nan"), ValueOutOfRangeError),
        (check_ratio, "0.5", WrongValueTypeError),
        (check_ratio, True, WrongValueTypeError),
        (check_ratio, None, WrongValueTypeError),
        (check_count, -1, ValueOutOfRangeError),
        (check_count, 2.5, WrongValueTypeError),
        (check_count, True, WrongValueTypeError),
        (check_count, "3", WrongValueTypeError),
        (check_yes_no, 1, WrongValueTypeError),
        (check_yes_no, "yes", WrongValueTypeError),
    ],
)
def test_a_value_of_the_wrong_type_or_out_of_range_is_refused(
    check: object, value: object, error: type[InvalidValueError]
) -> None:
    with pytest.raises(error):
        check("X.01", value)  # type: ignore[operator]


@pytest.mark.parametrize(
    ("value", "error"), [(4, UnknownLevelError), (-1, UnknownLevelError), ("2", WrongValueTypeError)]
)
def test_a_level_outside_the_indicators_levels_is_refused(value: object, error: type[InvalidValueError]) -> None:
    with pytest.raises(error):
        check_level("X.01", value, top_level=3)


def test_good_values_come_back_as_their_type() -> None:
    assert check_ratio("X.01", 0.1) == Decimal("0.1")
    assert check_ratio("X.01", 1) == Decimal(1)
    assert check_count("X.01", 0) == 0
    assert check_yes_no("X.01", False) is False
    assert check_level("X.01", 3, top_level=3) == 3
