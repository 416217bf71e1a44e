"""The errors dti-scoring's domain raises, under one root.

Two branches tell the service layer how to answer: `InvalidInputError` is a command that can never succeed as
written (HTTP 422), `StateConflictError` a command the assessment's current state refuses (HTTP 409) and that
might succeed in another state. `FrameworkError` is reference data that is missing or broken. A refused
command changes nothing.
"""

from __future__ import annotations


class DtiScoringError(Exception):
    """Root of every error dti-scoring's domain raises."""


class InvalidInputError(DtiScoringError):
    """The command itself is wrong: a bad value, an unknown indicator or submission, a missing reason."""


class StateConflictError(DtiScoringError):
    """The command is well formed, but the assessment's state refuses it now."""


class FrameworkError(DtiScoringError):
    """A framework (bộ chỉ số) file is inconsistent, edited after release, or missing from the manifest."""


class UnknownFrameworkError(FrameworkError):
    """No framework has that version, or none is in force for that level and year."""


class UnknownAssessmentError(DtiScoringError):
    """No assessment has that id (a lookup that found nothing, neither bad input nor a state conflict)."""


class FrameworkMismatchError(InvalidInputError):
    """The framework given does not fit the assessment: another version, level or year."""


class InvalidValueError(InvalidInputError):
    """A submitted value does not fit its indicator."""


class WrongValueTypeError(InvalidValueError):
    """The value is not of the indicator's type (a count, a ratio, yes/no or a level)."""


class ValueOutOfRangeError(InvalidValueError):
    """The value has the right type but an impossible size: a ratio outside 0..1, a negative count."""


class UnknownLevelError(InvalidValueError):
    """A level indicator's value is not one of its levels 0..N."""


class UnknownIndicatorError(InvalidInputError):
    """The framework has no indicator with that code."""


class UnknownSubmissionError(InvalidInputError):
    """The assessment has no submission with that id."""


class MissingReasonError(InvalidInputError):
    """A rejection or a reopening must say why."""


class SelfReviewError(InvalidInputError):
    """A reviewer may not review their own submission."""


class AssessmentFinalisedError(StateConflictError):
    """The assessment is finalised: its values and score are frozen until it is reopened."""


class AlreadyFinalisedError(AssessmentFinalisedError):
    """The assessment was finalised already."""


class NotFinalisedError(StateConflictError):
    """Only a finalised assessment can be reopened."""


class AlreadyReviewedError(StateConflictError):
    """The submission was approved or rejected already."""


class SupersededSubmissionError(StateConflictError):
    """A later submission for the same indicator replaced this one, so it can no longer be reviewed."""


class DuplicateSubmissionError(StateConflictError):
    """The assessment already has a submission with that id."""


class DuplicateAssessmentError(StateConflictError):
    """The unit already has an assessment for that level and year: one assessment per unit and year."""


class AssessmentHistoryError(DtiScoringError):
    """A stream of events that cannot be an assessment's history (it does not start with its opening)."""
