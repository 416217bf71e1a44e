"""An assessment's life over HTTP, on the real PostgreSQL: open, submit, review, finalise, reopen."""

import asyncio

import pytest

from backan_shared.consistency import parse_consistency_token

pytestmark = pytest.mark.infra


def indicator(view: dict, code: str) -> dict:
    return next(explained for explained in view["indicators"] if explained["code"] == code)


async def test_a_rejected_value_does_not_count_and_its_approved_resubmission_does(dti) -> None:
    assessment_id = await dti.open("01837", 2023)
    rejected = await dti.submit(assessment_id, "DS.01", 0.5)
    dti.succeeded(
        await dti.review(assessment_id, rejected, approved=False, reason="the survey covers one village"), 200
    )
    explained = indicator(await dti.view(assessment_id), "DS.01")
    assert (explained["value"], explained["points"], explained["max_points"]) == (None, 0.0, 40.0)
    assert (explained["submission_status"], explained["submission_id"]) == ("rejected", rejected)
    resubmitted = await dti.submit(assessment_id, "DS.01", 0.62)
    dti.succeeded(await dti.review(assessment_id, resubmitted), 200)
    view = await dti.view(assessment_id)
    explained = indicator(view, "DS.01")
    assert (explained["value"], explained["points"], explained["submission_status"]) == (0.62, 24.8, "approved")
    assert explained["rule"]["description"] == "ratio_linear: max × min(ratio ÷ 1, 1)"
    assert (view["status"], view["provisional"], view["score"], view["pillars"]["DS"]["points"]) == (
        "open",
        True,
        24.8,
        24.8,
    )


async def test_finalising_freezes_the_score_explained_per_indicator(dti) -> None:
    assessment_id = await dti.open("01837", 2023)
    await dti.approve(assessment_id, "AW.01", True)
    await dti.approve(assessment_id, "AW.03", 14)
    await dti.approve(assessment_id, "AW.04", 2)
    await dti.approve(assessment_id, "DS.01", 0.62)
    await dti.submit(assessment_id, "IN.01", True)  # pending at finalisation: it does not count
    finalised = dti.succeeded(await dti.finalise(assessment_id), 200)
    assert finalised == {
        "assessment_id": assessment_id,
        "status": "finalised",
        "score": 68.8,
        "max_score": 1000.0,
        "index": 0.0688,
    }
    view = await dti.view(assessment_id)
    assert (view["status"], view["provisional"], view["score"], view["index"]) == ("finalised", False, 68.8, 0.0688)
    assert view["pillars"]["AW"] | {"name": None} == {
        "name": None,
        "name_en": "Digital awareness",
        "group": "foundation",
        "points": 44.0,
        "max_points": 100.0,
        "normalised": 0.44,
        "scored": True,
    }
    assert view["groups"] == {"foundation": 44.0, "activity": 24.8}
    explained = {code: (indicator(view, code)["value"], indicator(view, code)["points"]) for code in ("AW.03", "AW.04")}
    assert explained == {"AW.03": (14, 10.0), "AW.04": (2, 14.0)}
    assert indicator(view, "IN.01")["submission_status"] == "pending"
    assert indicator(view, "IN.01")["points"] == 0.0


async def test_finalising_twice_and_submitting_after_finalising_are_conflicts_that_change_nothing(dti, counts) -> None:
    assessment_id = await dti.open("01837", 2023)
    await dti.approve(assessment_id, "AW.01", True)
    dti.succeeded(await dti.finalise(assessment_id), 200)
    before = await counts()
    again = dti.problem(await dti.finalise(assessment_id), 409)
    assert "finalised already" in again["detail"]
    submitted = await dti.post(
        f"/v1/dti/assessments/{assessment_id}/submissions", {"indicator_code": "AW.02", "value": True}
    )
    assert "reopen it first" in dti.problem(submitted, 409)["detail"]
    assert await counts() == before


async def test_reopening_brings_the_assessment_back_with_an_audit_trail(dti) -> None:
    assessment_id = await dti.open("01837", 2023)
    await dti.approve(assessment_id, "AW.01", True)
    dti.succeeded(await dti.finalise(assessment_id), 200)
    reopened = dti.succeeded(await dti.reopen(assessment_id, "AW.02 was left out by mistake"), 200)
    assert reopened["status"] == "open"
    await dti.approve(assessment_id, "AW.02", True)
    assert dti.succeeded(await dti.finalise(assessment_id), 200)["score"] == 40.0
    trail = [(e["action"], e["by"], e["reason"], e["total"]) for e in (await dti.view(assessment_id))["audit_trail"]]
    assert trail == [
        ("finalised", "reviewer-so-tttt", None, 20.0),
        ("reopened", "director-so-tttt", "AW.02 was left out by mistake", None),
        ("finalised", "reviewer-so-tttt", None, 40.0),
    ]


async def test_reopening_needs_a_reason_and_a_finalised_assessment(dti) -> None:
    assessment_id = await dti.open("01837", 2023)
    assert "is open" in dti.problem(await dti.reopen(assessment_id, "corrections"), 409)["detail"]
    dti.succeeded(await dti.finalise(assessment_id), 200)
    assert "must say why" in dti.problem(await dti.reopen(assessment_id, "   "), 422)["detail"]
    dti.problem(await dti.post(f"/v1/dti/assessments/{assessment_id}/reopen", {}), 422)


async def test_no_one_reviews_their_own_submission(dti) -> None:
    assessment_id = await dti.open("01837", 2023)
    submission_id = await dti.submit(assessment_id, "AW.01", True, by="officer-a")
    refused = dti.problem(await dti.review(assessment_id, submission_id, by="officer-a"), 403)
    assert refused["title"] == "SelfReviewError"
    dti.succeeded(await dti.review(assessment_id, submission_id, by="reviewer-b"), 200)


async def test_a_rejection_must_say_why_and_a_decision_stands(dti) -> None:
    assessment_id = await dti.open("01837", 2023)
    submission_id = await dti.submit(assessment_id, "AW.01", True)
    dti.problem(await dti.review(assessment_id, submission_id, approved=False, reason=" "), 422)
    dti.succeeded(await dti.review(assessment_id, submission_id), 200)
    assert "approved already" in dti.problem(await dti.review(assessment_id, submission_id), 409)["detail"]


async def test_writes_answer_with_a_location_and_a_consistency_token(dti) -> None:
    response = await dti.post("/v1/dti/assessments", {"unit_code": "01837", "level": "commune", "year": 2023})
    created = dti.succeeded(response, 201)
    assert created["framework_version"] == "commune-2022-qd1294"
    assert response.headers["location"] == f"/v1/dti/assessments/{created['assessment_id']}"
    assert parse_consistency_token(response.headers["consistency-token"])[0] == "dti-scoring"
    body = {"indicator_code": "AW.01", "value": True}
    submitted = await dti.post(f"{response.headers['location']}/submissions", body)
    submission = await dti.client.get(submitted.headers["location"])
    assert dti.succeeded(submission, 200)["status"] == "pending"
    assert "consistency-token" in submitted.headers


async def test_a_retried_open_with_the_same_idempotency_key_opens_one_assessment(dti, counts) -> None:
    body = {"unit_code": "02017", "level": "commune", "year": 2023}
    headers = {"Idempotency-Key": "open-02017-2023", "X-Principal-Subject": "officer-quang-thuan"}
    first = await dti.client.post("/v1/dti/assessments", json=body, headers=headers)
    retry = await dti.client.post("/v1/dti/assessments", json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert (await counts())["dti_assessments"] == 1


async def test_a_unit_has_one_assessment_per_level_and_year(dti, counts) -> None:
    first = await dti.open("01837", 2023)
    before = await counts()
    refused = await dti.post("/v1/dti/assessments", {"unit_code": "01837", "level": "commune", "year": 2023})
    assert first in dti.problem(refused, 409)["detail"]
    assert await counts() == before
    await dti.open("01837", 2024)


async def test_two_officials_opening_the_same_unit_s_assessment_at_once_get_one_assessment(dti, counts) -> None:
    body = {"unit_code": "01837", "level": "commune", "year": 2023}
    answers = await asyncio.gather(*(dti.post("/v1/dti/assessments", body, by=f"officer-{n}") for n in range(4)))
    assert sorted(response.status_code for response in answers) == [201, 409, 409, 409]
    assert (await counts())["events"] == 1
