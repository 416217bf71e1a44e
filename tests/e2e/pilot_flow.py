"""The pilot scenario the end-to-end tests drive through the gateway, and the gateway client that drives it.

Two pilot communes (Phường Sông Cầu, urban, and Xã Quang Thuận, rural), six households reviewed in 2022 and
2023, a campaign for the eight pilot communes with five gifts (one from a donor who asked for anonymity, one
with no pledge), a purchase, two allocations, four phones handed to poor and near-poor households, and a
finalised 2023 DTI assessment of each commune: an officer submits, a reviewer from the province reviews and
finalises.

The figures the services and the gateway must agree on are also worked out by hand here (`EXPECTED_*`), so an
agreement on a wrong figure is caught as well.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import httpx

from harness.demo.dti_values import indicator_value
from harness.demo.places import PILOT_COMMUNES

SONG_CAU, QUANG_THUAN = "01837", "02017"
PROVINCE = "06"
YEAR = 2023
INFORMATION = ("telecom_services", "information_access_means")
INDICATORS_PER_ASSESSMENT = 6


@dataclass(frozen=True)
class Survey:
    income_per_capita_vnd: int
    deprivations: tuple[str, ...]
    classification: str  # what the standard gives: income at or below the line and ≥ 3 deprivations is poor


@dataclass(frozen=True)
class Household:
    key: str
    commune: str
    area: str
    ethnic_minority: bool
    members: int
    surveys: dict[int, Survey]
    gets_a_phone: bool


HOUSEHOLDS = (
    Household(
        "sc-1", SONG_CAU, "urban", ethnic_minority=True, members=5, gets_a_phone=True,
        surveys={
            2022: Survey(1_600_000, (*INFORMATION, "housing_quality"), "poor"),
            2023: Survey(1_700_000, (*INFORMATION, "housing_quality"), "poor"),
        },
    ),
    Household(
        "sc-2", SONG_CAU, "urban", ethnic_minority=False, members=3, gets_a_phone=False,
        surveys={2022: Survey(1_800_000, ("employment",), "near_poor"), 2023: Survey(2_600_000, (), "not_poor")},
    ),
    Household(
        "sc-3", SONG_CAU, "urban", ethnic_minority=True, members=6, gets_a_phone=True,
        surveys={2023: Survey(1_200_000, (*INFORMATION, "nutrition", "domestic_water"), "poor")},
    ),
    Household(
        "qt-1", QUANG_THUAN, "rural", ethnic_minority=True, members=7, gets_a_phone=True,
        surveys={
            2022: Survey(900_000, (*INFORMATION, "hygienic_latrine", "floor_area_per_person"), "poor"),
            2023: Survey(1_000_000, (*INFORMATION, "hygienic_latrine", "floor_area_per_person"), "poor"),
        },
    ),
    Household(
        "qt-2", QUANG_THUAN, "rural", ethnic_minority=True, members=4, gets_a_phone=True,
        surveys={
            2022: Survey(1_100_000, ("dependants", "nutrition", "adult_education"), "poor"),
            2023: Survey(1_400_000, ("dependants",), "near_poor"),
        },
    ),
    Household(
        "qt-3", QUANG_THUAN, "rural", ethnic_minority=False, members=2, gets_a_phone=False,
        surveys={2023: Survey(1_800_000, (), "not_poor")},
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Donation:
    key: str
    donor: dict[str, Any]
    reference: str  # the bank transfer or delivery-note number of the receipt
    pledged_vnd: int = 0
    pledged_phones: int = 0
    received_vnd: int = 0
    received_phones: int = 0
    pledged: bool = True


ANONYMOUS_INDIVIDUAL = {"name": "", "kind": "individual", "anonymous": True}
DONATIONS = (
    Donation(
        "viettel", {"name": "Tổng Công ty Viễn thông Viettel", "kind": "enterprise"}, "FT23081100001",
        pledged_vnd=20_000_000, received_vnd=20_000_000,
    ),
    Donation(
        "fpt", {"name": "Công ty Cổ phần FPT", "kind": "enterprise"}, "PXK-2023-00002",
        pledged_phones=5, received_phones=5,
    ),
    Donation(
        "red-cross", {"name": "Hội Chữ thập đỏ tỉnh Bắc Kạn", "kind": "organisation"}, "FT23081500003",
        pledged_vnd=10_000_000, received_vnd=6_000_000,
    ),
    Donation("anonymous", ANONYMOUS_INDIVIDUAL, "FT23081600004", pledged_vnd=3_000_000, received_vnd=3_000_000),
    # a gift with no pledge, as the contract's own example of a receipt has it
    Donation("walk-in", ANONYMOUS_INDIVIDUAL, "FT23081900005", received_vnd=500_000, pledged=False),
)  # fmt: skip
PHONE_PRICE_VND = 1_900_000
PURCHASED_PHONES = 10
ALLOCATIONS = {SONG_CAU: 8, QUANG_THUAN: 6}
CAMPAIGN = {
    "name": "Phổ cập điện thoại thông minh cho hộ nghèo, cận nghèo 2023",
    "target_vnd": 750_000_000,
    "target_phones": 400,
    "commune_codes": [commune.code for commune in PILOT_COMMUNES],
    "start_date": "2023-08-11",
    "end_date": "2023-12-31",
}
DTI_STRENGTH = {SONG_CAU: 0.92, QUANG_THUAN: 0.55}


def _expected_statement() -> dict[str, Any]:
    pledged_vnd = sum(d.pledged_vnd for d in DONATIONS)
    received_vnd = sum(d.received_vnd for d in DONATIONS)
    received_phones = sum(d.received_phones for d in DONATIONS)
    spent_vnd = PURCHASED_PHONES * PHONE_PRICE_VND
    delivered = {commune: sum(h.gets_a_phone for h in HOUSEHOLDS if h.commune == commune) for commune in ALLOCATIONS}
    return {
        "pledged_vnd": pledged_vnd,
        "received_vnd": received_vnd,
        "spent_vnd": spent_vnd,
        "cash_vnd": received_vnd - spent_vnd,
        "phones_pledged": sum(d.pledged_phones for d in DONATIONS),
        "phones_received": received_phones,
        "phones_purchased": PURCHASED_PHONES,
        "phones_in_stock": received_phones + PURCHASED_PHONES - sum(delivered.values()),
        "phones_allocated": sum(ALLOCATIONS.values()),
        "phones_delivered": sum(delivered.values()),
        "by_commune": [
            {
                "commune_code": commune.code,
                "phones_allocated": ALLOCATIONS.get(commune.code, 0),
                "phones_delivered": delivered.get(commune.code, 0),
                "phones_in_stock": ALLOCATIONS.get(commune.code, 0) - delivered.get(commune.code, 0),
            }
            for commune in PILOT_COMMUNES
        ],
    }


EXPECTED_STATEMENT = _expected_statement()


@dataclass
class Gateway:
    """Another government system's view of backan-dx: one base URL, a bearer token per caller.

    Every write carries an Idempotency-Key; the Consistency-Token of each write is kept per aggregate, since one
    aggregate's events stay in order on one partition while different aggregates' events may be applied in any
    order: only the newest token of every aggregate says the views include every write.
    """

    client: httpx.AsyncClient
    officer: str
    reviewer: str
    tokens: dict[str, str] = field(default_factory=dict)  # aggregate → its newest write's Consistency-Token
    answers: dict[str, httpx.Response] = field(default_factory=dict)  # idempotency key → the write's answer

    def headers(self, *, reviewer: bool = False, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.reviewer if reviewer else self.officer}", **extra}

    async def write(self, path: str, body: Any, key: str, aggregate: str, *, reviewer: bool = False) -> Any:
        """POST through the gateway; a refusal fails the flow with the gateway's problem."""
        answer = await self.client.post(
            path, json=body, headers=self.headers(reviewer=reviewer, **{"Idempotency-Key": key})
        )
        assert answer.status_code in (200, 201), f"POST {path} ({key}): {answer.status_code} {answer.text}"
        token = answer.headers.get("consistency-token")
        assert token, f"POST {path} ({key}) answered without a Consistency-Token"
        self.tokens[aggregate] = token
        self.answers[key] = answer
        return answer.json()

    async def read(self, path: str, **params: Any) -> Any:
        answer = await self.client.get(path, params=params, headers=self.headers())
        assert answer.status_code == 200, f"GET {path}: {answer.status_code} {answer.text}"
        return answer.json()


@dataclass
class Flow:
    """What the pilot flow made: ids by scenario key, and how the gateway answered."""

    campaign_id: str = ""
    households: dict[str, str] = field(default_factory=dict)  # scenario key → pseudonymous household id
    classifications: dict[tuple[str, int], str] = field(default_factory=dict)  # (key, year) → registry's answer
    assessments: dict[str, str] = field(default_factory=dict)  # commune → assessment id


async def register_households(gateway: Gateway, flow: Flow) -> None:
    """Register every household, then record its surveys year by year."""
    for number, household in enumerate(HOUSEHOLDS, start=1):
        created = await gateway.write(
            "/v1/households",
            registration(household, number),
            f"household-{household.key}",
            f"household:{household.key}",
        )
        flow.households[household.key] = created["household_id"]
        await _survey(gateway, flow, household)


def registration(household: Household, number: int) -> dict[str, Any]:
    """The registration of a household: the head's personal data goes to the registry and nowhere else."""
    return {
        "commune_code": household.commune,
        "area": household.area,
        "ethnic_minority": household.ethnic_minority,
        "members": household.members,
        "head": {"full_name": f"Hoàng Văn {household.key.upper()}", "national_id": f"0061900{number:05d}"},
    }


async def _survey(gateway: Gateway, flow: Flow, household: Household) -> None:
    household_id = flow.households[household.key]
    for year, survey in sorted(household.surveys.items()):
        body = {"year": year, "income_per_capita_vnd": survey.income_per_capita_vnd}
        answer = await gateway.write(
            f"/v1/households/{household_id}/surveys",
            body | {"deprivations": list(survey.deprivations)},
            f"survey-{household.key}-{year}",
            f"household:{household.key}",
        )
        flow.classifications[(household.key, year)] = answer["classification"]


async def run_campaign(gateway: Gateway, flow: Flow) -> None:
    """Open the campaign, take pledges and receipts, buy phones and allocate them to the two communes."""
    opened = await gateway.write("/v1/campaigns", CAMPAIGN, "campaign-2023", "campaign")
    flow.campaign_id = opened["campaign_id"]
    campaign = f"/v1/campaigns/{flow.campaign_id}"
    for donation in DONATIONS:
        await _donate(gateway, campaign, donation)
    await gateway.write(
        f"{campaign}/purchases",
        {
            "amount_vnd": PURCHASED_PHONES * PHONE_PRICE_VND,
            "phones": PURCHASED_PHONES,
            "supplier": "Viettel Store Bắc Kạn",
        },
        "purchase-1",
        "campaign",
    )
    for commune, phones in ALLOCATIONS.items():
        await gateway.write(
            f"{campaign}/allocations", {"commune_code": commune, "phones": phones}, f"allocation-{commune}", "campaign"
        )


async def _donate(gateway: Gateway, campaign: str, donation: Donation) -> None:
    receipt: dict[str, Any] = {
        "amount_vnd": donation.received_vnd,
        "phones": donation.received_phones,
        "reference": donation.reference,
    }
    if donation.pledged:
        pledge = await gateway.write(
            f"{campaign}/pledges",
            {"donor": donation.donor, "amount_vnd": donation.pledged_vnd, "phones": donation.pledged_phones},
            f"pledge-{donation.key}",
            "campaign",
        )
        receipt["pledge_id"] = pledge["pledge_id"]
    else:
        receipt["donor"] = donation.donor
    await gateway.write(f"{campaign}/receipts", receipt, f"receipt-{donation.key}", "campaign")


async def deliver_phones(gateway: Gateway, flow: Flow) -> None:
    """Hand a phone to each poor or near-poor household the campaign chose."""
    for household in HOUSEHOLDS:
        if household.gets_a_phone:
            await gateway.write(
                f"/v1/campaigns/{flow.campaign_id}/deliveries",
                {"commune_code": household.commune, "household_id": flow.households[household.key]},
                f"delivery-{household.key}",
                "campaign",
            )


async def assess_communes(gateway: Gateway, flow: Flow) -> None:
    """The 2023 DTI of each commune: the officer submits, the reviewer approves all but one, then finalises."""
    framework = await gateway.read("/v1/dti/frameworks/current", level="commune", year=YEAR)
    indicators = framework["indicators"][:INDICATORS_PER_ASSESSMENT]
    for commune, strength in DTI_STRENGTH.items():
        opened = await gateway.write(
            "/v1/dti/assessments", {"unit_code": commune, "level": "commune", "year": YEAR}, f"dti-{commune}", commune
        )
        assessment = flow.assessments[commune] = opened["assessment_id"]
        rng = random.Random(f"e2e-{commune}")
        for number, indicator in enumerate(indicators):
            await _submit_and_review(
                gateway, assessment, commune, indicator, indicator_value(indicator, strength, rng), number == 0
            )
        await gateway.write(
            f"/v1/dti/assessments/{assessment}/finalize", None, f"dti-finalise-{commune}", commune, reviewer=True
        )


async def _submit_and_review(
    gateway: Gateway, assessment: str, commune: str, indicator: dict[str, Any], value: Any, reject: bool
) -> None:
    code = indicator["code"]
    submitted = await gateway.write(
        f"/v1/dti/assessments/{assessment}/submissions",
        {"indicator_code": code, "value": value, "evidence_url": f"Báo cáo chuyển đổi số {YEAR} ({commune})"},
        f"dti-{commune}-{code}",
        commune,
    )
    review = (
        {"approved": False, "reason": "the evidence does not cover the whole year"} if reject else {"approved": True}
    )
    await gateway.write(
        f"/v1/dti/assessments/{assessment}/submissions/{submitted['submission_id']}/review",
        review,
        f"dti-review-{commune}-{code}",
        commune,
        reviewer=True,
    )
