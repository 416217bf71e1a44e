"""Commands to an assessment: what an official asks for, in the imperative.

Ids and times come with the command, so the domain stays a pure function of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dti_scoring.domain.framework import Level


@dataclass(frozen=True, kw_only=True)
class OpenAssessment:
    """Open a unit's assessment for a year, on the framework in force for its level and that year."""

    assessment_id: str
    unit_code: str
    level: Level
    year: int
    opened_by: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class SubmitValue:
    """Submit (or resubmit) an indicator's value with its evidence (a document reference or URL).

    `provenance` says where a value the system submits itself came from (which events, up to when).
    """

    assessment_id: str
    submission_id: str
    indicator_code: str
    value: object
    submitted_by: str
    at: datetime
    evidence: str | None = None
    provenance: str | None = None


@dataclass(frozen=True, kw_only=True)
class ReviewSubmission:
    """Approve or reject a submission; a rejection says why."""

    assessment_id: str
    submission_id: str
    approved: bool
    reviewed_by: str
    at: datetime
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class FinaliseAssessment:
    """Compute the score from the approved values and freeze it."""

    assessment_id: str
    finalised_by: str
    at: datetime


@dataclass(frozen=True, kw_only=True)
class ReopenAssessment:
    """Reopen a finalised assessment, saying why (the reason is kept in its audit trail)."""

    assessment_id: str
    reason: str
    reopened_by: str
    at: datetime
