"""The Household aggregate's workflows: registration, annual surveys, corrections, information access, erasure."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from household_registry.domain.classification import Classification
from household_registry.domain.commands import (
    CorrectSurvey,
    ErasePersonalData,
    RecordInformationAccess,
    RecordSurvey,
    RegisterHousehold,
)
from household_registry.domain.errors import (
    HouseholdAlreadyRegisteredError,
    HouseholdNotRegisteredError,
    InvalidHouseholdError,
    InvalidInputError,
    NoStandardInForceError,
    NotACommuneError,
    NothingToCorrectError,
    SurveyAlreadyRecordedError,
    SurveyNotFoundError,
    UnknownIndicatorError,
    UnknownUnitError,
)
from household_registry.domain.events import (
    HouseholdEvent,
    HouseholdRegistered,
    InformationAccessRecorded,
    PersonalDataErased,
    StatusChanged,
    SurveyCorrected,
    SurveyRecorded,
)
from household_registry.domain.household import Household
from household_registry.domain.personal_data import HeadOfHousehold, NationalId, PhoneNumber
from household_registry.domain.poverty_standard import Area
from household_registry.domain.review import ReviewStatus
from household_registry.reference import load_administrative_units, load_poverty_standards

POOR, NEAR, NOT = Classification.POOR, Classification.NEAR_POOR, Classification.NOT_POOR
HOUSEHOLD_ID = uuid.UUID("5f0c1c3e-0000-4000-8000-000000000001")
SONG_CAU = "01837"
# Three deprivations, two of them informational: poor today, near-poor once a phone arrives.
INFORMATION_POOR = frozenset({"telecom_services", "information_access_means", "health_insurance"})
THREE_OTHERS = frozenset({"employment", "health_insurance", "hygienic_latrine"})
LOW, HIGH = 1_000_000, 1_800_000


def head() -> HeadOfHousehold:
    return HeadOfHousehold("Hoàng Văn Minh", NationalId("006085001234"), PhoneNumber.parse("0912 345 678"))


def registration(commune: str = SONG_CAU, members: int = 4) -> RegisterHousehold:
    return RegisterHousehold(HOUSEHOLD_ID, commune, Area.RURAL, ethnic_minority=True, members=members, head=head())


class Story:
    """A household's stream, grown one command at a time as the service layer would: decide, then append."""

    def __init__(self) -> None:
        self.events: list[HouseholdEvent] = Household.register(registration(), load_administrative_units())

    @property
    def household(self) -> Household:
        return Household.replay(self.events)

    def survey(self, year: int, income: int, deprivations: frozenset[str]) -> list[HouseholdEvent]:
        command = RecordSurvey(HOUSEHOLD_ID, year, income, deprivations)
        return self._append(self.household.record_survey(command, load_poverty_standards()))

    def correct(self, year: int, income: int, deprivations: frozenset[str], reason: str) -> list[HouseholdEvent]:
        command = CorrectSurvey(HOUSEHOLD_ID, year, income, deprivations, reason)
        return self._append(self.household.correct_survey(command, load_poverty_standards()))

    def phone(self, reference: str = "delivery-1") -> list[HouseholdEvent]:
        command = RecordInformationAccess(HOUSEHOLD_ID, "campaign phone delivery", reference, date(2023, 9, 1))
        return self._append(self.household.record_information_access(command))

    def erase(self) -> list[HouseholdEvent]:
        return self._append(self.household.erase_personal_data(ErasePersonalData(HOUSEHOLD_ID, "subject request")))

    def _append(self, new: list[HouseholdEvent]) -> list[HouseholdEvent]:
        self.events.extend(new)
        return new


def statuses(household: Household) -> list[tuple[int, ReviewStatus | None, ReviewStatus]]:
    return [(change.year, change.from_status, change.to_status) for change in household.status_history]


def test_registering_a_household_gives_one_event_and_replay_rebuilds_it() -> None:
    story = Story()
    assert [type(e) for e in story.events] == [HouseholdRegistered]
    household = story.household
    assert (household.commune_code, household.area, household.ethnic_minority) == (SONG_CAU, Area.RURAL, True)
    assert household.head == head()
    assert household.classification is None and household.projected_classification is None
    assert household.version == 1


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (registration(commune="058"), NotACommuneError),
        (registration(commune="99999"), UnknownUnitError),
        (registration(members=0), InvalidHouseholdError),
    ],
)
def test_registration_needs_a_commune_and_members(command: RegisterHousehold, error: type[Exception]) -> None:
    with pytest.raises(error):
        Household.register(command, load_administrative_units())


def test_a_first_survey_classifies_and_places_the_household() -> None:
    story = Story()
    new = story.survey(2022, LOW, THREE_OTHERS)
    assert [type(e) for e in new] == [SurveyRecorded, StatusChanged]
    recorded, changed = new
    assert isinstance(recorded, SurveyRecorded) and isinstance(changed, StatusChanged)
    assert (recorded.classification, recorded.standard_version) == (POOR, "2022-2025")
    assert (changed.year, changed.from_status, changed.to_status) == (2022, None, ReviewStatus.POOR)
    assert "at or below the rural line of 1,500,000 VND" in changed.reason
    assert story.household.classification is POOR


def test_escaping_then_re_entering_poverty_is_recorded_year_by_year() -> None:
    story = Story()
    story.survey(2022, LOW, THREE_OTHERS)
    story.survey(2023, LOW, frozenset({"employment"}))
    story.survey(2024, HIGH, THREE_OTHERS)
    story.survey(2025, LOW, THREE_OTHERS)
    assert statuses(story.household) == [
        (2022, None, ReviewStatus.POOR),
        (2023, ReviewStatus.POOR, ReviewStatus.ESCAPED_POVERTY),
        (2024, ReviewStatus.ESCAPED_POVERTY, ReviewStatus.ESCAPED_NEAR_POVERTY),
        (2025, ReviewStatus.ESCAPED_NEAR_POVERTY, ReviewStatus.RE_ENTERED_POVERTY),
    ]
    assert story.household.status is ReviewStatus.RE_ENTERED_POVERTY


def test_a_household_poor_for_the_first_time_is_newly_poor() -> None:
    story = Story()
    story.survey(2022, HIGH, frozenset())
    story.survey(2023, LOW, THREE_OTHERS)
    assert story.household.status is ReviewStatus.NEWLY_POOR


def test_a_near_poor_household_above_the_line_escaped_near_poverty() -> None:
    story = Story()
    story.survey(2022, LOW, frozenset({"employment"}))
    story.survey(2023, HIGH, frozenset({"employment"}))
    assert statuses(story.household)[-1] == (2023, ReviewStatus.NEAR_POOR, ReviewStatus.ESCAPED_NEAR_POVERTY)


def test_a_review_that_changes_nothing_records_no_status_change() -> None:
    story = Story()
    story.survey(2022, LOW, THREE_OTHERS)
    assert [type(e) for e in story.survey(2023, LOW, THREE_OTHERS)] == [SurveyRecorded]


def test_each_year_is_classified_by_its_own_standard() -> None:
    story = Story()
    story.survey(2026, 2_000_000, THREE_OTHERS)
    (recorded_2027, _) = story.survey(2027, 2_000_000, THREE_OTHERS)
    household = story.household
    assert household.surveys[2026].standard_version == "2022-2025"
    assert household.surveys[2026].classification is NOT
    assert isinstance(recorded_2027, SurveyRecorded) and recorded_2027.standard_version == "2027-2030"
    assert household.classification is POOR and household.status is ReviewStatus.NEWLY_POOR


@pytest.mark.parametrize(
    ("year", "deprivations", "error"),
    [
        (2021, THREE_OTHERS, NoStandardInForceError),
        (2022, frozenset({"no_such_indicator"}), UnknownIndicatorError),
    ],
)
def test_a_survey_the_standard_cannot_classify_is_refused(
    year: int, deprivations: frozenset[str], error: type[Exception]
) -> None:
    with pytest.raises(error):
        Story().survey(year, LOW, deprivations)


def test_a_year_has_one_survey_and_a_change_is_a_correction() -> None:
    story = Story()
    story.survey(2022, LOW, THREE_OTHERS)
    with pytest.raises(SurveyAlreadyRecordedError, match="correct it instead"):
        story.survey(2022, HIGH, THREE_OTHERS)


def test_correcting_a_survey_adds_an_event_and_keeps_the_original() -> None:
    story = Story()
    story.survey(2022, LOW, THREE_OTHERS)
    new = story.correct(2022, HIGH, THREE_OTHERS, "income was entered per household, not per person")
    assert [type(e) for e in new] == [SurveyCorrected, StatusChanged]
    corrected = new[0]
    assert isinstance(corrected, SurveyCorrected)
    assert (corrected.previous_classification, corrected.classification) == (POOR, NOT)
    assert sum(isinstance(e, SurveyRecorded) for e in story.events) == 1
    household = story.household
    assert household.classification is NOT and household.surveys[2022].corrected
    assert "corrected (income was entered per household" in household.status_history[-1].reason


def test_correcting_an_earlier_year_can_change_the_current_status() -> None:
    story = Story()
    story.survey(2022, LOW, THREE_OTHERS)
    story.survey(2023, HIGH, THREE_OTHERS)
    story.survey(2024, LOW, THREE_OTHERS)
    assert story.household.status is ReviewStatus.RE_ENTERED_POVERTY
    story.correct(2022, HIGH, THREE_OTHERS, "2022 income misread")
    last = story.household.status_history[-1]
    assert (last.year, last.from_status, last.to_status) == (
        2024,
        ReviewStatus.RE_ENTERED_POVERTY,
        ReviewStatus.NEWLY_POOR,
    )


@pytest.mark.parametrize(
    ("year", "income", "reason", "error"),
    [
        (2023, LOW, "no such survey", SurveyNotFoundError),
        (2022, LOW, "the same figures again", NothingToCorrectError),
        (2022, HIGH, "  ", InvalidInputError),
    ],
)
def test_a_correction_needs_a_survey_a_change_and_a_reason(
    year: int, income: int, reason: str, error: type[Exception]
) -> None:
    story = Story()
    story.survey(2022, LOW, THREE_OTHERS)
    with pytest.raises(error):
        story.correct(year, income, THREE_OTHERS, reason)


def test_information_access_changes_the_projected_classification_never_the_official_one() -> None:
    story = Story()
    story.survey(2023, LOW, INFORMATION_POOR)
    assert story.household.projected_classification is POOR
    new = story.phone()
    assert [type(e) for e in new] == [InformationAccessRecorded]
    household = story.household
    assert household.classification is POOR
    assert household.projected_classification is NEAR
    assert household.status is ReviewStatus.POOR


def test_the_next_survey_makes_the_projection_official_or_not() -> None:
    story = Story()
    story.survey(2023, LOW, INFORMATION_POOR)
    story.phone()
    story.survey(2024, LOW, frozenset({"health_insurance"}))
    household = story.household
    assert household.classification is NEAR and household.projected_classification is NEAR
    assert household.status is ReviewStatus.ESCAPED_POVERTY


def test_a_survey_recorded_after_the_phone_is_authoritative_for_the_projection() -> None:
    story = Story()
    story.phone()
    story.survey(2023, LOW, INFORMATION_POOR)
    assert story.household.projected_classification is POOR


def test_a_correction_of_the_reviewed_year_keeps_the_phone_in_the_projection() -> None:
    story = Story()
    story.survey(2023, LOW, INFORMATION_POOR)
    story.phone()
    missed = INFORMATION_POOR | {"employment", "hygienic_latrine"}
    story.correct(2023, LOW, missed, "two deprivations were missed")
    household = story.household
    assert household.classification is POOR and household.projected_classification is POOR
    story.correct(2023, LOW, INFORMATION_POOR, "the first survey was right after all")
    assert story.household.projected_classification is NEAR


def test_the_same_delivery_twice_is_recorded_once() -> None:
    story = Story()
    story.phone("delivery-7")
    assert story.phone("delivery-7") == []
    assert len(story.household.information_access) == 1


def test_classification_records_project_only_the_latest_year() -> None:
    story = Story()
    story.survey(2022, LOW, INFORMATION_POOR)
    story.survey(2023, LOW, INFORMATION_POOR)
    story.phone()
    records = story.household.classification_records()
    assert [(r.year, r.classification, r.projected_classification) for r in records] == [
        (2022, POOR, POOR),
        (2023, POOR, NEAR),
    ]
    assert all(r.commune_code == SONG_CAU and r.ethnic_minority for r in records)


def test_erasing_personal_data_removes_the_head_and_keeps_the_household() -> None:
    story = Story()
    story.survey(2022, LOW, THREE_OTHERS)
    assert [type(e) for e in story.erase()] == [PersonalDataErased]
    household = story.household
    assert household.head is None and household.personal_data_erased
    assert household.classification is POOR
    assert story.erase() == []


def test_a_stream_must_start_with_one_registration() -> None:
    with pytest.raises(HouseholdNotRegisteredError):
        Household.replay([])
    story = Story()
    with pytest.raises(HouseholdAlreadyRegisteredError):
        Household.replay([*story.events, *story.events])


def test_the_version_counts_every_event_in_the_stream() -> None:
    story = Story()
    story.survey(2022, LOW, THREE_OTHERS)
    story.phone()
    assert story.household.version == len(story.events) == 4


def test_a_command_for_another_household_is_refused() -> None:
    household = Story().household
    other = RecordSurvey(uuid.uuid4(), 2022, LOW, THREE_OTHERS)
    with pytest.raises(InvalidInputError, match="reached"):
        household.record_survey(other, load_poverty_standards())
