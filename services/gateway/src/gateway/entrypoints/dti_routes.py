"""The DTI routes of the contract (DESIGN.md §6), owned by dti-scoring."""

from typing import Literal

from backan_shared.api import dti, dti_frameworks
from gateway.entrypoints.forwarding import Forwarded

OWNER = "dti-scoring"
TAGS = ("dti",)
Level = Literal["province", "district", "commune"]

DTI_ROUTES = (
    Forwarded(
        "GET",
        "/v1/dti/frameworks/current",
        OWNER,
        "read",
        "The DTI framework in force for a level and year",
        answer=dti_frameworks.FrameworkPublic,
        query={"level": Level, "year": int},
        tags=TAGS,
    ),
    Forwarded(
        "GET",
        "/v1/dti/frameworks/{version}",
        OWNER,
        "read",
        "A released DTI framework version",
        answer=dti_frameworks.FrameworkPublic,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        "/v1/dti/assessments",
        OWNER,
        "dti:submit",
        "Open a unit's DTI assessment for a year",
        body=dti.AssessmentCreate,
        answer=dti.AssessmentCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        "/v1/dti/assessments/{assessment_id}/submissions",
        OWNER,
        "dti:submit",
        "Submit an indicator's value with evidence",
        body=dti.SubmissionCreate,
        answer=dti.SubmissionCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        "/v1/dti/assessments/{assessment_id}/submissions/{submission_id}/review",
        OWNER,
        "dti:review",
        "Approve or reject a submission (never your own)",
        body=dti.ReviewCreate,
        answer=dti.ReviewPublic,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        "/v1/dti/assessments/{assessment_id}/finalize",
        OWNER,
        "dti:review",
        "Compute and freeze the score",
        answer=dti.AssessmentStatusPublic,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        "/v1/dti/assessments/{assessment_id}/reopen",
        OWNER,
        "dti:review",
        "Reopen a finalised assessment, with a reason",
        body=dti.ReopenCreate,
        answer=dti.AssessmentStatusPublic,
        tags=TAGS,
    ),
    Forwarded(
        "GET",
        "/v1/dti/assessments/{assessment_id}",
        OWNER,
        "read",
        "An assessment: status, score, pillars, each indicator explained",
        answer=dti.AssessmentPublic,
        tags=TAGS,
    ),
    Forwarded(
        "GET",
        "/v1/dti/assessments/{assessment_id}/submissions/{submission_id}",
        OWNER,
        "read",
        "One submission and its review",
        answer=dti.SubmissionPublic,
        tags=TAGS,
        example={
            "submission_id": "9d2e4b7a-1c3f-4e8a-b5d6-7f0a1b2c3d4e",
            "indicator_code": "DS.01",
            "value": 0.62,
            "status": "approved",
            "submitted_by": "officer-song-cau",
            "submitted_at": "2024-01-15T02:30:00Z",
            "evidence_url": "https://songcau.backan.gov.vn/bao-cao-2023.pdf",
            "provenance": None,
            "reviewed_by": "reviewer-province",
            "review_reason": "",
        },
    ),
    Forwarded(
        "GET",
        "/v1/dti/rankings",
        OWNER,
        "read",
        "Units ranked by finalised score for a level and year",
        answer=list[dti.RankingEntry],
        query={"level": Level, "year": int},
        tags=TAGS,
    ),
)
