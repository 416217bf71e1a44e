"""The `Household` aggregate (hộ gia đình), event-sourced.

State is rebuilt by replaying the household's events (`Household.replay`). A command method checks the
invariants against that state and returns the new events without applying them: the service layer appends
them at the version it loaded (optimistic concurrency) and only then do they become the household's history.

Two classifications are kept apart on purpose. The official `classification` changes only when a survey is
recorded or corrected, as the review process (rà soát) requires. The `projected_classification` is what the
next review would give: once the household gains information access (a phone the campaign delivered) after
its latest survey, the information deprivations are cleared for the projection only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from household_registry.domain.classification import (
    Classification,
    classify_household,
    explain_classification,
    project_classification,
)
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
    NothingToCorrectError,
    SurveyAlreadyRecordedError,
    SurveyNotFoundError,
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
from household_registry.domain.personal_data import HeadOfHousehold
from household_registry.domain.poverty_standard import PovertyStandards
from household_registry.domain.review import ReviewStatus, review_statuses
from household_registry.domain.statistics import ClassificationRecord
from household_registry.domain.survey import Survey
from household_registry.domain.units import AdministrativeUnits


@dataclass(frozen=True)
class ClassifiedSurvey:
    """A year's survey as it stands after any corrections, with its classifications.

    `recorded_at_version` is the household version of the year's first survey: a correction fixes what that
    review saw, so information access recorded after the review still counts as news.
    """

    survey: Survey
    standard_version: str
    classification: Classification
    projected_classification: Classification
    recorded_at_version: int
    corrected: bool = False


@dataclass(frozen=True)
class InformationAccess:
    """A recorded means of accessing information, e.g. a campaign phone delivery."""

    source: str
    reference: str
    recorded_on: date
    recorded_at_version: int


class Household:
    """A registered household: where it lives, its surveys by year, its status and information access."""

    def __init__(self, registered: HouseholdRegistered) -> None:
        self.household_id: uuid.UUID = registered.household_id
        self.commune_code = registered.commune_code
        self.area = registered.area
        self.ethnic_minority = registered.ethnic_minority
        self.members = registered.members
        self.head: HeadOfHousehold | None = registered.head
        self.personal_data_erased = False
        self.surveys: dict[int, ClassifiedSurvey] = {}
        self.status: ReviewStatus | None = None
        self.status_history: list[StatusChanged] = []
        self.information_access: list[InformationAccess] = []
        self.version = 1

    @classmethod
    def replay(cls, events: Iterable[HouseholdEvent]) -> Household:
        """Rebuild a household from its stream; the stream must start with its registration."""
        stream = iter(events)
        first = next(stream, None)
        if not isinstance(first, HouseholdRegistered):
            raise HouseholdNotRegisteredError("a household's history starts with its registration")
        household = cls(first)
        for event in stream:
            household.apply(event)
        return household

    def apply(self, event: HouseholdEvent) -> None:
        """Apply one event that happened to this household, advancing its version."""
        self.version += 1
        match event:
            case SurveyRecorded() | SurveyCorrected():
                self._apply_survey(event)
            case StatusChanged():
                self.status = event.to_status
                self.status_history.append(event)
            case InformationAccessRecorded():
                access = InformationAccess(event.source, event.reference, event.recorded_on, self.version)
                self.information_access.append(access)
            case PersonalDataErased():
                self.head, self.personal_data_erased = None, True
            case HouseholdRegistered():
                raise HouseholdAlreadyRegisteredError(f"household {self.household_id} is registered already")

    @property
    def latest_survey(self) -> ClassifiedSurvey | None:
        """The survey of the latest reviewed year, if any."""
        return self.surveys[max(self.surveys)] if self.surveys else None

    @property
    def classification(self) -> Classification | None:
        """The official classification: the latest review's (None before any survey)."""
        latest = self.latest_survey
        return latest.classification if latest else None

    @property
    def projected_classification(self) -> Classification | None:
        """What the next review would give, counting information access gained since the latest survey."""
        latest = self.latest_survey
        if latest is None:
            return None
        return latest.projected_classification if self._access_since(latest) else latest.classification

    def classification_records(self) -> list[ClassificationRecord]:
        """One record per reviewed year for the statistics; only the latest year can differ when projected."""
        latest_year = max(self.surveys, default=None)
        return [self._record(year, found, year == latest_year) for year, found in sorted(self.surveys.items())]

    @staticmethod
    def register(command: RegisterHousehold, units: AdministrativeUnits) -> list[HouseholdEvent]:
        """Register a household in a commune of the unit list, with at least one member."""
        units.check_commune(command.commune_code)
        check_members(command.members)
        return [
            HouseholdRegistered(
                household_id=command.household_id,
                commune_code=command.commune_code,
                area=command.area,
                ethnic_minority=command.ethnic_minority,
                members=command.members,
                head=command.head,
            )
        ]

    def record_survey(self, command: RecordSurvey, standards: PovertyStandards) -> list[HouseholdEvent]:
        """Record a year's survey, classified by that year's standard, and the status change it causes."""
        self.check_addressed(command.household_id)
        self.check_not_surveyed(command.year)
        standard = standards.in_force(command.year)
        survey = Survey(command.year, self.area, command.income_per_capita_vnd, command.deprivations)
        recorded = SurveyRecorded(
            household_id=self.household_id,
            survey=survey,
            standard_version=standard.version,
            classification=classify_household(survey, standard),
            projected_classification=project_classification(survey, standard),
        )
        reason = f"review {survey.year}: {explain_classification(survey, standard)}"
        return [recorded, *self._status_change(survey.year, recorded.classification, reason)]

    def record_survey_once(self, command: RecordSurvey, standards: PovertyStandards) -> list[HouseholdEvent]:
        """Record a year's survey unless this very survey is the year's already (an import row seen again);
        a different one for a surveyed year is refused, as `record_survey` refuses it."""
        found = self.surveys.get(command.year)
        if found is not None and found.survey.same_findings(command.income_per_capita_vnd, command.deprivations):
            return []
        return self.record_survey(command, standards)

    def correct_survey(self, command: CorrectSurvey, standards: PovertyStandards) -> list[HouseholdEvent]:
        """Replace a mistaken survey of a year by a corrected one (a new event; the old one stays)."""
        self.check_addressed(command.household_id)
        current = self.check_surveyed(command.year)
        check_reason(command.reason, "a correction")
        standard = standards.in_force(command.year)
        survey = Survey(command.year, current.survey.area, command.income_per_capita_vnd, command.deprivations)
        if survey == current.survey:
            raise NothingToCorrectError(f"the survey of {command.year} already says exactly this")
        corrected = SurveyCorrected(
            household_id=self.household_id,
            survey=survey,
            standard_version=standard.version,
            classification=classify_household(survey, standard),
            projected_classification=project_classification(survey, standard),
            previous_classification=current.classification,
            reason=command.reason,
        )
        reason = f"survey of {survey.year} corrected ({command.reason}): {explain_classification(survey, standard)}"
        return [corrected, *self._status_change(survey.year, corrected.classification, reason)]

    def record_information_access(self, command: RecordInformationAccess) -> list[HouseholdEvent]:
        """Record a means of accessing information; the same delivery reference twice is recorded once."""
        self.check_addressed(command.household_id)
        check_reason(command.reference, "information access")
        if any(access.reference == command.reference for access in self.information_access):
            return []
        return [InformationAccessRecorded(self.household_id, command.source, command.reference, command.recorded_on)]

    def erase_personal_data(self, command: ErasePersonalData) -> list[HouseholdEvent]:
        """Erase the head's personal data for good; erasing again changes nothing (a retried request)."""
        self.check_addressed(command.household_id)
        check_reason(command.reason, "an erasure")
        if self.personal_data_erased:
            return []
        return [PersonalDataErased(self.household_id, command.reason)]

    def check_addressed(self, household_id: uuid.UUID) -> None:
        """A command must name this household."""
        if household_id != self.household_id:
            raise InvalidInputError(f"a command for household {household_id} reached {self.household_id}")

    def check_not_surveyed(self, year: int) -> None:
        """One survey per year: a change to it is a correction."""
        if year in self.surveys:
            raise SurveyAlreadyRecordedError(f"{year} has a survey already; correct it instead")

    def check_surveyed(self, year: int) -> ClassifiedSurvey:
        """The survey of `year`, which a correction needs."""
        try:
            return self.surveys[year]
        except KeyError:
            raise SurveyNotFoundError(f"household {self.household_id} has no survey for {year}") from None

    def _apply_survey(self, event: SurveyRecorded | SurveyCorrected) -> None:
        year = event.survey.year
        earlier = self.surveys.get(year)
        corrected = isinstance(event, SurveyCorrected)
        at_version = earlier.recorded_at_version if earlier and corrected else self.version
        self.surveys[year] = ClassifiedSurvey(
            event.survey,
            event.standard_version,
            event.classification,
            event.projected_classification,
            at_version,
            corrected,
        )

    def _access_since(self, survey: ClassifiedSurvey) -> bool:
        return any(access.recorded_at_version > survey.recorded_at_version for access in self.information_access)

    def _status_change(self, year: int, classification: Classification, reason: str) -> list[HouseholdEvent]:
        # The status is that of the latest reviewed year; a survey of an earlier year can still change it
        # (a corrected 2022 can turn 2024's "re-entered poverty" into "newly poor").
        classifications = {y: found.classification for y, found in self.surveys.items()} | {year: classification}
        statuses = review_statuses(classifications)
        latest = max(statuses)
        if statuses[latest] is self.status:
            return []
        return [
            StatusChanged(self.household_id, latest, self.status, statuses[latest], classifications[latest], reason)
        ]

    def _record(self, year: int, found: ClassifiedSurvey, latest: bool) -> ClassificationRecord:
        projected = found.projected_classification if latest and self._access_since(found) else found.classification
        return ClassificationRecord(
            self.household_id, self.commune_code, year, self.ethnic_minority, found.classification, projected
        )


def check_members(members: int) -> None:
    """A household has at least one member (nhân khẩu)."""
    if isinstance(members, bool) or not isinstance(members, int) or members < 1:
        raise InvalidHouseholdError(f"a household has at least one member, not {members!r}")


def check_reason(text: str, what: str) -> None:
    """Corrections, erasures and information access must say why or what (for the audit trail)."""
    if not text or not text.strip():
        raise InvalidInputError(f"{what} needs a reason or reference")
