"""Indicator values: the four value types and the checks a submitted value must pass."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from dti_scoring.domain.errors import UnknownLevelError, ValueOutOfRangeError, WrongValueTypeError

IndicatorValue = bool | int | Decimal
"""A checked value: `bool` for yes/no, `int` for a count or a level, `Decimal` for a ratio."""


class ValueType(StrEnum):
    """What kind of answer an indicator expects."""

    COUNT = "count"
    RATIO = "ratio"
    YES_NO = "yes_no"
    LEVEL = "level"


def check_yes_no(code: str, value: object) -> bool:
    """A yes/no answer (có/không) must be a boolean."""
    if not isinstance(value, bool):
        raise WrongValueTypeError(f"indicator {code} expects yes or no (true/false), not {value!r}")
    return value


def check_count(code: str, value: object) -> int:
    """A count is a whole number of zero or more."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise WrongValueTypeError(f"indicator {code} expects a whole number, not {value!r}")
    if value < 0:
        raise ValueOutOfRangeError(f"indicator {code} counts something: {value} is negative")
    return value


def check_ratio(code: str, value: object) -> Decimal:
    """A ratio (tỷ lệ) is a number from 0 to 1; floats are read by their shortest decimal form."""
    ratio = _decimal(code, value)
    if not ratio.is_finite() or not Decimal(0) <= ratio <= Decimal(1):
        raise ValueOutOfRangeError(f"indicator {code} is a ratio from 0 to 1, not {value!r}")
    return ratio


def check_level(code: str, value: object, top_level: int) -> int:
    """A level is one of the whole numbers 0..top_level."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise WrongValueTypeError(f"indicator {code} expects a level 0..{top_level}, not {value!r}")
    if not 0 <= value <= top_level:
        raise UnknownLevelError(f"indicator {code} has levels 0..{top_level}, not {value}")
    return value


def _decimal(code: str, value: object) -> Decimal:
    # bool is an int in Python, but "true" is no ratio
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise WrongValueTypeError(f"indicator {code} expects a ratio from 0 to 1, not {value!r}")
    # str() first, so that 0.1 means 0.1 and not 0.1000000000000000055511151231257827
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
