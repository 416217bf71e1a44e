"""Reading a framework from its JSON form, refusing one whose parts do not add up.

The checks catch a mistyped file before any assessment uses it: every code is unique, indicators add up to
their main index, main indices to their group, groups to the framework, and each rule fits its value type
and can earn its indicator's maximum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from dti_scoring.domain.errors import FrameworkError
from dti_scoring.domain.framework import Framework, Group, Indicator, LegalSource, Level, MainIndex
from dti_scoring.domain.rules import CountThresholdRule, LevelRule, RatioLinearRule, Rule, Step, YesNoRule
from dti_scoring.domain.values import ValueType

Data = Mapping[str, Any]


def read_framework(data: Data) -> Framework:
    """A checked `Framework` from its JSON form (numbers as `int` or `Decimal`), or `FrameworkError`."""
    version = str(data.get("version", "(no version)"))
    try:
        framework = _framework(version, data)
    except (KeyError, TypeError, ValueError) as error:
        raise FrameworkError(f"framework {version}: malformed ({error!r})") from error
    check_framework(framework)
    return framework


def check_framework(framework: Framework) -> None:
    """Refuse a framework whose codes repeat or whose points do not add up."""
    _check_unique(framework.version, [group.code for group in framework.groups])
    _check_unique(framework.version, [main.code for main in framework.main_indices])
    _check_unique(framework.version, [indicator.code for indicator in framework.indicators])
    for main in framework.main_indices:
        _check_main_index(framework, main)
    for group in framework.groups:
        members = [main.max_points for main in framework.main_indices if main.group == group.code]
        _check_sum(framework.version, f"group {group.code}", group.max_points, members)
    _check_sum(framework.version, "the framework", framework.max_points, [g.max_points for g in framework.groups])


def _framework(version: str, data: Data) -> Framework:
    in_force = data["in_force"]
    return Framework(
        version=_text(data, "version"),
        level=Level(data["level"]),
        first_year=int(in_force["first_year"]),
        last_year=None if in_force["last_year"] is None else int(in_force["last_year"]),
        source=_source(data["source"]),
        max_points=_points(data["max_points"]),
        groups=tuple(_group(group) for group in data["groups"]),
        main_indices=tuple(_main_index(main) for main in data["main_indices"]),
        notes=tuple(str(note) for note in data.get("notes", ())),
    )


def _source(data: Data) -> LegalSource:
    return LegalSource(
        document=_text(data, "document"),
        issued_by=_text(data, "issued_by"),
        issued_on=date.fromisoformat(_text(data, "issued_on")),
        about=_text(data, "about"),
    )


def _group(data: Data) -> Group:
    return Group(_text(data, "code"), _text(data, "name_vi"), _text(data, "name_en"), _points(data["max_points"]))


def _main_index(data: Data) -> MainIndex:
    code = _text(data, "code")
    return MainIndex(
        code=code,
        group=_text(data, "group"),
        name_vi=_text(data, "name_vi"),
        name_en=_text(data, "name_en"),
        max_points=_points(data["max_points"]),
        indicators=tuple(_indicator(code, indicator) for indicator in data["indicators"]),
    )


def _indicator(main_index: str, data: Data) -> Indicator:
    return Indicator(
        code=_text(data, "code"),
        main_index=main_index,
        name_vi=_text(data, "name_vi"),
        name_en=_text(data, "name_en"),
        value_type=ValueType(data["value_type"]),
        max_points=_points(data["max_points"]),
        rule=read_rule(data["rule"]),
        points_to_confirm=bool(data.get("points_to_confirm", False)),
    )


def read_rule(data: Data) -> Rule:
    """A rule from its JSON form: `{"kind": "ratio_linear", "target": 0.8}` and so on."""
    match data["kind"]:
        case "yes_no":
            return YesNoRule()
        case "ratio_linear":
            return RatioLinearRule(target=_points(data["target"]))
        case "count_threshold":
            return CountThresholdRule(tuple(Step(int(s["at_least"]), _points(s["points"])) for s in data["steps"]))
        case "level":
            return LevelRule(tuple(_points(fraction) for fraction in data["fractions"]))
        case kind:
            raise ValueError(f"unknown rule kind {kind!r}")


def _check_main_index(framework: Framework, main: MainIndex) -> None:
    if main.group not in {group.code for group in framework.groups}:
        raise FrameworkError(f"framework {framework.version}: main index {main.code} has unknown group {main.group}")
    _check_sum(framework.version, f"main index {main.code}", main.max_points, [i.max_points for i in main.indicators])
    for indicator in main.indicators:
        _check_rule(framework.version, indicator)


def _check_rule(version: str, indicator: Indicator) -> None:
    problem = _rule_problem(indicator)
    if problem:
        raise FrameworkError(f"framework {version}: indicator {indicator.code}: {problem}")


def _rule_problem(indicator: Indicator) -> str | None:
    rule = indicator.rule
    if rule.value_type != indicator.value_type:
        return f"a {rule.kind} rule cannot score a {indicator.value_type} value"
    if isinstance(rule, RatioLinearRule) and not Decimal(0) < rule.target <= Decimal(1):
        return f"ratio target {rule.target} is not in (0, 1]"
    if isinstance(rule, CountThresholdRule):
        return _steps_problem(rule.steps, indicator.max_points)
    if isinstance(rule, LevelRule):
        return _fractions_problem(rule.fractions)
    return None


def _steps_problem(steps: Sequence[Step], max_points: Decimal) -> str | None:
    # the top step must earn the maximum, or the indicator could never reach it
    thresholds = [step.at_least for step in steps]
    points = [step.points for step in steps]
    if not steps or thresholds[0] < 0 or not _strictly_rising(thresholds):
        return "count steps must start at zero or more and rise strictly"
    if not _rising(points) or points[0] < 0 or points[-1] != max_points:
        return "step points must rise to the indicator's maximum"
    return None


def _fractions_problem(fractions: Sequence[Decimal]) -> str | None:
    if len(fractions) < 2 or fractions[0] < 0 or fractions[-1] != 1 or not _rising(fractions):
        return "level fractions must rise from 0 or more to 1 over at least two levels"
    return None


def _check_unique(version: str, codes: Iterable[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise FrameworkError(f"framework {version}: code {code} is used twice")
        seen.add(code)


def _check_sum(version: str, what: str, expected: Decimal, parts: Iterable[Decimal]) -> None:
    total = sum(parts, Decimal(0))
    if total != expected:
        raise FrameworkError(f"framework {version}: the parts of {what} add up to {total}, not {expected}")


def _rising(values: Sequence[Decimal]) -> bool:
    return all(a <= b for a, b in pairwise(values))


def _strictly_rising(values: Sequence[int]) -> bool:
    return all(a < b for a, b in pairwise(values))


def _text(data: Data, key: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise FrameworkError(f"{key} must be non-empty text, not {value!r}")
    return value


def _points(value: object) -> Decimal:
    # JSON is read with parse_float=Decimal, so a float here means the file was read carelessly
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise FrameworkError(f"points and fractions must be exact numbers, not {value!r}")
    return Decimal(value)
