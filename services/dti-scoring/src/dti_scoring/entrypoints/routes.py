"""The DTI routes of DESIGN.md §6. Each turns a request into a command or a query and returns the answer.

Writes answer with the `Consistency-Token` of the integration event they published; those that create a
resource answer 201 with its `Location`. Only the gateway, presenting the internal credential, gets in
(`dti_router`); it forwards the caller's subject in `X-Principal-Subject`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Response

from backan_shared.api.dti import (
    AssessmentCreate,
    AssessmentCreated,
    AssessmentPublic,
    AssessmentStatusPublic,
    RankingEntry,
    ReopenCreate,
    ReviewCreate,
    ReviewPublic,
    SubmissionCreate,
    SubmissionCreated,
    SubmissionPublic,
)
from backan_shared.api.dti_frameworks import FrameworkPublic
from backan_shared.auth import internal_caller
from backan_shared.consistency import HEADER as CONSISTENCY_TOKEN
from dti_scoring.adapters.framework_view import framework_public
from dti_scoring.adapters.read_models import fetch_assessment, fetch_ranking
from dti_scoring.domain.commands import (
    FinaliseAssessment,
    OpenAssessment,
    ReopenAssessment,
    ReviewSubmission,
    SubmitValue,
)
from dti_scoring.domain.errors import UnknownAssessmentError, UnknownSubmissionError
from dti_scoring.domain.events import AssessmentEvent, AssessmentFinalised, AssessmentOpened, ValueSubmitted
from dti_scoring.domain.framework import Level
from dti_scoring.entrypoints.dependencies import ANONYMOUS, DependenciesDep, PoolDep, SubjectDep
from dti_scoring.frameworks import current, load_framework
from dti_scoring.service_layer.handlers import Result, handle
from dti_scoring.settings import Settings

ASSESSMENTS = "/v1/dti/assessments"
Year = Annotated[int, Query(ge=2000, le=2100, description="the year assessed")]
E = TypeVar("E", bound=AssessmentEvent)

frameworks = APIRouter(prefix="/v1/dti/frameworks", tags=["dti frameworks"])
assessments = APIRouter(prefix=ASSESSMENTS, tags=["dti assessments"])
rankings = APIRouter(prefix="/v1/dti/rankings", tags=["dti rankings"])


def dti_router(settings: Settings) -> APIRouter:
    """Every DTI route, behind the internal credential."""
    router = APIRouter(dependencies=[Depends(internal_caller(settings.internal_token))])
    for part in (frameworks, assessments, rankings):
        router.include_router(part)
    return router


@frameworks.get("/current")
async def get_current_framework(level: Level, year: Year | None = None) -> FrameworkPublic:
    """The framework in force for a level and year (this year if none is given)."""
    return framework_public(current(level, year or datetime.now(UTC).year))


@frameworks.get("/{version}")
async def get_framework(version: str) -> FrameworkPublic:
    """A released framework version."""
    return framework_public(load_framework(version))


@assessments.post("", status_code=201)
async def open_assessment(
    body: AssessmentCreate, deps: DependenciesDep, response: Response, subject: SubjectDep = ANONYMOUS
) -> AssessmentCreated:
    """Open a unit's assessment for a year (one per unit, level and year)."""
    command = OpenAssessment(
        assessment_id=new_id(),
        unit_code=body.unit_code,
        level=Level(body.level),
        year=body.year,
        opened_by=subject,
        at=now(),
    )
    result = await handle(command, deps)
    answer_write(response, result, location=f"{ASSESSMENTS}/{command.assessment_id}")
    opened = only_event(result, AssessmentOpened)
    return AssessmentCreated(assessment_id=opened.assessment_id, framework_version=opened.framework_version)


@assessments.post("/{assessment_id}/submissions", status_code=201)
async def submit_value(
    assessment_id: str,
    body: SubmissionCreate,
    deps: DependenciesDep,
    response: Response,
    subject: SubjectDep = ANONYMOUS,
) -> SubmissionCreated:
    """Submit (or resubmit) an indicator's value with its evidence, for review."""
    command = SubmitValue(
        assessment_id=assessment_id,
        submission_id=new_id(),
        indicator_code=body.indicator_code,
        value=body.value,
        submitted_by=subject,
        at=now(),
        evidence=body.evidence_url,
    )
    result = await handle(command, deps)
    answer_write(response, result, location=f"{ASSESSMENTS}/{assessment_id}/submissions/{command.submission_id}")
    submitted = only_event(result, ValueSubmitted)
    return SubmissionCreated(
        submission_id=submitted.submission_id,
        assessment_id=assessment_id,
        indicator_code=submitted.indicator_code,
        supersedes=submitted.supersedes,
    )


@assessments.post("/{assessment_id}/submissions/{submission_id}/review")
async def review_submission(
    assessment_id: str,
    submission_id: str,
    body: ReviewCreate,
    deps: DependenciesDep,
    response: Response,
    subject: SubjectDep = ANONYMOUS,
) -> ReviewPublic:
    """Approve or reject a submission; never the submitter's own."""
    command = ReviewSubmission(
        assessment_id=assessment_id,
        submission_id=submission_id,
        approved=body.approved,
        reason=body.reason,
        reviewed_by=subject,
        at=now(),
    )
    answer_write(response, await handle(command, deps))
    status = "approved" if body.approved else "rejected"
    return ReviewPublic(assessment_id=assessment_id, submission_id=submission_id, status=status)


@assessments.post("/{assessment_id}/finalize")
async def finalise_assessment(
    assessment_id: str, deps: DependenciesDep, response: Response, subject: SubjectDep = ANONYMOUS
) -> AssessmentStatusPublic:
    """Compute the score from the approved values and freeze it."""
    command = FinaliseAssessment(assessment_id=assessment_id, finalised_by=subject, at=now())
    result = await handle(command, deps)
    answer_write(response, result)
    score = only_event(result, AssessmentFinalised).score
    return AssessmentStatusPublic(
        assessment_id=assessment_id,
        status="finalised",
        score=score.total,
        max_score=score.max_score,
        index=score.index,
    )


@assessments.post("/{assessment_id}/reopen")
async def reopen_assessment(
    assessment_id: str, body: ReopenCreate, deps: DependenciesDep, response: Response, subject: SubjectDep = ANONYMOUS
) -> AssessmentStatusPublic:
    """Reopen a finalised assessment, saying why; its score no longer stands until finalised again."""
    command = ReopenAssessment(assessment_id=assessment_id, reason=body.reason, reopened_by=subject, at=now())
    answer_write(response, await handle(command, deps))
    return AssessmentStatusPublic(assessment_id=assessment_id, status="open")


@assessments.get("/{assessment_id}")
async def get_assessment(assessment_id: str, pool: PoolDep) -> AssessmentPublic:
    """The assessment view: status, score, pillars, and each indicator's points explained."""
    view = await fetch_assessment(pool, assessment_id)
    if view is None:
        raise UnknownAssessmentError(f"no assessment has id {assessment_id!r}")
    return view


@assessments.get("/{assessment_id}/submissions/{submission_id}")
async def get_submission(assessment_id: str, submission_id: str, pool: PoolDep) -> SubmissionPublic:
    """One submission and where its review stands."""
    view = await get_assessment(assessment_id, pool)
    found = next((s for s in view.submissions if s.submission_id == submission_id), None)
    if found is None:
        raise UnknownSubmissionError(f"assessment {assessment_id} has no submission {submission_id!r}")
    return found


@rankings.get("")
async def get_ranking(level: Level, year: Year, pool: PoolDep) -> list[RankingEntry]:
    """The units of a level ranked by their finalised score for a year, with the change from the year before."""
    return await fetch_ranking(pool, level, year)


def answer_write(response: Response, result: Result, *, location: str | None = None) -> None:
    """Headers of a write's answer: where the new resource is, and the token a later read can wait for."""
    if location is not None:
        response.headers["Location"] = location
    if result.consistency_token is not None:
        response.headers[CONSISTENCY_TOKEN] = result.consistency_token


def only_event(result: Result, kind: type[E]) -> E:
    """The one event a command made, of the kind its handler makes."""
    [event] = result.events
    if not isinstance(event, kind):
        raise TypeError(f"expected one {kind.__name__}, the command made {event!r}")
    return event


def new_id() -> str:
    """A new assessment or submission id."""
    return str(uuid.uuid4())


def now() -> datetime:
    """The time a command is made, in UTC."""
    return datetime.now(UTC)
