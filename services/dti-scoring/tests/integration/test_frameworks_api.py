"""The released frameworks over HTTP: a version by name, or the one in force for a level and year."""

import pytest

pytestmark = pytest.mark.infra


async def test_a_framework_version_is_served_with_groups_main_indices_and_indicators_with_their_rules(dti) -> None:
    framework = dti.succeeded(await dti.client.get("/v1/dti/frameworks/province-2022-qd922"), 200)
    assert (framework["level"], framework["max_points"], len(framework["indicators"])) == ("province", 1000.0, 98)
    assert [g["max_points"] for g in framework["groups"]] == [500.0, 500.0]
    assert sum(m["max_points"] for m in framework["main_indices"]) == 1000.0
    assert framework["source"]["document"].startswith("Quyết định 922")
    rules = {indicator["rule"]["kind"] for indicator in framework["indicators"]}
    assert rules <= {"yes_no", "ratio_linear", "count_threshold", "level"}


async def test_each_rule_kind_is_served_with_its_parameters(dti) -> None:
    framework = dti.succeeded(await dti.client.get("/v1/dti/frameworks/commune-2022-qd1294"), 200)
    rules = {indicator["code"]: indicator["rule"] for indicator in framework["indicators"]}
    assert rules["AW.01"] == {
        "kind": "yes_no",
        "description": "yes_no: full points if yes, none if no",
        "target": None,
        "steps": None,
        "fractions": None,
    }
    assert rules["DS.03"]["target"] == 0.7
    assert rules["AW.03"]["steps"] == [
        {"at_least": 6, "points": 5.0},
        {"at_least": 12, "points": 10.0},
        {"at_least": 24, "points": 20.0},
    ]
    assert rules["AW.04"]["fractions"] == [0.0, 0.4, 0.7, 1.0]


async def test_the_current_commune_framework_is_the_one_in_force_that_year(dti) -> None:
    response = await dti.client.get("/v1/dti/frameworks/current", params={"level": "commune", "year": 2023})
    framework = dti.succeeded(response, 200)
    assert (framework["version"], framework["first_year"], framework["last_year"]) == (
        "commune-2022-qd1294",
        2022,
        None,
    )
    this_year = dti.succeeded(await dti.client.get("/v1/dti/frameworks/current", params={"level": "district"}), 200)
    assert this_year["version"] == "district-2022-qd1294"


async def test_an_unknown_framework_is_a_404_problem(dti) -> None:
    dti.problem(await dti.client.get("/v1/dti/frameworks/commune-1999"), 404)
    dti.problem(await dti.client.get("/v1/dti/frameworks/current", params={"level": "commune", "year": 2019}), 404)
