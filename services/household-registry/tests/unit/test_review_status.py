"""Review statuses (rà soát): how a year's classification reads against the years before it."""

from __future__ import annotations

import pytest

from household_registry.domain.classification import Classification
from household_registry.domain.review import ReviewStatus, review_status, review_statuses

POOR, NEAR, NOT = Classification.POOR, Classification.NEAR_POOR, Classification.NOT_POOR
S = ReviewStatus


@pytest.mark.parametrize(
    ("previous", "current", "was_poor_before", "expected"),
    [
        (None, POOR, False, S.POOR),
        (None, NEAR, False, S.NEAR_POOR),
        (None, NOT, False, S.NOT_POOR),
        (POOR, POOR, True, S.POOR),
        (POOR, NEAR, True, S.ESCAPED_POVERTY),
        (POOR, NOT, True, S.ESCAPED_POVERTY),
        (NEAR, NEAR, False, S.NEAR_POOR),
        (NEAR, NOT, False, S.ESCAPED_NEAR_POVERTY),
        (NEAR, POOR, False, S.NEWLY_POOR),
        (NOT, POOR, False, S.NEWLY_POOR),
        (NEAR, POOR, True, S.RE_ENTERED_POVERTY),
        (NOT, POOR, True, S.RE_ENTERED_POVERTY),
        (NOT, NEAR, False, S.NEAR_POOR),
        (NOT, NOT, True, S.NOT_POOR),
    ],
)
def test_a_review_status_follows_from_the_previous_and_current_classification(
    previous: Classification | None, current: Classification, was_poor_before: bool, expected: ReviewStatus
) -> None:
    assert review_status(previous, current, was_poor_before) is expected


def test_statuses_over_years_remember_poverty_to_tell_re_entry_from_new_poverty() -> None:
    history = {2022: POOR, 2023: NEAR, 2024: NOT, 2025: POOR, 2026: POOR}
    assert review_statuses(history) == {
        2022: S.POOR,
        2023: S.ESCAPED_POVERTY,
        2024: S.ESCAPED_NEAR_POVERTY,
        2025: S.RE_ENTERED_POVERTY,
        2026: S.POOR,
    }


def test_statuses_are_computed_in_year_order_whatever_the_order_given() -> None:
    assert review_statuses({2024: POOR, 2022: NOT, 2023: NEAR}) == {
        2022: S.NOT_POOR,
        2023: S.NEAR_POOR,
        2024: S.NEWLY_POOR,
    }
