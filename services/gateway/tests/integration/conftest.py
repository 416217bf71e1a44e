"""A gateway app on the real PostgreSQL and Kafka, with its own dev key pair, its own topics and consumer groups
(never the running system's), and helpers to publish integration events and wait for their effects."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from backan_shared.contracts import INTEGRATION_EVENTS, campaign, dti, household
from backan_shared.envelope import CloudEvent
from gateway.entrypoints.app import create_app
from gateway.projections.feeds import Feed, feeds_of
from gateway.queries.consistency import wait_for_event
from gateway.settings import Settings
from harness.devkeys import ensure_key_pair, mint_token
from harness.testing import Produce

CONSISTENCY_WAIT_SECONDS = 1.5


@dataclass
class RunningGateway:
    """The app, its HTTP client, and what it reads."""

    app: FastAPI
    client: httpx.AsyncClient
    settings: Settings

    @property
    def pool(self) -> asyncpg.Pool:
        pool: asyncpg.Pool = self.app.state.runtime.pool
        return pool

    @property
    def feeds(self) -> dict[str, Feed]:
        return {feed.name: feed for feed in feeds_of(self.settings)}


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return ensure_key_pair(tmp_path / "keys")


@pytest.fixture
async def gateway_settings(
    database_url: str, kafka_bootstrap: str, keys: tuple[Path, Path], new_topic: Any
) -> Settings:
    campaign, household, dti = await asyncio.gather(new_topic("campaign"), new_topic("household"), new_topic("dti"))
    return Settings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        jwt_public_key_file=keys[1],
        internal_token="internal",
        campaign_topic=campaign,
        household_topic=household,
        dti_topic=dti,
        consumer_group_prefix=f"test-gateway-{uuid.uuid4().hex[:10]}",
        consistency_wait_seconds=CONSISTENCY_WAIT_SECONDS,
    )


@pytest.fixture
async def running_gateway(gateway_settings: Settings) -> AsyncIterator[RunningGateway]:
    app = create_app(gateway_settings)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://g") as client:
        yield RunningGateway(app, client, gateway_settings)


@pytest.fixture
def gateway(running_gateway: RunningGateway) -> httpx.AsyncClient:
    return running_gateway.client


@pytest.fixture
def token(keys: tuple[Path, Path]):  # type: ignore[no-untyped-def]
    def mint(*scopes: str) -> str:
        return mint_token(list(scopes), subject="test-officer", private_key=keys[0])

    return mint


@pytest.fixture
def reader(token: Any) -> dict[str, str]:
    """Headers of a caller with the read scope."""
    return {"Authorization": f"Bearer {token('read')}"}


Publish = Callable[[str, CloudEvent], Awaitable[None]]


@pytest.fixture
def publish(produce: Produce, running_gateway: RunningGateway) -> Publish:
    """Send an event to a feed's topic (by feed name), keyed by its subject, acknowledged by the broker."""

    async def send(feed_name: str, event: CloudEvent) -> None:
        await produce(running_gateway.feeds[feed_name].topic, event, key=event.subject or "")

    return send


def event(payload: BaseModel, event_type: str, source: str, subject: str) -> CloudEvent:
    """An integration event as its owning service would publish it."""
    return INTEGRATION_EVENTS.create(payload, event_type=event_type, source=source, subject=subject)


@pytest.fixture
def make_event() -> Callable[[BaseModel, str, str, str], CloudEvent]:
    return event


Applied = Callable[[str, list[CloudEvent]], Awaitable[None]]


@pytest.fixture
def applied(running_gateway: RunningGateway) -> Applied:
    """Wait (boundedly) until the feed's consumer has applied every one of these events."""

    async def wait(feed_name: str, events: list[CloudEvent]) -> None:
        group = running_gateway.feeds[feed_name].group_id
        for one in events:
            outcome = await wait_for_event(running_gateway.pool, group, one.id, within=20)
            assert outcome == "applied", f"{feed_name} event {one.type} not applied: {outcome}"

    return wait


@pytest.fixture
def caught_up(consumed_to_end: Any, running_gateway: RunningGateway) -> Callable[[], Awaitable[None]]:
    """Wait until every feed's group has committed the end offsets of its topic (it has read everything)."""

    async def wait() -> None:
        for feed in running_gateway.feeds.values():
            await consumed_to_end(feed.group_id, feed.topic)

    return wait


CAMPAIGN_ID = "c-pilot-2023"
SONG_CAU, QUANG_THUAN, THUONG_GIAO, NGHIA_TA, NHU_CO = "01837", "02017", "01912", "02071", "02122"


def campaign_events() -> list[CloudEvent]:
    """A campaign for two pilot communes: three pledges, four receipts (one reversed), a purchase, two
    allocations and three deliveries (one reversed)."""
    c = campaign
    on = date(2023, 8, 11)

    def e(payload: BaseModel, event_type: str) -> CloudEvent:
        return event(payload, event_type, "campaign-ledger", CAMPAIGN_ID)

    return [
        e(
            c.CampaignOpened(
                campaign_id=CAMPAIGN_ID,
                name="Phổ cập điện thoại thông minh 2023",
                target_vnd=750_000_000,
                target_phones=400,
                commune_codes=[SONG_CAU, QUANG_THUAN],
                start_date=on,
                end_date=date(2023, 12, 31),
            ),
            c.CAMPAIGN_OPENED,
        ),
        e(_pledge("PL-0001", "Tổng Công ty Viễn thông Viettel", "enterprise", 200_000_000, 0), c.PLEDGE_RECORDED),
        e(_pledge("PL-0002", "Công ty CP FPT", "enterprise", 0, 50), c.PLEDGE_RECORDED),
        e(_pledge("PL-0003", "Anonymous donor", "individual", 100_000_000, 0), c.PLEDGE_RECORDED),
        e(_receipt("RC-0001", "PL-0001", 200_000_000, 0), c.DONATION_RECEIVED),
        e(_receipt("RC-0002", "PL-0002", 0, 50), c.DONATION_RECEIVED),
        e(_receipt("RC-0003", None, 5_000_000, 0), c.DONATION_RECEIVED),
        e(_receipt("RC-0004", "PL-0003", 30_000_000, 0), c.DONATION_RECEIVED),
        e(
            c.PhonesPurchased(
                campaign_id=CAMPAIGN_ID, purchase_id="PU-0001", amount_vnd=95_000_000, phones=50, supplier="TGDĐ"
            ),
            c.PHONES_PURCHASED,
        ),
        e(_allocation("AL-0001", SONG_CAU, 60), c.PHONES_ALLOCATED),
        e(_allocation("AL-0002", QUANG_THUAN, 20), c.PHONES_ALLOCATED),
        e(_delivery("DL-0001", SONG_CAU, "hh-1"), c.PHONE_DELIVERED),
        e(_delivery("DL-0002", SONG_CAU, "hh-2"), c.PHONE_DELIVERED),
        e(_delivery("DL-0003", QUANG_THUAN, "hh-5"), c.PHONE_DELIVERED),
        e(_reversal("JE-000015", "JE-000008", "receipt", "RC-0004"), c.ENTRY_REVERSED),
        e(_reversal("JE-000016", "JE-000014", "delivery", "DL-0003"), c.ENTRY_REVERSED),
    ]


def _pledge(pledge_id: str, donor: str, kind: Any, amount_vnd: int, phones: int) -> campaign.PledgeRecorded:
    return campaign.PledgeRecorded(
        campaign_id=CAMPAIGN_ID,
        pledge_id=pledge_id,
        donor_name=donor,
        donor_kind=kind,
        amount_vnd=amount_vnd,
        phones=phones,
    )


def _receipt(receipt_id: str, pledge_id: str | None, amount_vnd: int, phones: int) -> campaign.DonationReceived:
    return campaign.DonationReceived(
        campaign_id=CAMPAIGN_ID,
        receipt_id=receipt_id,
        pledge_id=pledge_id,
        amount_vnd=amount_vnd,
        phones=phones,
        received_on=date(2023, 8, 15),
    )


def _allocation(allocation_id: str, commune: str, phones: int) -> campaign.PhonesAllocated:
    return campaign.PhonesAllocated(
        campaign_id=CAMPAIGN_ID, allocation_id=allocation_id, commune_code=commune, phones=phones
    )


def _delivery(delivery_id: str, commune: str, household_id: str) -> campaign.PhoneDelivered:
    return campaign.PhoneDelivered(
        campaign_id=CAMPAIGN_ID,
        delivery_id=delivery_id,
        commune_code=commune,
        household_id=household_id,
        delivered_on=date(2023, 9, 1),
    )


def _reversal(entry_id: str, reversed_entry_id: str, kind: Any, reference: str) -> campaign.EntryReversed:
    return campaign.EntryReversed(
        campaign_id=CAMPAIGN_ID,
        entry_id=entry_id,
        reversed_entry_id=reversed_entry_id,
        reason="entered by mistake",
        reversed_kind=kind,
        reference=reference,
    )


def household_events() -> list[CloudEvent]:
    """Four households of Sông Cầu and one of Quang Thuận, reviewed in 2022 and 2023; hh-3's 2023 survey is
    corrected, and hh-1 gains information access (a campaign phone) after its 2023 survey. hh-1, hh-3, hh-4 and
    hh-5 are ethnic-minority households: only the registry knows, and says so in the figures it publishes.

    The registry's figures of 2023 come twice: first as they stood before the correction and the phone
    (revision 1), then as they stand after (revision 2)."""
    h = household
    made: list[CloudEvent] = []

    def e(subject: str, payload: BaseModel, event_type: str) -> None:
        made.append(event(payload, event_type, "household-registry", subject))

    for household_id, commune in (("hh-1", SONG_CAU), ("hh-2", SONG_CAU), ("hh-3", SONG_CAU), ("hh-4", SONG_CAU)):
        e(household_id, _registered(household_id, commune), h.REGISTERED)
    e("hh-5", _registered("hh-5", QUANG_THUAN), h.REGISTERED)
    for household_id, commune, year, classification in (
        ("hh-1", SONG_CAU, 2022, "poor"),
        ("hh-2", SONG_CAU, 2022, "poor"),
        ("hh-4", SONG_CAU, 2022, "near_poor"),
        ("hh-1", SONG_CAU, 2023, "poor"),
        ("hh-2", SONG_CAU, 2023, "poor"),
        ("hh-3", SONG_CAU, 2023, "near_poor"),
        ("hh-4", SONG_CAU, 2023, "not_poor"),
        ("hh-5", QUANG_THUAN, 2023, "poor"),
    ):
        e(household_id, _classified(household_id, commune, year, classification), h.CLASSIFIED)
    for figures in poverty_figures(revision=1):
        e(figures.unit_code, figures, h.POVERTY_STATISTICS_UPDATED)
    e("hh-3", _classified("hh-3", SONG_CAU, 2023, "not_poor"), h.CLASSIFIED)
    e(
        "hh-1",
        h.InformationAccessRecorded(
            household_id="hh-1",
            commune_code=SONG_CAU,
            recorded_on=date(2023, 9, 1),
            projected_classification="near_poor",
        ),
        h.INFORMATION_ACCESS_RECORDED,
    )
    for figures in poverty_figures(revision=2, only=CORRECTED):
        e(figures.unit_code, figures, h.POVERTY_STATISTICS_UPDATED)
    return made


# unit, level, year: households, poor, near-poor, EM households, EM poor; projected poor, near-poor, EM poor.
# Rates and reductions below are computed by hand from these counts (2022 before 2023).
FIGURES_BEFORE = {
    (SONG_CAU, "commune", 2022): ((3, 2, 1, 2, 1), (2, 1, 1)),
    ("058", "district", 2022): ((3, 2, 1, 2, 1), (2, 1, 1)),
    ("06", "province", 2022): ((3, 2, 1, 2, 1), (2, 1, 1)),
    (SONG_CAU, "commune", 2023): ((4, 2, 1, 3, 1), (2, 1, 1)),
    ("058", "district", 2023): ((4, 2, 1, 3, 1), (2, 1, 1)),
    (QUANG_THUAN, "commune", 2023): ((1, 1, 0, 1, 1), (1, 0, 1)),
    ("063", "district", 2023): ((1, 1, 0, 1, 1), (1, 0, 1)),
    ("06", "province", 2023): ((5, 3, 1, 4, 2), (3, 1, 2)),
}
# What hh-3's correction (near-poor → not poor) and hh-1's phone (projected near-poor) change.
CORRECTED = {
    (SONG_CAU, "commune", 2023): ((4, 2, 0, 3, 1), (1, 1, 0)),
    ("058", "district", 2023): ((4, 2, 0, 3, 1), (1, 1, 0)),
    ("06", "province", 2023): ((5, 3, 0, 4, 2), (2, 1, 1)),
}
FIGURES_AFTER = FIGURES_BEFORE | CORRECTED


def poverty_figures(*, revision: int, only: Any = None) -> list[household.PovertyStatisticsUpdated]:
    """The registry's figures of the scenario's units and years (or `only` some) at a revision (1: before the
    correction and the phone, 2: after)."""
    table = FIGURES_BEFORE if revision == 1 else FIGURES_AFTER
    return [_unit_figures(key, table, revision) for key in (only or table)]


@pytest.fixture
def registry_figures() -> Callable[..., list[household.PovertyStatisticsUpdated]]:
    """The scenario's figures as the registry publishes them, at a revision."""
    return poverty_figures


def _unit_figures(
    key: tuple[str, str, int], table: dict[tuple[str, str, int], Any], revision: int
) -> household.PovertyStatisticsUpdated:
    unit, level, year = key
    (households, poor, near, minority, minority_poor), (p_poor, p_near, p_minority_poor) = table[key]
    before = table.get((unit, level, year - 1))
    rate, minority_rate = _rate(poor, households), _rate(minority_poor, minority)
    last_rate = _rate(before[0][1], before[0][0]) if before else None
    last_minority_rate = _rate(before[0][4], before[0][3]) if before else None
    reduction = last_rate - rate if last_rate is not None else None
    minority_reduction = last_minority_rate - minority_rate if last_minority_rate is not None else None
    return household.PovertyStatisticsUpdated(
        unit_code=unit,
        level=level,  # type: ignore[arg-type]
        year=year,
        revision=revision,
        households=households,
        poor=poor,
        near_poor=near,
        poverty_rate=rate,
        near_poverty_rate=_rate(near, households),
        ethnic_minority_households=minority,
        ethnic_minority_poor=minority_poor,
        ethnic_minority_poverty_rate=minority_rate,
        reduction_pp=reduction,
        ethnic_minority_reduction_pp=minority_reduction,
        target=_target(unit, year),
        on_target=reduction >= 2 if reduction is not None else None,
        ethnic_minority_on_target=minority_reduction >= 3 if minority_reduction is not None else None,
        projected=household.ProjectedPovertyFigures(
            poor=p_poor,
            near_poor=p_near,
            poverty_rate=_rate(p_poor, households),
            near_poverty_rate=_rate(p_near, households),
            ethnic_minority_poverty_rate=_rate(p_minority_poor, minority),
            reduction_pp=last_rate - _rate(p_poor, households) if last_rate is not None else None,
        ),
    )


def _rate(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def _target(unit: str, year: int) -> household.PovertyTarget:
    reduction = household.ReductionTarget(min_pp=Decimal("2.0"), max_pp=Decimal("2.5"))
    minority = household.ReductionTarget(min_pp=Decimal("3.0"), max_pp=None)
    at_most = Decimal("22.31") if (unit, year) == ("06", 2023) else None
    return household.PovertyTarget(
        version="backan-2021-2025",
        basis="province_average",
        reduction=reduction,
        ethnic_minority_reduction=minority,
        poverty_rate_at_most=at_most,
    )


def _registered(household_id: str, commune: str) -> household.HouseholdRegistered:
    return household.HouseholdRegistered(
        household_id=household_id, commune_code=commune, area="rural", registered_on=date(2022, 9, 1)
    )


def _classified(household_id: str, commune: str, year: int, classification: Any) -> household.HouseholdClassified:
    return household.HouseholdClassified(
        household_id=household_id, commune_code=commune, year=year, classification=classification
    )


def dti_events() -> list[CloudEvent]:
    """2023 commune assessments: Sông Cầu first, Quang Thuận and Thượng Giáo tied, Nghĩa Tá still open, Như Cố
    finalised then reopened (so not ranked)."""
    made: list[CloudEvent] = []
    for number, (unit, score) in enumerate(
        ((SONG_CAU, "569.8"), (QUANG_THUAN, "480"), (THUONG_GIAO, "480"), (NGHIA_TA, None), (NHU_CO, "600")), 1
    ):
        facts = _facts(f"a-{number}", unit)
        made.append(_dti(dti.DtiAssessmentOpened(**facts, opened_at=_at(1)), dti.ASSESSMENT_OPENED))
        if score is not None:
            made.append(_dti(_finalised(facts, Decimal(score)), dti.ASSESSMENT_FINALISED))
    reopened = dti.DtiAssessmentReopened(
        **_facts("a-5", NHU_CO), previous_score=Decimal("600"), reopened_by="director", reopened_at=_at(20)
    )
    made.append(_dti(reopened, dti.ASSESSMENT_REOPENED))
    return made


def _facts(assessment_id: str, unit: str) -> dict[str, Any]:
    return {
        "assessment_id": assessment_id,
        "unit_code": unit,
        "level": "commune",
        "year": 2023,
        "framework_version": "commune-2022-qd1294",
    }


def _at(day: int) -> datetime:
    return datetime(2024, 2, day, 8, tzinfo=UTC)


def _finalised(facts: dict[str, Any], score: Decimal) -> dti.DtiAssessmentFinalised:
    pillar = dti.PillarPoints(
        code="DS",
        group="activity",
        points=Decimal("92.5"),
        max_points=Decimal(150),
        normalised=Decimal("0.6167"),
        scored=True,
    )
    return dti.DtiAssessmentFinalised(
        **facts,
        score=score,
        max_score=Decimal(1000),
        index=score / 1000,
        pillars=[pillar],
        groups=[],
        indicators=[],
        finalised_by="reviewer",
        finalised_at=_at(10),
    )


def _dti(payload: dti.AssessmentFacts, event_type: str) -> CloudEvent:
    return event(payload, event_type, "dti-scoring", payload.assessment_id)


@dataclass
class Scenario:
    """The events published, by feed."""

    events: dict[str, list[CloudEvent]]


@pytest.fixture
async def pilot_scenario(publish: Publish, applied: Applied) -> Scenario:
    """The pilot communes' campaign, households and DTI assessments, published and applied."""
    scenario = Scenario({"campaign": campaign_events(), "household": household_events(), "dti": dti_events()})
    for feed_name, events in scenario.events.items():
        for one in events:
            await publish(feed_name, one)
    for feed_name, events in scenario.events.items():
        await applied(feed_name, events)
    return scenario


VIEW_PATHS = (
    f"/v1/campaigns/{CAMPAIGN_ID}",
    "/v1/overview",
    f"/v1/communes/{SONG_CAU}/dashboard",
    f"/v1/communes/{QUANG_THUAN}/dashboard",
    f"/v1/communes/{NHU_CO}/dashboard",
    "/v1/poverty?unit_code=06&year=2022",
    "/v1/poverty?unit_code=06&year=2023",
    f"/v1/poverty?unit_code={SONG_CAU}",
)

Snapshot = Callable[[], Awaitable[dict[str, Any]]]


@pytest.fixture
def snapshot(gateway: httpx.AsyncClient, reader: dict[str, str]) -> Snapshot:
    """Every composed view of the scenario, as JSON, by path."""

    async def take() -> dict[str, Any]:
        answers = {path: await gateway.get(path, headers=reader) for path in VIEW_PATHS}
        assert all(a.status_code == 200 for a in answers.values()), {p: a.text for p, a in answers.items()}
        return {path: answer.json() for path, answer in answers.items()}

    return take
