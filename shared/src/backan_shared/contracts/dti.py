"""Integration events of dti-scoring, on the topic `dti.events.v1`, keyed by assessment id.

They carry unit codes, levels, years, indicator codes, values and points; the people who act appear only as
the opaque subject ids the identity provider issued. Free text (a rejection's or a reopening's reason, the
evidence reference) stays in dti-scoring, where the assessment view shows it to those allowed to read it: an
official may write a name into it, and a topic keeps every event forever.

Points and ratios are JSON numbers (2 and 4 decimals); a value is a JSON boolean (yes/no), an integer
(a count or a level) or a number (a ratio from 0 to 1).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StrictBool, StrictInt

from backan_shared.contracts import INTEGRATION_EVENTS

TOPIC: Final = "dti.events.v1"
ASSESSMENT_OPENED: Final = "vn.backan.dti.assessment-opened.v1"
SUBMISSION_RECORDED: Final = "vn.backan.dti.submission-recorded.v1"
SUBMISSION_REVIEWED: Final = "vn.backan.dti.submission-reviewed.v1"
ASSESSMENT_FINALISED: Final = "vn.backan.dti.assessment-finalised.v1"
ASSESSMENT_REOPENED: Final = "vn.backan.dti.assessment-reopened.v1"


def _number(value: Decimal) -> float:
    # points have 2 decimals and fractions 4: a JSON number shows them exactly, and clients expect numbers
    return float(value)


Points = Annotated[Decimal, PlainSerializer(_number, return_type=float, when_used="json")]
"""Exact points in Python, a JSON number on the wire."""

IndicatorValue = StrictBool | StrictInt | Points
"""true/false for yes/no, an integer for a count or a level, a number from 0 to 1 for a ratio."""

Level = Literal["province", "district", "commune"]

_UNIT: dict[str, Any] = {
    "assessment_id": "6f1c2a9e-5b7d-4c1e-9a63-0d2f4b8e7a11",
    "unit_code": "01837",
    "level": "commune",
    "year": 2023,
    "framework_version": "commune-2022-qd1294",
}


class AssessmentFacts(BaseModel):
    """Which assessment an event is about: the unit (official administrative code), level, year, framework."""

    model_config = ConfigDict(frozen=True)

    assessment_id: str
    unit_code: str = Field(description="official administrative code of the unit assessed, e.g. 01837")
    level: Level
    year: int = Field(description="the year assessed")
    framework_version: str


class DtiAssessmentOpened(AssessmentFacts):
    """A unit's assessment for a year was opened on the framework in force."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**_UNIT, "opened_at": "2024-01-15T09:00:00Z"}]})

    opened_at: datetime


class DtiSubmissionRecorded(AssessmentFacts):
    """An indicator's value was submitted, waiting for review; `supersedes` names the submission it replaces."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_UNIT,
                    "submission_id": "b0e4d3c2-1a2b-4c5d-8e9f-0a1b2c3d4e5f",
                    "indicator_code": "DS.01",
                    "value": 0.62,
                    "submitted_by": "officer-7f3a",
                    "submitted_at": "2024-01-16T10:30:00Z",
                    "has_evidence": True,
                    "system_submitted": False,
                    "supersedes": None,
                }
            ]
        }
    )

    submission_id: str
    indicator_code: str
    value: IndicatorValue
    submitted_by: str = Field(description="opaque subject id of the submitter")
    submitted_at: datetime
    has_evidence: bool = Field(description="whether a document reference or URL backs the value")
    system_submitted: bool = Field(description="true when dti-scoring submitted the value itself, from events")
    supersedes: str | None = None


class DtiSubmissionReviewed(AssessmentFacts):
    """A reviewer approved or rejected a submission; only an approved value counts in the score."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_UNIT,
                    "submission_id": "b0e4d3c2-1a2b-4c5d-8e9f-0a1b2c3d4e5f",
                    "indicator_code": "DS.01",
                    "value": 0.62,
                    "approved": True,
                    "reviewed_by": "reviewer-02c9",
                    "reviewed_at": "2024-01-20T14:00:00Z",
                }
            ]
        }
    )

    submission_id: str
    indicator_code: str
    value: IndicatorValue
    approved: bool
    reviewed_by: str = Field(description="opaque subject id of the reviewer (never the submitter)")
    reviewed_at: datetime


class PillarPoints(BaseModel):
    """A main index's points, maximum and normalised value in [0, 1] (4 decimals)."""

    model_config = ConfigDict(frozen=True)

    code: str
    group: str
    points: Points
    max_points: Points
    normalised: Points
    scored: bool = Field(description="false for a main index worth no points (reported, not scored)")


class GroupPoints(BaseModel):
    """A group's points: foundation (nền tảng) or activity (hoạt động)."""

    model_config = ConfigDict(frozen=True)

    code: str
    points: Points
    max_points: Points


class IndicatorPoints(BaseModel):
    """An indicator's approved value (null if none) and the points it earned."""

    model_config = ConfigDict(frozen=True)

    code: str
    main_index: str
    value: IndicatorValue | None
    points: Points
    max_points: Points


class DtiAssessmentFinalised(AssessmentFacts):
    """The assessment was finalised: the score is computed from the approved values and frozen."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_UNIT,
                    "score": 569.8,
                    "max_score": 1000,
                    "index": 0.5698,
                    "pillars": [
                        {
                            "code": "DS",
                            "group": "activity",
                            "points": 92.5,
                            "max_points": 150,
                            "normalised": 0.6167,
                            "scored": True,
                        }
                    ],
                    "groups": [{"code": "activity", "points": 301.2, "max_points": 500}],
                    "indicators": [
                        {"code": "DS.01", "main_index": "DS", "value": 0.62, "points": 31.0, "max_points": 40}
                    ],
                    "finalised_by": "reviewer-02c9",
                    "finalised_at": "2024-02-01T08:00:00Z",
                }
            ]
        }
    )

    score: Points = Field(description="total points")
    max_score: Points
    index: Points = Field(description="score ÷ max_score, in [0, 1] to 4 decimals")
    pillars: list[PillarPoints] = Field(description="points per main index (chỉ số chính)")
    groups: list[GroupPoints]
    indicators: list[IndicatorPoints]
    finalised_by: str = Field(description="opaque subject id")
    finalised_at: datetime


class DtiAssessmentReopened(AssessmentFacts):
    """A finalised assessment was reopened for corrections: its score no longer stands until finalised again."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_UNIT,
                    "previous_score": 569.8,
                    "reopened_by": "director-5d1e",
                    "reopened_at": "2024-02-10T09:00:00Z",
                }
            ]
        }
    )

    previous_score: Points | None = Field(description="the score that was frozen until the reopening")
    reopened_by: str = Field(description="opaque subject id")
    reopened_at: datetime


INTEGRATION_EVENTS.register(ASSESSMENT_OPENED, DtiAssessmentOpened)
INTEGRATION_EVENTS.register(SUBMISSION_RECORDED, DtiSubmissionRecorded)
INTEGRATION_EVENTS.register(SUBMISSION_REVIEWED, DtiSubmissionReviewed)
INTEGRATION_EVENTS.register(ASSESSMENT_FINALISED, DtiAssessmentFinalised)
INTEGRATION_EVENTS.register(ASSESSMENT_REOPENED, DtiAssessmentReopened)
