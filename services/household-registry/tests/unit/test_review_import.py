"""The rules of an annual review import: a row seen again records nothing, a different one for a surveyed year
is refused, and an import counts every failed row while listing only the first few."""

from __future__ import annotations

import uuid

import pytest

from household_registry.domain.commands import RecordSurvey, RegisterHousehold
from household_registry.domain.errors import SurveyAlreadyRecordedError
from household_registry.domain.household import Household
from household_registry.domain.personal_data import HeadOfHousehold, NationalId
from household_registry.domain.poverty_standard import Area
from household_registry.domain.review_import import BatchOutcome, ImportProgress, RowFailure
from household_registry.reference import load_administrative_units, load_poverty_standards

HOUSEHOLD_ID = uuid.UUID("5f0c1c3e-0000-4000-8000-0000000000aa")
POOR = frozenset({"employment", "health_insurance", "hygienic_latrine"})


def surveyed_household() -> Household:
    head = HeadOfHousehold("Lý Thị Hoa", NationalId("006190000001"), None)
    registration = RegisterHousehold(HOUSEHOLD_ID, "01837", Area.RURAL, True, 4, head)
    household = Household.replay(Household.register(registration, load_administrative_units()))
    for event in household.record_survey(RecordSurvey(HOUSEHOLD_ID, 2023, 1_000_000, POOR), load_poverty_standards()):
        household.apply(event)
    return household


def test_a_survey_identical_to_the_years_recorded_one_records_nothing() -> None:
    again = RecordSurvey(HOUSEHOLD_ID, 2023, 1_000_000, POOR)
    assert surveyed_household().record_survey_once(again, load_poverty_standards()) == []


def test_a_different_survey_of_a_surveyed_year_is_refused_as_a_second_survey() -> None:
    different = RecordSurvey(HOUSEHOLD_ID, 2023, 1_000_000, frozenset({"employment"}))
    with pytest.raises(SurveyAlreadyRecordedError, match="correct it instead"):
        surveyed_household().record_survey_once(different, load_poverty_standards())


def test_a_survey_of_a_new_year_is_recorded_once() -> None:
    next_year = RecordSurvey(HOUSEHOLD_ID, 2024, 3_000_000, frozenset())
    events = surveyed_household().record_survey_once(next_year, load_poverty_standards())
    assert events and events[0].survey.year == 2024  # type: ignore[union-attr]


def test_progress_counts_every_failed_row_and_lists_only_the_first_ones() -> None:
    first = BatchOutcome(rows=5, recorded=2, unchanged=1, failures=(RowFailure(2, "a"), RowFailure(4, "b")))
    second = BatchOutcome(rows=3, recorded=1, unchanged=0, failures=(RowFailure(7, "c"), RowFailure(9, "d")))
    progress = ImportProgress().after(first, listed=3).after(second, listed=3)
    assert (progress.rows_done, progress.rows_recorded, progress.rows_unchanged, progress.rows_failed) == (8, 3, 1, 4)
    assert [failure.row for failure in progress.failures] == [2, 4, 7]
