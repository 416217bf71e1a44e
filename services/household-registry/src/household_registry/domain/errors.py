"""The errors household-registry's domain raises, under one root.

The branches tell the service layer how to answer: `InvalidInputError` is a command that can never succeed
as written (HTTP 422), `StateConflictError` a command the household's current state refuses (HTTP 409),
`NotFoundError` something that does not exist (HTTP 404), and `ReferenceDataError` reference data that is
missing or inconsistent (a bug or a deployment fault, HTTP 500). A refused command changes nothing.
"""

from __future__ import annotations


class HouseholdRegistryError(Exception):
    """Root of every error household-registry's domain raises."""


class InvalidInputError(HouseholdRegistryError):
    """The command itself is wrong: a bad value, an unknown code, a missing reason."""


class StateConflictError(HouseholdRegistryError):
    """The command is well formed, but the household's state refuses it now."""


class NotFoundError(HouseholdRegistryError):
    """The household, survey or unit named does not exist."""


class ReferenceDataError(HouseholdRegistryError):
    """A reference file (standard, targets, units) is malformed or contradicts another."""


class NoStandardInForceError(NotFoundError):
    """No multidimensional poverty standard (chuẩn nghèo đa chiều) is in force for the year asked."""

    def __init__(self, year: int, known: str) -> None:
        super().__init__(f"no poverty standard is in force for {year}; known standards: {known}")
        self.year = year


class StandardNotInForceError(InvalidInputError):
    """A survey was to be classified with a standard that does not apply to its year."""


class UnknownIndicatorError(InvalidInputError):
    """A deprivation names an indicator code the standard does not have."""


class InvalidSurveyError(InvalidInputError):
    """A survey's figures are impossible (negative income, a year out of range)."""


class InvalidHouseholdError(InvalidInputError):
    """A household's registration data is impossible (no members, an empty name)."""


class InvalidNationalIdError(InvalidInputError):
    """A national ID number (số định danh cá nhân) is not 12 digits with a province prefix."""


class InvalidPhoneNumberError(InvalidInputError):
    """A phone number is not a Vietnamese number."""


class UnknownUnitError(NotFoundError):
    """No administrative unit has that code."""


class NotACommuneError(InvalidInputError):
    """A household must live in a commune, ward or town (xã, phường, thị trấn), not a district or province."""


class HouseholdNotRegisteredError(NotFoundError):
    """The household's stream is empty or does not start with its registration."""


class HouseholdAlreadyRegisteredError(StateConflictError):
    """A household can be registered once only."""


class DuplicateNationalIdError(StateConflictError):
    """A national ID number registers one household only (the registry compares keyed hashes, never the IDs)."""


class SurveyAlreadyRecordedError(StateConflictError):
    """A year already has a survey: a change to it is a correction, not a second survey."""


class SurveyNotFoundError(NotFoundError):
    """There is no survey for that year to correct."""


class NothingToCorrectError(InvalidInputError):
    """A correction must change something and say why."""


class StatisticsInputError(InvalidInputError):
    """The records given to the statistics calculator contradict each other (a household twice in a year)."""


class ReviewImportNotFoundError(NotFoundError):
    """No annual review import has that id."""
