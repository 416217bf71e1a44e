"""What the demo scenario holds, generated from a fixed seed (no I/O here)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from harness.demo.people import Head, make_head
from harness.demo.places import PILOT_COMMUNES, PilotCommune

SEED = 20230811  # the day the 2023 campaign was launched
INCOME_LINE = {"rural": 1_500_000, "urban": 2_000_000}
INFORMATION = ("telecom_services", "information_access_means")
OTHER_DEPRIVATIONS = (
    "employment",
    "dependants",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_school_attendance",
    "housing_quality",
    "floor_area_per_person",
    "domestic_water",
    "hygienic_latrine",
)


@dataclass(frozen=True)
class Survey:
    year: int
    income_per_capita_vnd: int
    deprivations: tuple[str, ...]
    classification: str


@dataclass(frozen=True)
class DemoHousehold:
    key: str
    commune: PilotCommune
    ethnic_minority: bool
    members: int
    head: Head
    surveys: tuple[Survey, ...]


@dataclass(frozen=True)
class Donation:
    key: str
    donor_name: str
    donor_kind: str
    anonymous: bool
    amount_vnd: int
    phones: int


@dataclass
class Scenario:
    households: list[DemoHousehold] = field(default_factory=list)
    donations: list[Donation] = field(default_factory=list)


def _survey(rng: random.Random, year: int, area: str, classification: str) -> Survey:
    line = INCOME_LINE[area]
    if classification == "not_poor":
        income = line + rng.randrange(100_000, 2_500_000, 10_000)
        found = rng.sample(OTHER_DEPRIVATIONS, rng.randint(0, 2))
    else:
        income = line - rng.randrange(0, 700_000, 10_000)
        count = rng.randint(3, 5) if classification == "poor" else rng.randint(0, 2)
        # Most poor households in the pilot communes lack a phone and a data plan: the campaign's point.
        info = list(INFORMATION) if classification == "poor" and rng.random() < 0.7 else []
        found = info + rng.sample(OTHER_DEPRIVATIONS, max(count - len(info), 0))
    return Survey(year, income, tuple(sorted(found)), classification)


def _next_status(rng: random.Random, status: str) -> str:
    """The 2023 review: some households escape poverty, a few fall back (figures in the province's range)."""
    roll = rng.random()
    if status == "poor":
        return "near_poor" if roll < 0.08 else ("not_poor" if roll < 0.11 else "poor")
    if status == "near_poor":
        return "not_poor" if roll < 0.25 else ("poor" if roll < 0.28 else "near_poor")
    return "near_poor" if roll < 0.02 else "not_poor"


def _households(rng: random.Random, commune: PilotCommune) -> list[DemoHousehold]:
    result = []
    for number in range(commune.households):
        roll = rng.random()
        status = (
            "poor"
            if roll < commune.poor_share_2022
            else ("near_poor" if roll < commune.poor_share_2022 + 0.1 else "not_poor")
        )
        later = _next_status(rng, status)
        surveys = (_survey(rng, 2022, commune.area, status), _survey(rng, 2023, commune.area, later))
        result.append(
            DemoHousehold(
                f"{commune.code}-{number:03d}", commune, rng.random() < 0.85, rng.randint(2, 7), make_head(rng), surveys
            )
        )
    return result


DONORS = (
    ("Tổng Công ty Viễn thông Viettel", "enterprise", 120_000_000, 0),
    ("Tập đoàn Bưu chính Viễn thông Việt Nam – VNPT Bắc Kạn", "enterprise", 100_000_000, 0),
    ("Công ty Cổ phần Viễn thông FPT – Chi nhánh Bắc Kạn", "enterprise", 60_000_000, 0),
    ("Ngân hàng Nông nghiệp và Phát triển Nông thôn – Chi nhánh Bắc Kạn", "enterprise", 80_000_000, 0),
    ("Ngân hàng TMCP Đầu tư và Phát triển Việt Nam – Chi nhánh Bắc Kạn", "enterprise", 50_000_000, 0),
    ("Mobifone Bắc Kạn", "enterprise", 0, 15),
    ("Công ty Điện lực Bắc Kạn", "enterprise", 40_000_000, 0),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Kạn", "organisation", 30_000_000, 0),
    ("Hội Chữ thập đỏ tỉnh Bắc Kạn", "organisation", 25_000_000, 0),
    ("Tỉnh đoàn Bắc Kạn", "organisation", 20_000_000, 0),
    ("Hội Liên hiệp Phụ nữ tỉnh Bắc Kạn", "organisation", 15_000_000, 0),
    ("Sở Thông tin và Truyền thông Bắc Kạn (công đoàn)", "organisation", 25_000_000, 10),
)


def _donations(rng: random.Random) -> list[Donation]:
    found = [
        Donation(f"donor-{i:02d}", name, kind, False, vnd, phones) for i, (name, kind, vnd, phones) in enumerate(DONORS)
    ]
    raised = sum(d.amount_vnd for d in found)
    number = len(found)
    while raised < 750_000_000:  # individuals make up the rest, some anonymously (nhà hảo tâm ẩn danh)
        amount = min(rng.choice((2_000_000, 3_000_000, 5_000_000, 10_000_000)), 750_000_000 - raised)
        anonymous = rng.random() < 0.3
        name = "" if anonymous else make_head(rng).full_name
        found.append(Donation(f"donor-{number:02d}", name, "individual", anonymous, amount, 0))
        raised += amount
        number += 1
    return found


def build_scenario(seed: int = SEED) -> Scenario:
    rng = random.Random(seed)
    scenario = Scenario()
    for commune in PILOT_COMMUNES:
        scenario.households.extend(_households(rng, commune))
    scenario.donations = _donations(rng)
    return scenario
