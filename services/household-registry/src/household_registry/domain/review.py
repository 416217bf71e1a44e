"""Review statuses (rà soát hộ nghèo): what each year's classification means against the years before.

Decision 24/2021/QĐ-TTg reviews every household once a year. The review reports not only who is poor but how
households moved: a poor household that is poor no longer escaped poverty (thoát nghèo), a household poor for
the first time is newly poor (hộ nghèo phát sinh), and one that had escaped and is poor again re-entered
poverty (tái nghèo). The status of a year is a pure function of the classifications up to that year.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from household_registry.domain.classification import Classification


class ReviewStatus(StrEnum):
    """A household's status after a review. `not_poor` covers households that are neither poor nor near-poor
    and did not just leave either group."""

    POOR = "poor"
    NEAR_POOR = "near_poor"
    ESCAPED_POVERTY = "escaped_poverty"
    ESCAPED_NEAR_POVERTY = "escaped_near_poverty"
    NEWLY_POOR = "newly_poor"
    RE_ENTERED_POVERTY = "re_entered_poverty"
    NOT_POOR = "not_poor"


def review_status(previous: Classification | None, current: Classification, was_poor_before: bool) -> ReviewStatus:
    """The status a review gives, from the previous review's classification and this one's.

    The first review of a household (no previous) only places it: poor, near-poor or not poor.
    """
    if current is Classification.POOR:
        return _status_when_poor(previous, was_poor_before)
    if previous is Classification.POOR:
        return ReviewStatus.ESCAPED_POVERTY
    if current is Classification.NEAR_POOR:
        return ReviewStatus.NEAR_POOR
    if previous is Classification.NEAR_POOR:
        return ReviewStatus.ESCAPED_NEAR_POVERTY
    return ReviewStatus.NOT_POOR


def review_statuses(classifications: Mapping[int, Classification]) -> dict[int, ReviewStatus]:
    """The status of every reviewed year, in year order (a gap between reviews is no review)."""
    statuses: dict[int, ReviewStatus] = {}
    previous: Classification | None = None
    was_poor = False
    for year in sorted(classifications):
        current = classifications[year]
        statuses[year] = review_status(previous, current, was_poor)
        previous, was_poor = current, was_poor or current is Classification.POOR
    return statuses


def _status_when_poor(previous: Classification | None, was_poor_before: bool) -> ReviewStatus:
    if previous is None or previous is Classification.POOR:
        return ReviewStatus.POOR
    return ReviewStatus.RE_ENTERED_POVERTY if was_poor_before else ReviewStatus.NEWLY_POOR
