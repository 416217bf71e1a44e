"""Loads the demo scenario through the gateway, as another government system would.

Every write carries an Idempotency-Key derived from the scenario, so loading twice (a second `./dx up`)
changes nothing: the gateway replays the first answers. On a system that already holds a user's own data, a
demo record that would clash with it (an assessment of a pilot commune for the same year, a household whose
head's national ID is registered) is skipped with what depends on it, and the loader says what it skipped.
"""

from __future__ import annotations

import asyncio
import random
import sys
from dataclasses import dataclass
from typing import Any

import httpx

from backan_shared.consistency import parse_consistency_token
from harness.demo.dti_values import indicator_value
from harness.demo.places import PILOT_COMMUNES, PilotCommune
from harness.demo.scenario import SEED, DemoHousehold, Scenario, build_scenario

PHONE_PRICE_VND = 1_900_000
PHONES_PER_COMMUNE = 50
SUPPLIERS = ("Cửa hàng Thế Giới Di Động Bắc Kạn", "Viettel Store Bắc Kạn", "FPT Shop Bắc Kạn")


class DemoLoadError(RuntimeError):
    """The gateway refused part of the scenario."""


class DemoClash(DemoLoadError):
    """A demo record clashes with data already in the system (HTTP 409): the demo leaves that data alone."""


@dataclass(frozen=True)
class Tokens:
    officer: str
    reviewer: str


class Gateway:
    def __init__(self, client: httpx.AsyncClient, tokens: Tokens):
        self._client = client
        self._tokens = tokens
        # The newest write's token per aggregate: aggregates sit on different partitions, so one token per
        # source would prove nothing about the others.
        self.consistency_tokens: dict[str, str] = {}
        self.skipped: list[str] = []

    async def post(self, path: str, body: dict[str, Any] | None, key: str, *, reviewer: bool = False) -> Any:
        token = self._tokens.reviewer if reviewer else self._tokens.officer
        answer = await self._client.post(
            path, json=body, headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"demo-{SEED}-{key}"}
        )
        if answer.status_code == 409:
            raise DemoClash(answer.json().get("detail", answer.text[:400]))
        if answer.status_code >= 400:
            raise DemoLoadError(f"POST {path} ({key}) answered {answer.status_code}: {answer.text[:400]}")
        token = answer.headers.get("consistency-token")
        if token:
            parse_consistency_token(token)
            self.consistency_tokens[_aggregate_of(path, answer.json())] = token
        return answer.json()

    async def wait_until_visible(self) -> None:
        """Read the overview once per source with its newest write's token: the gateway answers when its
        composed views include that write, so the scenario is visible the moment loading returns."""
        for token in self.consistency_tokens.values():
            for _ in range(12):  # each read waits up to the gateway's bound; a busy machine may need a few
                answer = await self._client.get(
                    "/v1/overview",
                    headers={"Authorization": f"Bearer {self._tokens.officer}", "Consistency-Token": token},
                )
                if answer.status_code != 504:
                    break
            if answer.status_code != 200:
                raise DemoLoadError(f"the gateway's views did not catch up: {answer.status_code} {answer.text[:300]}")

    async def get(self, path: str, **params: Any) -> Any:
        answer = await self._client.get(
            path, params=params, headers={"Authorization": f"Bearer {self._tokens.officer}"}
        )
        if answer.status_code >= 400:
            raise DemoLoadError(f"GET {path} answered {answer.status_code}: {answer.text[:400]}")
        return answer.json()


def _aggregate_of(path: str, body: Any) -> str:
    """The aggregate a write went to: /v1/households/{id}…, /v1/campaigns/{id}…, /v1/dti/assessments/{id}…"""
    parts = path.strip("/").split("/")
    depth = 4 if parts[1] == "dti" else 3
    if len(parts) >= depth:
        return "/".join(parts[:depth])
    created = next((v for k, v in body.items() if k.endswith("_id")), "") if isinstance(body, dict) else ""
    return "/".join([*parts, str(created)])


def _progress(what: str, done: int, total: int) -> None:
    if done == total or done % 50 == 0:
        print(f"    {what}: {done}/{total}", file=sys.stderr, flush=True)


async def _register(gateway: Gateway, household: DemoHousehold) -> str:
    head = {"full_name": household.head.full_name, "national_id": household.head.national_id}
    if household.head.phone:
        head["phone"] = household.head.phone
    created = await gateway.post(
        "/v1/households",
        {
            "commune_code": household.commune.code,
            "area": household.commune.area,
            "ethnic_minority": household.ethnic_minority,
            "members": household.members,
            "head": head,
        },
        f"household-{household.key}",
    )
    household_id: str = created["household_id"]
    for survey in household.surveys:
        await gateway.post(
            f"/v1/households/{household_id}/surveys",
            {
                "year": survey.year,
                "income_per_capita_vnd": survey.income_per_capita_vnd,
                "deprivations": list(survey.deprivations),
            },
            f"survey-{household.key}-{survey.year}",
        )
    return household_id


async def load_households(gateway: Gateway, scenario: Scenario) -> dict[str, str]:
    """Register and survey every household; return scenario key → pseudonymous household id."""
    ids: dict[str, str] = {}
    for number, household in enumerate(scenario.households, start=1):
        try:
            ids[household.key] = await _register(gateway, household)
        except DemoClash as clash:
            gateway.skipped.append(f"demo household {household.key} in {household.commune.name}: {clash}")
        _progress("households registered and surveyed", number, len(scenario.households))
    return ids


async def load_campaign(gateway: Gateway, scenario: Scenario, household_ids: dict[str, str]) -> str:
    """The 2023 campaign: pledges received in full, phones bought, 50 allocated per commune, handed out."""
    created = await gateway.post(
        "/v1/campaigns",
        {
            "name": "Phổ cập điện thoại thông minh cho hộ nghèo, cận nghèo 2023",
            "target_vnd": 750_000_000,
            "target_phones": 400,
            "commune_codes": [c.code for c in PILOT_COMMUNES],
            "start_date": "2023-08-11",
            "end_date": "2023-12-31",
        },
        "campaign-2023",
    )
    campaign = f"/v1/campaigns/{created['campaign_id']}"
    await _donations(gateway, campaign, scenario)
    await _purchases(gateway, campaign, scenario)
    for commune in PILOT_COMMUNES:
        await gateway.post(
            f"{campaign}/allocations",
            {"commune_code": commune.code, "phones": PHONES_PER_COMMUNE},
            f"allocation-{commune.code}",
        )
    await _deliveries(gateway, campaign, scenario, household_ids)
    return str(created["campaign_id"])


async def _donations(gateway: Gateway, campaign: str, scenario: Scenario) -> None:
    for number, donation in enumerate(scenario.donations, start=1):
        donor = {"name": donation.donor_name, "kind": donation.donor_kind, "anonymous": donation.anonymous}
        pledge = await gateway.post(
            f"{campaign}/pledges",
            {"donor": donor, "amount_vnd": donation.amount_vnd, "phones": donation.phones},
            f"pledge-{donation.key}",
        )
        prefix = "PXK-2023-" if donation.phones else "FT2308"
        await gateway.post(
            f"{campaign}/receipts",
            {
                "pledge_id": pledge["pledge_id"],
                "amount_vnd": donation.amount_vnd,
                "phones": donation.phones,
                "reference": f"{prefix}{number:05d}",
            },
            f"receipt-{donation.key}",
        )
        _progress("donations pledged and received", number, len(scenario.donations))


async def _purchases(gateway: Gateway, campaign: str, scenario: Scenario) -> None:
    in_kind = sum(d.phones for d in scenario.donations)
    to_buy = PHONES_PER_COMMUNE * len(PILOT_COMMUNES) - in_kind
    batch = 0
    while to_buy > 0:
        phones = min(50, to_buy)
        await gateway.post(
            f"{campaign}/purchases",
            {"amount_vnd": phones * PHONE_PRICE_VND, "phones": phones, "supplier": SUPPLIERS[batch % len(SUPPLIERS)]},
            f"purchase-{batch}",
        )
        to_buy -= phones
        batch += 1


async def _deliveries(gateway: Gateway, campaign: str, scenario: Scenario, household_ids: dict[str, str]) -> None:
    """Poor and near-poor households first, as the campaign decided, up to each commune's allocation."""
    eligible = [
        h
        for h in scenario.households
        if h.surveys[-1].classification in ("poor", "near_poor") and h.key in household_ids
    ]
    for number, household in enumerate(eligible, start=1):
        await gateway.post(
            f"{campaign}/deliveries",
            {"commune_code": household.commune.code, "household_id": household_ids[household.key]},
            f"delivery-{household.key}",
        )
        _progress("phones delivered", number, len(eligible))


async def load_dti(gateway: Gateway, year: int = 2023) -> None:
    """A finalised assessment per pilot commune: every indicator submitted by the commune, approved by the
    province's reviewer, then finalised."""
    framework = await gateway.get("/v1/dti/frameworks/current", level="commune", year=year)
    indicators = framework["indicators"]
    for number, commune in enumerate(PILOT_COMMUNES, start=1):
        await _assess(gateway, commune, indicators, year)
        _progress("DTI assessments finalised", number, len(PILOT_COMMUNES))


async def _assess(gateway: Gateway, commune: PilotCommune, indicators: list[dict[str, Any]], year: int) -> None:
    rng = random.Random(f"{SEED}-{commune.code}-{year}")
    try:
        opened = await gateway.post(
            "/v1/dti/assessments",
            {"unit_code": commune.code, "level": "commune", "year": year},
            f"dti-{commune.code}-{year}",
        )
    except DemoClash as clash:
        gateway.skipped.append(f"the demo's DTI assessment of {commune.name} for {year}: {clash}")
        return
    assessment = f"/v1/dti/assessments/{opened['assessment_id']}"
    for indicator in indicators:
        value = indicator_value(indicator, commune.dti_strength, rng)
        submitted = await gateway.post(
            f"{assessment}/submissions",
            {
                "indicator_code": indicator["code"],
                "value": value,
                "evidence_url": f"Báo cáo chuyển đổi số {year} – {commune.name}",
            },
            f"dti-{commune.code}-{year}-{indicator['code']}",
        )
        await gateway.post(
            f"{assessment}/submissions/{submitted['submission_id']}/review",
            {"approved": True, "reason": ""},
            f"dti-review-{commune.code}-{year}-{indicator['code']}",
            reviewer=True,
        )
    await gateway.post(f"{assessment}/finalize", None, f"dti-finalise-{commune.code}-{year}", reviewer=True)


@dataclass(frozen=True)
class DemoLoaded:
    """What loading the demo did: its campaign, and what it skipped because the system's own data was there."""

    campaign_id: str
    skipped: list[str]


async def load_demo(gateway_url: str, tokens: Tokens) -> DemoLoaded:
    """Load the whole scenario."""
    scenario = build_scenario()
    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as client:
        gateway = Gateway(client, tokens)
        household_ids = await load_households(gateway, scenario)
        campaign_id = await load_campaign(gateway, scenario, household_ids)
        await load_dti(gateway)
        await gateway.wait_until_visible()
    return DemoLoaded(campaign_id, gateway.skipped)


def run(gateway_url: str, tokens: Tokens) -> DemoLoaded:
    return asyncio.run(load_demo(gateway_url, tokens))
