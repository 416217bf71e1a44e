"""A framework version as the REST contract shows it (`GET /v1/dti/frameworks/...`)."""

from __future__ import annotations

from backan_shared.api.dti_frameworks import (
    FrameworkPublic,
    GroupPublic,
    IndicatorPublic,
    LegalSourcePublic,
    MainIndexPublic,
    RulePublic,
    StepPublic,
)
from dti_scoring.domain.framework import Framework, Indicator
from dti_scoring.domain.rules import CountThresholdRule, LevelRule, RatioLinearRule, Rule


def rule_public(rule: Rule) -> RulePublic:
    """A rule's kind, parameters and description."""
    public = RulePublic(kind=rule.kind, description=rule.describe())
    match rule:
        case RatioLinearRule():
            return public.model_copy(update={"target": rule.target})
        case CountThresholdRule():
            steps = [StepPublic(at_least=step.at_least, points=step.points) for step in rule.steps]
            return public.model_copy(update={"steps": steps})
        case LevelRule():
            return public.model_copy(update={"fractions": list(rule.fractions)})
        case _:
            return public


def indicator_public(indicator: Indicator) -> IndicatorPublic:
    """An indicator with its official name, English name and rule."""
    return IndicatorPublic(
        code=indicator.code,
        name=indicator.name_vi,
        name_en=indicator.name_en,
        main_index=indicator.main_index,
        value_type=indicator.value_type.value,
        max_points=indicator.max_points,
        rule=rule_public(indicator.rule),
        points_to_confirm=indicator.points_to_confirm,
    )


def framework_public(framework: Framework) -> FrameworkPublic:
    """The whole framework: its source, groups, main indices and indicators."""
    source = framework.source
    return FrameworkPublic(
        version=framework.version,
        level=framework.level.value,
        first_year=framework.first_year,
        last_year=framework.last_year,
        source=LegalSourcePublic(
            document=source.document,
            issued_by=source.issued_by,
            issued_on=source.issued_on.isoformat(),
            about=source.about,
        ),
        max_points=framework.max_points,
        groups=[
            GroupPublic(code=g.code, name=g.name_vi, name_en=g.name_en, max_points=g.max_points)
            for g in framework.groups
        ],
        main_indices=[
            MainIndexPublic(code=m.code, group=m.group, name=m.name_vi, name_en=m.name_en, max_points=m.max_points)
            for m in framework.main_indices
        ],
        indicators=[indicator_public(indicator) for indicator in framework.indicators],
        notes=list(framework.notes),
    )
