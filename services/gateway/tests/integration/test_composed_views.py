"""The composed views, built by the gateway's consumers from events on real Kafka into its own PostgreSQL,
agree with totals computed by hand from the same events."""

from typing import Any

import httpx
import pytest

from backan_shared.contracts import household

pytestmark = pytest.mark.infra

CAMPAIGN_ID = "c-pilot-2023"


def expected_statement() -> dict[str, Any]:
    """The scenario's statement by hand: receipt RC-0004 (30,000,000) and delivery DL-0003 are reversed."""
    return {
        "campaign_id": CAMPAIGN_ID,
        "name": "Phổ cập điện thoại thông minh 2023",
        "is_open": True,
        "target_vnd": 750_000_000,
        "target_phones": 400,
        "pledged_vnd": 200_000_000 + 100_000_000,
        "received_vnd": 200_000_000 + 5_000_000,
        "spent_vnd": 95_000_000,
        "cash_vnd": 205_000_000 - 95_000_000,
        "phones_pledged": 50,
        "phones_received": 50,
        "phones_purchased": 50,
        "phones_in_stock": 50 + 50 - 2,
        "phones_allocated": 60 + 20,
        "phones_delivered": 2,
        "by_commune": [
            {"commune_code": "01837", "phones_allocated": 60, "phones_delivered": 2, "phones_in_stock": 58},
            {"commune_code": "02017", "phones_allocated": 20, "phones_delivered": 0, "phones_in_stock": 20},
        ],
        "by_donor": [
            _donor("Tổng Công ty Viễn thông Viettel", "enterprise", pledged_vnd=200_000_000, received_vnd=200_000_000),
            _donor("Anonymous donor", None, received_vnd=5_000_000),
            _donor("Anonymous donor", "individual", pledged_vnd=100_000_000),
            _donor("Công ty CP FPT", "enterprise", pledged_phones=50, received_phones=50),
        ],
        "progress_vnd_percent": 27.33,
        "progress_phones_percent": 0.5,
    }


def _donor(name: str, kind: str | None, **figures: int) -> dict[str, Any]:
    zero = {"pledged_vnd": 0, "pledged_phones": 0, "received_vnd": 0, "received_phones": 0}
    anonymous = name == "Anonymous donor"
    donor_vi = "Nhà hảo tâm ẩn danh" if anonymous else name
    return {"donor": name, "donor_vi": donor_vi, "kind": kind, "anonymous": anonymous, **zero, **figures}


async def test_a_campaign_statement_composed_from_events_equals_the_hand_computed_totals_with_reversals_netted_out(
    gateway: httpx.AsyncClient, reader: dict[str, str], pilot_scenario: Any
) -> None:
    answer = await gateway.get(f"/v1/campaigns/{CAMPAIGN_ID}", headers=reader)
    assert answer.status_code == 200, answer.text
    statement = answer.json()
    last_campaign_event = pilot_scenario.events["campaign"][-1]
    assert statement.pop("as_of") == last_campaign_event.time.isoformat().replace("+00:00", "Z")
    assert statement == expected_statement()


async def test_the_dashboard_of_a_pilot_commune_composes_its_dti_rank_campaign_phones_and_poverty(
    gateway: httpx.AsyncClient, reader: dict[str, str], pilot_scenario: Any
) -> None:
    dashboard = (await gateway.get("/v1/communes/01837/dashboard", headers=reader)).json()
    assert dashboard["unit"] == {
        "code": "01837",
        "name": "Phường Sông Cầu",
        "level": "commune",
        "parent_code": "058",
        "pilot": True,
    }
    assert {k: dashboard["dti"][k] for k in ("year", "score", "rank", "ranked_units")} == {
        "year": 2023,
        "score": 569.8,
        "rank": 1,
        "ranked_units": 3,
    }
    assert dashboard["campaign"] == {
        "campaigns": 1,
        "phones_allocated": 60,
        "phones_delivered": 2,
        "phones_in_stock": 58,
    }
    poverty = dashboard["poverty"]
    # 2023: hh-1 and hh-2 poor, hh-3 corrected to not poor, hh-4 not poor; 2022: 2 poor of 3 (66.67 %).
    assert {k: poverty[k] for k in ("year", "households", "poor", "near_poor", "poverty_rate", "reduction_pp")} == {
        "year": 2023,
        "households": 4,
        "poor": 2,
        "near_poor": 0,
        "poverty_rate": 50.0,
        "reduction_pp": 16.67,
    }
    # hh-1's phone (information access after its 2023 survey) projects it near-poor.
    assert poverty["projected"] == {
        "poor": 1,
        "near_poor": 1,
        "poverty_rate": 25.0,
        "near_poverty_rate": 25.0,
        "ethnic_minority_poverty_rate": 0.0,
        "reduction_pp": 41.67,
    }
    # hh-1, hh-3 and hh-4 are ethnic-minority households, hh-1 poor: the registry's figures say so.
    assert (poverty["ethnic_minority_households"], poverty["ethnic_minority_poverty_rate"]) == (3, 33.33)
    assert poverty["registered_households"] == 4 and poverty["households_with_information_access"] == 1
    assert set(dashboard["as_of"]) == {"campaign", "household", "dti"}
    assert all(dashboard["as_of"].values())


async def test_the_overview_shows_campaign_totals_province_poverty_and_commune_ranks_with_ties_sharing_a_rank(
    gateway: httpx.AsyncClient, reader: dict[str, str], pilot_scenario: Any
) -> None:
    overview = (await gateway.get("/v1/overview", headers=reader)).json()
    statement = expected_statement()
    assert overview["campaign"] == {"campaigns": 1} | {
        k: statement[k] for k in overview["campaign"] if k != "campaigns"
    }
    province = overview["poverty"]["province"]
    assert (province["unit_code"], province["households"], province["poor"], province["poverty_rate"]) == (
        "06",
        5,
        3,
        60.0,
    )
    assert [d["unit_code"] for d in overview["poverty"]["districts"]] == ["058", "063"]
    ranking = [(r["rank"], r["unit_code"], r["score"]) for r in overview["dti"]["ranking"]]
    assert ranking == [(1, "01837", 569.8), (2, "01912", 480.0), (2, "02017", 480.0)], "02122 was reopened"


async def test_poverty_figures_of_a_commune_district_and_province_count_their_communes(
    gateway: httpx.AsyncClient, reader: dict[str, str], pilot_scenario: Any
) -> None:
    async def poor(unit_code: str, year: int) -> tuple[int, int]:
        figures = (await gateway.get(f"/v1/poverty?unit_code={unit_code}&year={year}", headers=reader)).json()
        return figures["households"], figures["poor"]

    assert await poor("01837", 2022) == (3, 2)
    assert await poor("063", 2023) == (1, 1)
    assert await poor("06", 2023) == (5, 3)
    missing = await gateway.get("/v1/poverty?unit_code=99999", headers=reader)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_the_views_refuse_a_caller_without_the_read_scope(gateway: httpx.AsyncClient, token: Any) -> None:
    for path in (
        "/v1/overview",
        "/v1/communes/01837/dashboard",
        f"/v1/campaigns/{CAMPAIGN_ID}",
        "/v1/poverty?unit_code=06",
    ):
        assert (await gateway.get(path)).status_code == 401
        refused = await gateway.get(path, headers={"Authorization": f"Bearer {token('campaign:write')}"})
        assert refused.status_code == 403
        assert "'read'" in refused.json()["detail"]


async def test_the_poverty_view_shows_the_ethnic_minority_figures_and_target_the_registry_published(
    gateway: httpx.AsyncClient, reader: dict[str, str], pilot_scenario: Any
) -> None:
    answer = await gateway.get("/v1/poverty?unit_code=06&year=2023", headers=reader)
    assert answer.status_code == 200, answer.text
    province = answer.json()
    # hh-1, hh-3, hh-4 and hh-5 are ethnic-minority households; hh-1 and hh-5 are poor (50 %, as in 2022).
    assert {k: province[k] for k in EM_FIELDS} == {
        "ethnic_minority_households": 4,
        "ethnic_minority_poor": 2,
        "ethnic_minority_poverty_rate": 50.0,
        "ethnic_minority_reduction_pp": 0.0,
        "ethnic_minority_on_target": False,
    }
    assert (province["reduction_pp"], province["on_target"]) == (6.67, True)
    assert province["target"] == {
        "version": "backan-2021-2025",
        "basis": "province_average",
        "reduction": {"min_pp": 2.0, "max_pp": 2.5},
        "ethnic_minority_reduction": {"min_pp": 3.0, "max_pp": None},
        "poverty_rate_at_most": 22.31,
    }
    assert province["projected"]["ethnic_minority_poverty_rate"] == 25.0
    assert (province["registered_households"], province["households_with_information_access"]) == (5, 1)
    overview = (await gateway.get("/v1/overview", headers=reader)).json()
    assert {k: overview["poverty"]["province"][k] for k in EM_FIELDS} == {k: province[k] for k in EM_FIELDS}


async def test_figures_of_an_older_revision_arriving_late_change_nothing(
    gateway: httpx.AsyncClient,
    reader: dict[str, str],
    pilot_scenario: Any,
    publish: Any,
    applied: Any,
    make_event: Any,
    registry_figures: Any,
) -> None:
    path = "/v1/communes/01837/dashboard"
    before = (await gateway.get(path, headers=reader)).json()["poverty"]
    stale = next(f for f in registry_figures(revision=1) if (f.unit_code, f.year) == ("01837", 2023))
    late = make_event(stale, household.POVERTY_STATISTICS_UPDATED, "household-registry", "01837")
    await publish("household", late)
    await applied("household", [late])
    after = (await gateway.get(path, headers=reader)).json()["poverty"]
    assert after.pop("as_of") > before.pop("as_of"), "the late event was applied"
    assert after == before and after["near_poor"] == 0, "revision 2 (after the correction) stays"


EM_FIELDS = (
    "ethnic_minority_households",
    "ethnic_minority_poor",
    "ethnic_minority_poverty_rate",
    "ethnic_minority_reduction_pp",
    "ethnic_minority_on_target",
)
