"""A frozen score as JSON-safe data and back: the part of `AssessmentFinalised` that is more than text.

Decimals travel as strings, so 569.80 comes back as exactly 569.80. Each indicator keeps its rule, so a stored
score explains itself without the framework file.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dti_scoring.domain.rules import CountThresholdRule, LevelRule, RatioLinearRule, Rule, Step, YesNoRule
from dti_scoring.domain.scoring import AssessmentScore, GroupScore, IndicatorScore, MainIndexScore
from dti_scoring.domain.values import IndicatorValue

Data = dict[str, Any]


def encode_value(value: IndicatorValue | None) -> bool | int | str | None:
    """A checked value as JSON: yes/no and counts as themselves, a ratio as a decimal string."""
    return str(value) if isinstance(value, Decimal) else value


def decode_value(data: object) -> IndicatorValue | None:
    """The inverse of `encode_value`: a string can only have been a ratio."""
    if data is None or isinstance(data, bool | int):
        return data
    return Decimal(str(data))


def encode_rule(rule: Rule) -> Data:
    """A rule in the framework files' own form, with decimals as strings."""
    match rule:
        case YesNoRule():
            return {"kind": rule.kind}
        case RatioLinearRule():
            return {"kind": rule.kind, "target": str(rule.target)}
        case CountThresholdRule():
            steps = [{"at_least": step.at_least, "points": str(step.points)} for step in rule.steps]
            return {"kind": rule.kind, "steps": steps}
        case LevelRule():
            return {"kind": rule.kind, "fractions": [str(fraction) for fraction in rule.fractions]}


def decode_rule(data: Data) -> Rule:
    """The inverse of `encode_rule`."""
    match data["kind"]:
        case "yes_no":
            return YesNoRule()
        case "ratio_linear":
            return RatioLinearRule(Decimal(data["target"]))
        case "count_threshold":
            return CountThresholdRule(tuple(Step(int(s["at_least"]), Decimal(s["points"])) for s in data["steps"]))
        case "level":
            return LevelRule(tuple(Decimal(fraction) for fraction in data["fractions"]))
        case kind:
            raise ValueError(f"a stored score has an unknown rule kind {kind!r}")


def encode_score(score: AssessmentScore) -> Data:
    """The whole score, per indicator, main index and group, as JSON-safe data."""
    return {
        "framework_version": score.framework_version,
        "indicators": [_encode_indicator(indicator) for indicator in score.indicators],
        "main_indices": [_encode_main_index(main) for main in score.main_indices],
        "groups": [{"code": g.code, "points": str(g.points), "max_points": str(g.max_points)} for g in score.groups],
        "total": str(score.total),
        "max_score": str(score.max_score),
        "index": str(score.index),
    }


def decode_score(data: Data) -> AssessmentScore:
    """The inverse of `encode_score`."""
    return AssessmentScore(
        framework_version=data["framework_version"],
        indicators=tuple(_decode_indicator(indicator) for indicator in data["indicators"]),
        main_indices=tuple(_decode_main_index(main) for main in data["main_indices"]),
        groups=tuple(GroupScore(g["code"], Decimal(g["points"]), Decimal(g["max_points"])) for g in data["groups"]),
        total=Decimal(data["total"]),
        max_score=Decimal(data["max_score"]),
        index=Decimal(data["index"]),
    )


def _encode_indicator(indicator: IndicatorScore) -> Data:
    return {
        "code": indicator.code,
        "main_index": indicator.main_index,
        "value": encode_value(indicator.value),
        "points": str(indicator.points),
        "max_points": str(indicator.max_points),
        "rule": encode_rule(indicator.rule),
    }


def _decode_indicator(data: Data) -> IndicatorScore:
    return IndicatorScore(
        code=data["code"],
        main_index=data["main_index"],
        value=decode_value(data["value"]),
        points=Decimal(data["points"]),
        max_points=Decimal(data["max_points"]),
        rule=decode_rule(data["rule"]),
    )


def _encode_main_index(main: MainIndexScore) -> Data:
    return {
        "code": main.code,
        "group": main.group,
        "points": str(main.points),
        "max_points": str(main.max_points),
        "normalised": str(main.normalised),
        "scored": main.scored,
    }


def _decode_main_index(data: Data) -> MainIndexScore:
    return MainIndexScore(
        code=data["code"],
        group=data["group"],
        points=Decimal(data["points"]),
        max_points=Decimal(data["max_points"]),
        normalised=Decimal(data["normalised"]),
        scored=bool(data["scored"]),
    )
