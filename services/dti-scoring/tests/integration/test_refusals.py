"""Bad requests are clear problem+json 4xx answers that change nothing."""

import httpx
import pytest

pytestmark = pytest.mark.infra


@pytest.mark.parametrize(
    ("code", "value", "complaint"),
    [
        ("DS.01", True, "expects a ratio"),  # a ratio, answered yes/no
        ("DS.01", 1.5, "ratio from 0 to 1"),
        ("AW.03", 2.5, "expects a whole number"),  # a count
        ("AW.03", -1, "negative"),
        ("AW.04", 4, "levels 0..3"),  # a level
        ("AW.01", 1, "expects yes or no"),  # yes/no
        ("AW.01", "yes", "value"),  # not even a JSON boolean, number or integer
        ("AW.01", None, "value"),
    ],
)
async def test_a_value_of_the_wrong_type_or_out_of_range_is_a_422_problem_and_writes_nothing(
    dti, counts, code, value, complaint
) -> None:
    assessment_id = await dti.open("01837", 2023)
    before = await counts()
    body = {"indicator_code": code, "value": value}
    refused = await dti.post(f"/v1/dti/assessments/{assessment_id}/submissions", body)
    assert complaint in dti.problem(refused, 422)["detail"]
    assert await counts() == before


async def test_an_unknown_indicator_is_a_422_problem_and_writes_nothing(dti, counts) -> None:
    assessment_id = await dti.open("01837", 2023)
    before = await counts()
    body = {"indicator_code": "XX.99", "value": True}
    refused = dti.problem(await dti.post(f"/v1/dti/assessments/{assessment_id}/submissions", body), 422)
    assert refused["title"] == "UnknownIndicatorError"
    assert "no indicator 'XX.99'" in refused["detail"]
    assert await counts() == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/dti/frameworks/commune-2022-qd1294"),
        ("GET", "/v1/dti/rankings?level=commune&year=2023"),
        ("POST", "/v1/dti/assessments"),
    ],
)
@pytest.mark.parametrize("token", [None, "not-the-internal-token"])
async def test_a_request_without_the_internal_credential_is_refused_with_401(app, counts, method, path, token) -> None:
    headers = {} if token is None else {"X-Internal-Token": token}
    body = {"unit_code": "01837", "level": "commune", "year": 2023}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://dti-scoring") as client:
        response = await client.request(method, path, json=body if method == "POST" else None, headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert (await counts())["events"] == 0


async def test_an_unknown_assessment_or_submission_is_a_404_problem(dti) -> None:
    dti.problem(await dti.client.get("/v1/dti/assessments/no-such-assessment"), 404)
    body = {"indicator_code": "AW.01", "value": True}
    dti.problem(await dti.post("/v1/dti/assessments/no-such-assessment/submissions", body), 404)
    dti.problem(await dti.finalise("no-such-assessment"), 404)
    assessment_id = await dti.open("01837", 2023)
    dti.problem(await dti.review(assessment_id, "no-such-submission"), 404)
    dti.problem(await dti.client.get(f"/v1/dti/assessments/{assessment_id}/submissions/no-such-submission"), 404)


@pytest.mark.parametrize(
    "body",
    [
        {"unit_code": "018", "level": "commune", "year": 2023},  # a district's code length
        {"unit_code": "01837", "level": "village", "year": 2023},
        {"unit_code": "01837", "level": "commune", "year": 23},
        {"unit_code": "Sông Cầu", "level": "commune", "year": 2023},
        {"level": "commune", "year": 2023},
    ],
)
async def test_an_assessment_that_cannot_be_opened_as_asked_is_a_422_problem(dti, counts, body) -> None:
    dti.problem(await dti.post("/v1/dti/assessments", body), 422)
    assert (await counts())["events"] == 0


async def test_a_year_no_framework_covers_is_a_404_problem(dti, counts) -> None:
    refused = await dti.post("/v1/dti/assessments", {"unit_code": "01837", "level": "commune", "year": 2020})
    assert "no framework is in force" in dti.problem(refused, 404)["detail"]
    assert (await counts())["events"] == 0
