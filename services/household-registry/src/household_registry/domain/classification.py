"""The classification rule: poor (hộ nghèo), near-poor (hộ cận nghèo) or not poor, as a pure function.

Both conditions, not either: a household is poor when its income is at or below the line of its area *and*
it lacks at least the standard's minimum number of basic social services (3 under Decree 07/2021/NĐ-CP);
at or below the line with fewer deprivations it is near-poor; above the line it is not poor, however many
deprivations it has.
"""

from __future__ import annotations

from enum import StrEnum

from household_registry.domain.poverty_standard import PovertyStandard
from household_registry.domain.survey import Survey


class Classification(StrEnum):
    """The official result of a survey under a standard."""

    POOR = "poor"
    NEAR_POOR = "near_poor"
    NOT_POOR = "not_poor"


def classify_household(survey: Survey, standard: PovertyStandard) -> Classification:
    """Classify a survey by the standard in force for its year (refuses any other standard)."""
    standard.check_in_force(survey.year)
    standard.check_indicators(survey.deprivations)
    if survey.income_per_capita_vnd > standard.poverty_lines.for_area(survey.area):
        return Classification.NOT_POOR
    if len(survey.deprivations) >= standard.poor_min_deprivations:
        return Classification.POOR
    return Classification.NEAR_POOR


def project_classification(survey: Survey, standard: PovertyStandard) -> Classification:
    """What the next review would give once the household has information access (a smartphone).

    Information access clears the information indicators the standard names (use of telecom services,
    means of accessing information), so a household with 3 or 4 deprivations may become near-poor with no
    change in income. This is a projection only: the official classification changes at a survey.
    """
    return classify_household(survey.without(standard.information_access_clears), standard)


def explain_classification(survey: Survey, standard: PovertyStandard) -> str:
    """One sentence an officer can read: the income against the line and the deprivations counted."""
    line = standard.poverty_lines.for_area(survey.area)
    classification = classify_household(survey, standard)
    where = f"the {survey.area.value} line of {line:,} VND (standard {standard.version})"
    if classification is Classification.NOT_POOR:
        return f"income {survey.income_per_capita_vnd:,} VND per person per month is above {where}"
    count, needed = len(survey.deprivations), standard.poor_min_deprivations
    comparison = "at least" if count >= needed else "fewer than"
    return (
        f"income {survey.income_per_capita_vnd:,} VND per person per month is at or below {where} "
        f"with {count} deprivations, {comparison} {needed}: {classification.value}"
    )
