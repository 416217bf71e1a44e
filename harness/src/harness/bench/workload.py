"""What the bench asks of the system: households of the pilot communes, registered in bulk, and the surveys of
their annual reviews (rà soát hộ nghèo), one per household and year, as a commune officer records them.

Surveys are handed out year by year across every household, as a review round goes, so concurrent clients
write to different households (never racing for one stream's next version).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import httpx

from harness.bench.clients import Endpoint, client
from harness.demo.people import make_head
from harness.demo.places import PILOT_COMMUNES
from household_registry.domain.poverty_standard import Area, PovertyStandard
from household_registry.reference.standards import load_poverty_standards

REGISTERING_CLIENTS = 32


@dataclass(frozen=True)
class Household:
    """A household the bench registered."""

    household_id: str
    commune_code: str
    area: Area


@dataclass(frozen=True)
class Survey:
    """One survey to record: its household and its body."""

    household: Household
    body: dict[str, Any]

    @property
    def path(self) -> str:
        return f"/v1/households/{self.household.household_id}/surveys"


def review_years() -> list[int]:
    """Every year a poverty standard of the registry covers: the years a survey can be recorded for."""
    standards = [load_poverty_standards().get(version) for version in load_poverty_standards().versions()]
    return sorted({year for s in standards for year in range(s.valid_from_year, s.valid_to_year + 1)})


def household_body(number: int, rng: random.Random) -> dict[str, Any]:
    """A registration in a pilot commune; the national ID is unique by construction (006 is Bắc Kạn)."""
    commune = rng.choice(PILOT_COMMUNES)
    head = replace(make_head(rng), national_id=f"006{number:09d}")
    return {
        "commune_code": commune.code,
        "area": commune.area,
        "ethnic_minority": rng.random() < 0.85,
        "members": rng.randint(1, 8),
        "head": {"full_name": head.full_name, "national_id": head.national_id, "phone": head.phone},
    }


def survey_body(year: int, area: Area, rng: random.Random) -> dict[str, Any]:
    """A survey around the income line of the year's standard, with up to five deprivations."""
    standard: PovertyStandard = load_poverty_standards().in_force(year)
    line = standard.poverty_lines.for_area(area)
    codes = sorted(indicator.code for indicator in standard.indicators)
    income = max(0, line + rng.randrange(-700_000, 1_500_000, 10_000))
    return {"year": year, "income_per_capita_vnd": income, "deprivations": rng.sample(codes, rng.randint(0, 5))}


async def register_households(endpoint: Endpoint, count: int, *, seed: int = 2023) -> list[Household]:
    """Register `count` households through `endpoint`, 32 at a time; each one refused raises."""
    rng = random.Random(seed)
    bodies = [household_body(number, rng) for number in range(count)]
    async with client(endpoint, REGISTERING_CLIENTS) as http:
        gate = asyncio.Semaphore(REGISTERING_CLIENTS)
        return list(await asyncio.gather(*(_register(http, gate, body) for body in bodies)))


async def _register(http: httpx.AsyncClient, gate: asyncio.Semaphore, body: dict[str, Any]) -> Household:
    async with gate:
        answer = await http.post("/v1/households", json=body)
    if answer.status_code != 201:
        raise RuntimeError(f"registering a household answered {answer.status_code}: {answer.text[:300]}")
    return Household(answer.json()["household_id"], body["commune_code"], Area(body["area"]))


def annual_reviews(households: list[Household], *, seed: int = 2024) -> Iterator[Survey]:
    """Every household's survey of the first review year, then of the next, until the years run out."""
    rng = random.Random(seed)
    for year in review_years():
        for household in households:
            yield Survey(household, survey_body(year, household.area, rng))
