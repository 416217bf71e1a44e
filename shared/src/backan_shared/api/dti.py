"""The DTI routes' bodies (DESIGN.md §6, dti-scoring): the named fields are fixed, others may be added.

Schema families follow one pattern: `XCreate` is what a client sends, `XPublic` what it reads back. Points
and ratios are JSON numbers; a submitted value is a JSON boolean (yes/no), an integer (count or level) or a
number from 0 to 1 (ratio), checked against the indicator's type by dti-scoring.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final

from pydantic import BaseModel, Field, StrictBool, StrictFloat, StrictInt, model_validator

from backan_shared.api.dti_frameworks import RulePublic
from backan_shared.api.examples import examples
from backan_shared.contracts.dti import IndicatorValue, Level, Points

ASSESSMENT_ID: Final = "6f1c2a9e-5b7d-4c1e-9a63-0d2f4b8e7a11"
SUBMISSION_ID: Final = "b0e4d3c2-1a2b-4c5d-8e9f-0a1b2c3d4e5f"
_CODE_DIGITS = {"province": 2, "district": 3, "commune": 5}


class AssessmentCreate(BaseModel):
    """Open a unit's assessment for a year; the framework in force for its level and that year is used."""

    model_config = examples({"unit_code": "01837", "level": "commune", "year": 2023})

    unit_code: str = Field(
        pattern=r"^[0-9]{2,5}$",
        description="official administrative code: 2 digits for a province, 3 for a district, 5 for a commune",
    )
    level: Level
    year: int = Field(ge=2000, le=2100)

    @model_validator(mode="after")
    def _code_fits_level(self) -> AssessmentCreate:
        digits = _CODE_DIGITS[self.level]
        if not re.fullmatch(rf"[0-9]{{{digits}}}", self.unit_code):
            raise ValueError(f"a {self.level} code has {digits} digits, not {self.unit_code!r}")
        return self


class AssessmentCreated(BaseModel):
    """The new assessment's id (also in `Location`) and the framework it is scored on."""

    model_config = examples({"assessment_id": ASSESSMENT_ID, "framework_version": "commune-2022-qd1294"})

    assessment_id: str
    framework_version: str


class SubmissionCreate(BaseModel):
    """Submit (or resubmit) an indicator's value with its evidence; a resubmission replaces the earlier one."""

    model_config = examples(
        {"indicator_code": "DS.01", "value": 0.62, "evidence_url": "https://songcau.backan.gov.vn/bao-cao-2023.pdf"},
        {"indicator_code": "AW.01", "value": True, "evidence_url": "Quyết định 12/QĐ-UBND ngày 10/02/2023"},
        {"indicator_code": "AW.03", "value": 14},
    )

    indicator_code: str = Field(min_length=1, max_length=32)
    value: StrictBool | StrictInt | StrictFloat = Field(
        description="true/false for yes/no, an integer for a count or a level, a number from 0 to 1 for a ratio"
    )
    evidence_url: str | None = Field(
        default=None, min_length=1, max_length=2000, description="a URL or a document reference"
    )


class SubmissionCreated(BaseModel):
    """The new submission, pending review."""

    model_config = examples(
        {"submission_id": SUBMISSION_ID, "assessment_id": ASSESSMENT_ID, "indicator_code": "DS.01", "supersedes": None}
    )

    submission_id: str
    assessment_id: str
    indicator_code: str
    status: str = "pending"
    supersedes: str | None = Field(default=None, description="the earlier submission this one replaces")


class ReviewCreate(BaseModel):
    """Approve or reject a submission; a rejection must say why. No one reviews their own submission."""

    model_config = examples(
        {"approved": True, "reason": ""},
        {"approved": False, "reason": "the report does not cover the whole year"},
    )

    approved: StrictBool
    reason: str = Field(default="", max_length=2000)


class ReviewPublic(BaseModel):
    """The review's outcome: the submission is approved or rejected."""

    model_config = examples({"assessment_id": ASSESSMENT_ID, "submission_id": SUBMISSION_ID, "status": "approved"})

    assessment_id: str
    submission_id: str
    status: str


class ReopenCreate(BaseModel):
    """Reopen a finalised assessment for corrections; the reason goes into its audit trail."""

    model_config = examples({"reason": "DS.01 corrected after the December household review"})

    reason: str = Field(min_length=1, max_length=2000)


class AssessmentStatusPublic(BaseModel):
    """An assessment's status after finalising or reopening it, with the score frozen (or null once reopened)."""

    model_config = examples(
        {"assessment_id": ASSESSMENT_ID, "status": "finalised", "score": 569.8, "max_score": 1000, "index": 0.5698}
    )

    assessment_id: str
    status: str
    score: Points | None = None
    max_score: Points | None = None
    index: Points | None = None


class PillarPublic(BaseModel):
    """A main index's points in an assessment, and its value normalised to [0, 1]."""

    name: str
    name_en: str
    group: str
    points: Points
    max_points: Points
    normalised: Points
    scored: bool


class SubmissionPublic(BaseModel):
    """A submission and where its review stands (pending, approved, rejected or superseded)."""

    submission_id: str
    indicator_code: str
    value: IndicatorValue
    status: str
    submitted_by: str
    submitted_at: datetime
    evidence_url: str | None = None
    provenance: str | None = Field(default=None, description="for a value the system submitted: where it came from")
    reviewed_by: str | None = None
    review_reason: str | None = None


class IndicatorExplanation(BaseModel):
    """Why an indicator earned its points: the approved value, points, max and rule, and its latest submission."""

    code: str
    name: str
    name_en: str
    main_index: str
    value: IndicatorValue | None = Field(description="the approved value that counts; null if none")
    points: Points
    max_points: Points
    rule: RulePublic
    submission_status: str = Field(description="the latest submission's status, or 'none'")
    submission_id: str | None = None


class AuditEntryPublic(BaseModel):
    """A finalisation or a reopening: who, when, why, and the total that was frozen."""

    action: str = Field(description="finalised or reopened")
    by: str
    at: datetime
    reason: str | None = None
    total: Points | None = None


class AssessmentPublic(BaseModel):
    """An assessment: status, score (frozen once finalised, provisional while open), pillars and explanations."""

    model_config = examples(
        {
            "assessment_id": ASSESSMENT_ID,
            "unit_code": "01837",
            "level": "commune",
            "year": 2023,
            "framework_version": "commune-2022-qd1294",
            "status": "finalised",
            "provisional": False,
            "score": 569.8,
            "max_score": 1000,
            "index": 0.5698,
            "pillars": {
                "DS": {
                    "name": "Xã hội số",
                    "name_en": "Digital society",
                    "group": "activity",
                    "points": 92.5,
                    "max_points": 150,
                    "normalised": 0.6167,
                    "scored": True,
                }
            },
            "groups": {"activity": 301.2, "foundation": 268.6},
            "indicators": [],
            "submissions": [],
            "audit_trail": [
                {
                    "action": "finalised",
                    "by": "reviewer-02c9",
                    "at": "2024-02-01T08:00:00Z",
                    "reason": None,
                    "total": 569.8,
                }
            ],
            "version": 42,
            "as_of": "2024-02-01T08:00:00Z",
        }
    )

    assessment_id: str
    unit_code: str
    level: Level
    year: int
    framework_version: str
    status: str = Field(description="open or finalised")
    provisional: bool = Field(description="true while open: the score the approved values earn so far")
    score: Points
    max_score: Points
    index: Points
    pillars: dict[str, PillarPublic] = Field(description="points per main index, by its code")
    groups: dict[str, Points] = Field(description="points per group, by its code")
    indicators: list[IndicatorExplanation]
    submissions: list[SubmissionPublic]
    audit_trail: list[AuditEntryPublic]
    version: int = Field(description="how many events the assessment has had")
    as_of: datetime = Field(description="the time of the latest event this view includes")


class RankingEntry(BaseModel):
    """A unit's place among the finalised assessments of a level and year (ties share a rank: 1, 2, 2, 4)."""

    model_config = examples(
        {
            "rank": 1,
            "unit_code": "01837",
            "score": 569.8,
            "previous_rank": 1,
            "rank_change": 0,
            "assessment_id": ASSESSMENT_ID,
        }
    )

    rank: int
    unit_code: str
    score: Points
    previous_rank: int | None = Field(description="the unit's rank the year before, if it was ranked")
    rank_change: int | None = Field(description="previous_rank - rank: positive when the unit climbed")
    assessment_id: str
