"""Issue 6, end to end through the gateway only: open a campaign for the pilot communes, pledge, receive,
purchase, allocate, register households, survey them, deliver phones, run DTI assessments — then the commune
dashboard and the overview agree, to the đồng and the phone, with the services' own answers.

Every read of a composed view passes the Consistency-Token of the newest write of every aggregate the flow
wrote, so nothing here sleeps to let Kafka catch up. Two waits have no token to wait on and poll observable
state, boundedly: campaign-ledger learning the registry's households (before phones are handed out), and the
phone → information access → projected poverty cascade between the services.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from harness.testing import consumed_to_end, eventually
from tests.e2e.conftest import RunningSystem
from tests.e2e.openapi_examples import operations_without_examples
from tests.e2e.pilot_flow import (
    CAMPAIGN,
    DONATIONS,
    EXPECTED_STATEMENT,
    HOUSEHOLDS,
    PROVINCE,
    QUANG_THUAN,
    SONG_CAU,
    YEAR,
    Flow,
    Gateway,
    assess_communes,
    deliver_phones,
    register_households,
    registration,
    run_campaign,
)

pytestmark = [pytest.mark.infra, pytest.mark.timeout(120)]

STATEMENT_FIELDS = (
    "campaign_id",
    "name",
    "is_open",
    "target_vnd",
    "target_phones",
    "pledged_vnd",
    "received_vnd",
    "spent_vnd",
    "cash_vnd",
    "phones_pledged",
    "phones_received",
    "phones_purchased",
    "phones_in_stock",
    "phones_allocated",
    "phones_delivered",
    "by_commune",
    "progress_vnd_percent",
    "progress_phones_percent",
)
TOTALS_FIELDS = STATEMENT_FIELDS[5:15]
DONOR_FIELDS = (
    "donor",
    "donor_vi",
    "kind",
    "anonymous",
    "pledged_vnd",
    "pledged_phones",
    "received_vnd",
    "received_phones",
)
POVERTY_FIELDS = (
    "unit_code",
    "level",
    "year",
    "households",
    "poor",
    "near_poor",
    "poverty_rate",
    "near_poverty_rate",
    "reduction_pp",
)
STANDING_FIELDS = ("assessment_id", "year", "level", "score", "max_score", "index", "rank", "ranked_units")
PILLAR_FIELDS = ("points", "max_points", "normalised", "scored")
PROJECTED_FIELDS = ("poor", "near_poor", "poverty_rate", "near_poverty_rate", "reduction_pp")
CONTRACT_ONLY_IN_THE_REGISTRY = ("ethnic_minority_households", "ethnic_minority_poverty_rate", "target")
# Worked out by hand from pilot_flow.HOUSEHOLDS: (unit, year) → figures.
EXPECTED_POVERTY = {
    (SONG_CAU, 2022): {"households": 2, "poor": 1, "near_poor": 1, "poverty_rate": 50.0, "near_poverty_rate": 50.0},
    (SONG_CAU, 2023): {"households": 3, "poor": 2, "near_poor": 0, "poverty_rate": 66.67, "reduction_pp": -16.67},
    (QUANG_THUAN, 2022): {"households": 2, "poor": 2, "near_poor": 0, "poverty_rate": 100.0},
    (QUANG_THUAN, 2023): {"households": 3, "poor": 1, "near_poor": 1, "poverty_rate": 33.33, "reduction_pp": 66.67},
    (PROVINCE, 2022): {"households": 4, "poor": 3, "near_poor": 1, "poverty_rate": 75.0},
    (PROVINCE, 2023): {"households": 6, "poor": 3, "near_poor": 1, "poverty_rate": 50.0, "reduction_pp": 25.0},
}
# After the four phones, the information deprivations are gone: every household that got one is near-poor.
EXPECTED_PROJECTED_2023 = {
    SONG_CAU: {"poor": 0, "near_poor": 2, "poverty_rate": 0.0, "reduction_pp": 50.0},
    QUANG_THUAN: {"poor": 0, "near_poor": 2, "poverty_rate": 0.0, "reduction_pp": 100.0},
    PROVINCE: {"poor": 0, "near_poor": 4, "poverty_rate": 0.0, "reduction_pp": 75.0},
}
CASCADE_SECONDS = 30


@pytest.fixture(scope="module")
async def gateway(running_system: RunningSystem) -> AsyncIterator[Gateway]:
    async with running_system.gateway() as client:
        yield Gateway(client, running_system.officer, running_system.reviewer)


@pytest.fixture(scope="module")
async def services(running_system: RunningSystem) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """Each service called directly with the internal credential: its own answers, to compare with."""
    clients = {name: running_system.service(name) for name in running_system.service_urls}
    yield clients
    for client in clients.values():
        await client.aclose()


@pytest.fixture(scope="module")
async def pilot_flow(running_system: RunningSystem, gateway: Gateway) -> Flow:
    """The whole pilot scenario, written through the gateway."""
    flow = Flow()
    await register_households(gateway, flow)
    await run_campaign(gateway, flow)
    # A delivery is refused for a household campaign-ledger has not yet learnt from the registry's topic, and
    # no write answers a token for that: wait until its consumer has read everything the registry published.
    names = running_system.names
    await consumed_to_end(
        running_system.kafka_bootstrap, names.ledger_household_group, names.household_topic, within=30
    )
    await deliver_phones(gateway, flow)
    await assess_communes(gateway, flow)
    return flow


async def consistent(gateway: Gateway, path: str, **params: Any) -> dict[str, Any]:
    """Read a composed view once with the newest Consistency-Token of every aggregate written: each read waits
    (boundedly) for its own write, so the last answer includes them all."""
    answer = None
    for aggregate, token in gateway.tokens.items():
        answer = await gateway.client.get(path, params=params, headers=gateway.headers(**{"Consistency-Token": token}))
        assert answer.status_code == 200, (
            f"GET {path} with the token of {aggregate}: {answer.status_code} {answer.text}"
        )
        assert answer.headers["consistency"] == "satisfied"
    assert answer is not None
    return dict(answer.json())


async def own_answer(service: httpx.AsyncClient, path: str, **params: Any) -> Any:
    answer = await service.get(path, params=params)
    assert answer.status_code == 200, f"{service.base_url}{path}: {answer.status_code} {answer.text}"
    return answer.json()


def pick(document: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: document.get(name, "<missing>") for name in fields}


def donors(statement: dict[str, Any]) -> list[dict[str, Any]]:
    """The public roll of donors, in its published order (largest gifts first)."""
    return [pick(donor, DONOR_FIELDS) for donor in statement["by_donor"]]


def dti_standing(standing: dict[str, Any]) -> dict[str, Any]:
    """A dashboard's DTI standing, pillars by code."""
    pillars = {pillar["code"]: pick(pillar, PILLAR_FIELDS) for pillar in standing["pillars"]}
    return pick(standing, STANDING_FIELDS) | {"pillars": pillars}


def expected_standing(assessment: dict[str, Any], ranking: list[dict[str, Any]]) -> dict[str, Any]:
    """The standing dti-scoring's own assessment and ranking give."""
    place = next(entry for entry in ranking if entry["assessment_id"] == assessment["assessment_id"])
    pillars = {code: pick(pillar, PILLAR_FIELDS) for code, pillar in assessment["pillars"].items()}
    own = pick(assessment, STANDING_FIELDS) | {"rank": place["rank"], "ranked_units": len(ranking)}
    return own | {"pillars": pillars}


async def test_the_registry_classifies_every_survey_as_the_standard_says(pilot_flow: Flow) -> None:
    expected = {(h.key, year): survey.classification for h in HOUSEHOLDS for year, survey in h.surveys.items()}
    assert pilot_flow.classifications == expected


async def test_the_campaign_statement_agrees_with_the_ledger_to_the_dong_and_the_phone(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    path = f"/v1/campaigns/{pilot_flow.campaign_id}"
    composed = await consistent(gateway, path)
    ledger = await own_answer(services["campaign-ledger"], path)

    assert pick(composed, STATEMENT_FIELDS) == pick(ledger, STATEMENT_FIELDS)
    assert pick(composed, tuple(EXPECTED_STATEMENT)) == EXPECTED_STATEMENT
    assert (composed["name"], composed["target_vnd"]) == (CAMPAIGN["name"], CAMPAIGN["target_vnd"])
    assert composed["as_of"] is not None


async def test_the_donor_roll_agrees_with_the_ledgers_public_statement(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    path = f"/v1/campaigns/{pilot_flow.campaign_id}"
    composed = await consistent(gateway, path)
    ledger = await own_answer(services["campaign-ledger"], path)
    assert donors(composed) == donors(ledger)
    assert sum(d["received_vnd"] for d in donors(ledger)) == sum(d.received_vnd for d in DONATIONS)


async def test_the_public_journal_through_the_gateway_is_the_ledgers_own_in_json_and_as_a_csv_download(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    path = f"/v1/campaigns/{pilot_flow.campaign_id}/journal"
    assert await gateway.read(path) == await own_answer(services["campaign-ledger"], path)
    csv = {"Accept": "text/csv"}
    through = await gateway.client.get(path, headers=gateway.headers(**csv))
    own = await services["campaign-ledger"].get(path, headers=csv)
    assert (through.status_code, through.content) == (own.status_code, own.content)
    for header in ("content-type", "content-disposition"):
        assert through.headers.get(header) == own.headers[header], header


async def test_each_commune_dashboard_agrees_with_the_services_own_answers(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    ledger = await own_answer(services["campaign-ledger"], f"/v1/campaigns/{pilot_flow.campaign_id}")
    ranking = await own_answer(services["dti-scoring"], "/v1/dti/rankings", level="commune", year=YEAR)
    for commune in (SONG_CAU, QUANG_THUAN):
        dashboard = await consistent(gateway, f"/v1/communes/{commune}/dashboard")
        phones = next(c for c in ledger["by_commune"] if c["commune_code"] == commune)
        assert dashboard["campaign"] == {"campaigns": 1, **{k: v for k, v in phones.items() if k != "commune_code"}}

        registry = await own_answer(services["household-registry"], "/v1/poverty", unit_code=commune, year=YEAR)
        assert pick(dashboard["poverty"], POVERTY_FIELDS) == pick(registry, POVERTY_FIELDS), commune
        assert dashboard["poverty"]["registered_households"] == sum(h.commune == commune for h in HOUSEHOLDS)

        assessment = await own_answer(services["dti-scoring"], f"/v1/dti/assessments/{pilot_flow.assessments[commune]}")
        assert dti_standing(dashboard["dti"]) == expected_standing(assessment, ranking), commune


async def test_the_overview_agrees_with_the_services_own_answers(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    overview = await consistent(gateway, "/v1/overview")
    ledger = await own_answer(services["campaign-ledger"], f"/v1/campaigns/{pilot_flow.campaign_id}")
    assert overview["campaign"] == {"campaigns": 1, **pick(ledger, TOTALS_FIELDS)}

    registry = services["household-registry"]
    province = await own_answer(registry, "/v1/poverty", unit_code=PROVINCE, year=YEAR)
    assert pick(overview["poverty"]["province"], POVERTY_FIELDS) == pick(province, POVERTY_FIELDS)
    districts = {d["unit_code"]: d for d in overview["poverty"]["districts"]}
    communes = await own_answer(registry, "/v1/units", level="commune")
    for commune in (SONG_CAU, QUANG_THUAN):
        parent = next(unit["parent_code"] for unit in communes if unit["code"] == commune)
        own = await own_answer(registry, "/v1/poverty", unit_code=parent, year=YEAR)
        assert pick(districts[parent], POVERTY_FIELDS) == pick(own, POVERTY_FIELDS), parent
    assert len(districts) == 2

    ranking = await own_answer(services["dti-scoring"], "/v1/dti/rankings", level="commune", year=YEAR)
    assert overview["dti"]["year"] == YEAR
    assert [pick(r, ("rank", "unit_code", "score")) for r in overview["dti"]["ranking"]] == [
        pick(r, ("rank", "unit_code", "score")) for r in ranking
    ]
    assert all(overview["as_of"][source] is not None for source in ("campaign", "household", "dti"))


async def test_poverty_figures_agree_with_the_registry_and_the_hand_count_for_every_unit_and_year(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    for (unit, year), expected in EXPECTED_POVERTY.items():
        composed = await consistent(gateway, "/v1/poverty", unit_code=unit, year=year)
        registry = await own_answer(services["household-registry"], "/v1/poverty", unit_code=unit, year=year)
        assert pick(composed, POVERTY_FIELDS) == pick(registry, POVERTY_FIELDS), (unit, year)
        assert pick(composed, tuple(expected)) == expected, (unit, year)


async def test_dti_rankings_through_the_gateway_are_dti_scorings_own(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    # dti-scoring updates its rankings in the transaction of each write: forwarded, they need no token.
    through = await gateway.read("/v1/dti/rankings", level="commune", year=YEAR)
    own = await own_answer(services["dti-scoring"], "/v1/dti/rankings", level="commune", year=YEAR)
    assert through == own
    assert [entry["unit_code"] for entry in own] == [SONG_CAU, QUANG_THUAN]
    assert {entry["assessment_id"] for entry in own} == set(pilot_flow.assessments.values())


async def test_a_delivered_phone_reaches_the_projected_poverty_of_the_registry_and_the_gateway(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    # campaign-ledger → household-registry → gateway: no write of the flow answers a token for the registry's
    # information-access event, so poll what each says, boundedly.
    delivered = [pilot_flow.households[h.key] for h in HOUSEHOLDS if h.gets_a_phone]

    async def registry_recorded_every_phone() -> bool:
        households = [await gateway.read(f"/v1/households/{household_id}") for household_id in delivered]
        return all(household["information_access"] for household in households)

    async def gateway_applied_every_access() -> bool:
        figures = await gateway.read("/v1/poverty", unit_code=PROVINCE, year=YEAR)
        return bool(figures["households_with_information_access"] == len(delivered))

    await eventually(registry_recorded_every_phone, within=CASCADE_SECONDS, what="the registry recording every phone")
    await eventually(gateway_applied_every_access, within=CASCADE_SECONDS, what="the gateway applying every access")

    for unit, expected in EXPECTED_PROJECTED_2023.items():
        composed = await gateway.read("/v1/poverty", unit_code=unit, year=YEAR)
        registry = await own_answer(services["household-registry"], "/v1/poverty", unit_code=unit, year=YEAR)
        assert pick(composed["projected"], PROJECTED_FIELDS) == pick(registry["projected"], PROJECTED_FIELDS), unit
        assert pick(composed["projected"], tuple(expected)) == expected, unit
        assert pick(composed, POVERTY_FIELDS) == pick(registry, POVERTY_FIELDS), "the official figures do not move"


async def test_the_contracts_ethnic_minority_figures_and_targets_agree_with_the_registry(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    # DESIGN.md §6 names these fields in GET /v1/poverty; the registry answers them.
    for unit in (SONG_CAU, QUANG_THUAN, PROVINCE):
        composed = await consistent(gateway, "/v1/poverty", unit_code=unit, year=YEAR)
        registry = await own_answer(services["household-registry"], "/v1/poverty", unit_code=unit, year=YEAR)
        assert pick(composed, CONTRACT_ONLY_IN_THE_REGISTRY) == pick(registry, CONTRACT_ONLY_IN_THE_REGISTRY), unit


async def test_a_household_never_registered_cannot_receive_a_phone(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    path = f"/v1/campaigns/{pilot_flow.campaign_id}"
    before = await own_answer(services["campaign-ledger"], path)
    stranger = "00000000-0000-4000-8000-000000000000"
    answer = await gateway.client.post(
        f"{path}/deliveries",
        json={"commune_code": SONG_CAU, "household_id": stranger},
        headers=gateway.headers(**{"Idempotency-Key": "delivery-stranger"}),
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert stranger in answer.json()["detail"]
    assert await own_answer(services["campaign-ledger"], path) == before


async def test_an_idempotency_key_retry_through_the_gateway_changes_nothing(
    gateway: Gateway, services: dict[str, httpx.AsyncClient], pilot_flow: Flow
) -> None:
    ledger, registry = services["campaign-ledger"], services["household-registry"]
    statement = f"/v1/campaigns/{pilot_flow.campaign_id}"
    before = (await own_answer(ledger, statement), await own_answer(ledger, f"{statement}/journal"))
    poverty_before = await own_answer(registry, "/v1/poverty", unit_code=PROVINCE, year=YEAR)
    poverty_before.pop("as_of")  # the time the registry counted them: every read has its own
    donation, household = DONATIONS[0], HOUSEHOLDS[0]
    retries = {
        f"pledge-{donation.key}": (
            f"{statement}/pledges",
            {"donor": donation.donor, "amount_vnd": donation.pledged_vnd, "phones": donation.pledged_phones},
        ),
        f"household-{household.key}": ("/v1/households", registration(household, 1)),
    }
    for key, (path, body) in retries.items():
        retried = await gateway.client.post(path, json=body, headers=gateway.headers(**{"Idempotency-Key": key}))
        first = gateway.answers[key]
        assert (retried.status_code, retried.json()) == (first.status_code, first.json()), key
        assert retried.headers.get("consistency-token") == first.headers["consistency-token"], key

    assert (await own_answer(ledger, statement), await own_answer(ledger, f"{statement}/journal")) == before
    poverty_after = await own_answer(registry, "/v1/poverty", unit_code=PROVINCE, year=YEAR)
    assert {name: value for name, value in poverty_after.items() if name != "as_of"} == poverty_before
    composed = await consistent(gateway, statement)
    assert pick(composed, tuple(EXPECTED_STATEMENT)) == EXPECTED_STATEMENT


async def test_an_idempotent_replay_is_refused_to_a_caller_without_a_valid_token_or_the_scope(
    gateway: Gateway, pilot_flow: Flow
) -> None:
    # Whoever knows (or guesses) a key and a body must not get the first caller's answer past the scope check.
    donation = DONATIONS[0]
    body = {"donor": donation.donor, "amount_vnd": donation.pledged_vnd, "phones": donation.pledged_phones}
    path = f"/v1/campaigns/{pilot_flow.campaign_id}/pledges"
    key = {"Idempotency-Key": f"pledge-{donation.key}"}
    anonymous = await gateway.client.post(path, json=body, headers=key)
    assert anonymous.status_code == 401, anonymous.text
    reviewer = await gateway.client.post(path, json=body, headers=gateway.headers(reviewer=True, **key))
    assert reviewer.status_code == 403, reviewer.text


async def test_the_openapi_document_has_an_example_for_every_request_body_and_every_route(gateway: Gateway) -> None:
    answer = await gateway.client.get("/openapi.json")
    assert answer.status_code == 200
    document = answer.json()
    assert document["openapi"].startswith("3.1")
    missing = operations_without_examples(document)
    assert not missing, "\n".join(missing)


async def test_the_docs_page_answers_html(gateway: Gateway) -> None:
    answer = await gateway.client.get("/docs")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in answer.text


async def test_an_annual_review_file_imports_through_the_gateway_and_lists_its_bad_rows(
    pilot_flow: Flow, gateway: Gateway
) -> None:
    # Last in the module: the 2024 surveys it records change no figure the tests above compare (2022, 2023).
    first, second, third = list(pilot_flow.households.values())[:3]
    review = (
        "household_id,year,income_per_capita_vnd,deprivations\n"
        f"{first},2024,1200000,telecom_services;information_access_means;health_insurance\n"
        f"{second},2024,2900000,\n"
        f"{third},2024,-5,\n"
    )
    answer = await gateway.client.post(
        "/v1/households/imports",
        content=review.encode(),
        headers=gateway.headers(**{"Content-Type": "text/csv", "Idempotency-Key": "review-2024"}),
    )
    assert answer.status_code == 202, answer.text
    location = answer.headers["location"]

    async def finished() -> bool:
        state = await gateway.read(location)
        return bool(state["status"] in ("completed", "failed"))

    await eventually(finished, within=30, what="the import to finish")
    state = await gateway.read(location)
    assert (state["status"], state["rows_total"], state["rows_failed"]) == ("completed", 3, 1)
    assert state["failures"][0]["row"] == 4
    assert "income" in state["failures"][0]["reason"]
