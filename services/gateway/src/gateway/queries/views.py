"""The composed views: each reads the read models of one or more families in one connection and answers a model.

A view raises `ViewNotFoundError` for what the gateway has never heard of (an unknown unit, a campaign whose
opening has not arrived); the app answers it with a 404 problem.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

from backan_shared.api.campaign_statements import (
    ANONYMOUS_DONOR,
    ANONYMOUS_DONOR_VI,
    CommuneTotalsPublic,
    DonorTotalsPublic,
)
from backan_shared.reference.units import AdministrativeUnit, UnitLevel, unit_hierarchy
from gateway.models.campaigns import CampaignTotals, ComposedCampaignStatement
from gateway.models.dashboard import CommuneCampaign, CommuneDashboard
from gateway.models.dti import DtiRanking, DtiStanding, RankedUnit
from gateway.models.freshness import AsOf
from gateway.models.overview import Overview, PovertyOverview
from gateway.models.poverty import PovertyFigures
from gateway.models.units import UnitRef
from gateway.projections.schema import reading
from gateway.queries import campaigns, dti, households
from gateway.queries.freshness import as_of


class ViewNotFoundError(LookupError):
    """The view asked for names something the gateway's read models do not hold."""


async def campaign_statement(pool: asyncpg.Pool, campaign_id: str) -> ComposedCampaignStatement:
    """`GET /v1/campaigns/{campaign_id}`: the statement, as of the newest campaign event applied."""
    async with reading(pool) as conn:
        opened = await campaigns.campaign(conn, campaign_id)
        if opened is None:
            raise ViewNotFoundError(f"the gateway has no campaign {campaign_id} (yet)")
        sums = await campaigns.totals(conn, campaign_id)
        communes = await campaigns.by_commune(conn, campaign_id)
        donors = await campaigns.by_donor(conn, campaign_id)
        fresh = await as_of(conn)
    return _statement(opened, sums, communes, donors, fresh["campaign"])


def _statement(
    opened: asyncpg.Record,
    sums: asyncpg.Record,
    communes: list[asyncpg.Record],
    donors: list[asyncpg.Record],
    fresh: datetime | None,
) -> ComposedCampaignStatement:
    return ComposedCampaignStatement(
        campaign_id=opened["campaign_id"],
        name=opened["name"],
        is_open=opened["closed_on"] is None,
        target_vnd=opened["target_vnd"],
        target_phones=opened["target_phones"],
        **_money_and_phones(sums),
        by_commune=[_commune_totals(row) for row in communes],
        by_donor=_donor_roll(donors),
        progress_vnd_percent=progress(sums["received_vnd"], opened["target_vnd"]),
        progress_phones_percent=progress(sums["phones_delivered"], opened["target_phones"]),
        as_of=fresh,
    )


def _money_and_phones(sums: asyncpg.Record) -> dict[str, int]:
    return {name: int(value) for name, value in sums.items()}


def _commune_totals(row: asyncpg.Record) -> CommuneTotalsPublic:
    allocated, delivered = int(row["phones_allocated"]), int(row["phones_delivered"])
    return CommuneTotalsPublic(
        commune_code=row["commune_code"],
        phones_allocated=allocated,
        phones_delivered=delivered,
        phones_in_stock=allocated - delivered,
    )


def _donor_roll(rows: list[asyncpg.Record]) -> list[DonorTotalsPublic]:
    donors = [_donor(row) for row in rows]
    # A donor whose every gift was reversed has nothing left to show (as in the ledger's own statement).
    donors = [d for d in donors if d.pledged_vnd or d.pledged_phones or d.received_vnd or d.received_phones]
    # Largest gifts first, as a public roll of honour is read; the name settles ties (the ledger's order).
    return sorted(donors, key=lambda d: (-d.received_vnd, -d.pledged_vnd, d.donor, d.kind or ""))


def _donor(row: asyncpg.Record) -> DonorTotalsPublic:
    name = row["donor"] or ANONYMOUS_DONOR
    anonymous = name == ANONYMOUS_DONOR
    return DonorTotalsPublic(
        donor=name,
        # As the ledger's roll: a donor's own name in both languages, the anonymous label translated.
        donor_vi=ANONYMOUS_DONOR_VI if anonymous else name,
        kind=row["kind"],
        anonymous=anonymous,
        pledged_vnd=int(row["pledged_vnd"]),
        pledged_phones=int(row["pledged_phones"]),
        received_vnd=int(row["received_vnd"]),
        received_phones=int(row["received_phones"]),
    )


def progress(part: int, whole: int) -> float:
    """`part` as a percentage of `whole`, to two decimals, as the ledger computes it; 0 with no whole."""
    if whole <= 0:
        return 0.0
    return round(100 * part / whole, 2)


async def commune_dashboard(pool: asyncpg.Pool, commune_code: str) -> CommuneDashboard:
    """`GET /v1/communes/{commune_code}/dashboard`: DTI standing, campaign phones and poverty of one commune."""
    unit = unit_hierarchy().find(commune_code)
    if unit is None or unit.level is not UnitLevel.COMMUNE:
        raise ViewNotFoundError(f"{commune_code} is not the code of a commune of Bắc Kạn")
    async with reading(pool) as conn:
        fresh = await as_of(conn)
        standing = await dti_standing(conn, unit.code, "commune")
        phones = await campaigns.commune_phones(conn, unit.code)
        year = await households.latest_year(conn, unit.code)
        poverty = await poverty_figures(conn, unit, year, fresh["household"]) if year else None
    return CommuneDashboard(
        unit=_unit_ref(unit), dti=standing, campaign=_commune_campaign(phones), poverty=poverty, as_of=AsOf(**fresh)
    )


def _unit_ref(unit: AdministrativeUnit) -> UnitRef:
    return UnitRef(
        code=unit.code, name=unit.name, level=unit.level.value, parent_code=unit.parent_code, pilot=unit.pilot
    )


def _commune_campaign(row: asyncpg.Record) -> CommuneCampaign:
    allocated, delivered = int(row["phones_allocated"]), int(row["phones_delivered"])
    return CommuneCampaign(
        campaigns=int(row["campaigns"]),
        phones_allocated=allocated,
        phones_delivered=delivered,
        phones_in_stock=allocated - delivered,
    )


async def dti_standing(conn: asyncpg.Connection, unit_code: str, level: str) -> DtiStanding | None:
    """The unit's latest finalised result and its rank that year, or None before any."""
    year = await dti.latest_ranked_year(conn, level, unit_code)
    if year is None:
        return None
    ranking = await dti.ranking(conn, level, year)
    place = next(row for row in ranking if row["unit_code"] == unit_code)
    return DtiStanding(
        year=year,
        level=level,
        assessment_id=place["assessment_id"],
        score=float(place["score"]),
        max_score=float(place["max_score"]),
        index=float(place["index"]),
        rank=place["rank"],
        ranked_units=len(ranking),
        pillars=place["pillars"] or [],
    )


async def poverty_figures(
    conn: asyncpg.Connection, unit: AdministrativeUnit, year: int, fresh: datetime | None
) -> PovertyFigures | None:
    """A unit's figures for a review year as the registry published them, with the registered households the
    gateway counts in its communes; None when the registry published none."""
    published = await households.published_figures(conn, unit.code, year)
    if published is None:
        return None
    registered, with_access = await households.register_counts(conn, unit_hierarchy().communes_of(unit.code))
    counted = {"registered_households": registered, "households_with_information_access": with_access}
    return PovertyFigures.model_validate(published | counted | {"unit_name": unit.name, "as_of": fresh})


async def poverty(pool: asyncpg.Pool, unit_code: str, year: int | None) -> PovertyFigures:
    """`GET /v1/poverty?unit_code=&year=`: a unit's figures for a year (its latest review year if none is named)."""
    unit = unit_hierarchy().find(unit_code)
    if unit is None:
        raise ViewNotFoundError(f"{unit_code} is not the code of a unit of Bắc Kạn")
    async with reading(pool) as conn:
        year = year or await households.latest_year(conn, unit.code)
        figures = await poverty_figures(conn, unit, year, (await as_of(conn))["household"]) if year else None
    if figures is None:
        raise ViewNotFoundError(f"the gateway has no classified households of {unit_code} for {year or 'any year'}")
    return figures


async def overview(pool: asyncpg.Pool) -> Overview:
    """`GET /v1/overview`: campaign totals, the province's and districts' poverty, and the communes' DTI ranks."""
    province = unit_hierarchy().province()
    async with reading(pool) as conn:
        fresh = await as_of(conn)
        totals = await _campaign_totals(conn)
        poverty_now = await _poverty_overview(conn, province, fresh["household"])
        ranking = await _commune_ranking(conn)
    return Overview(unit=_unit_ref(province), campaign=totals, poverty=poverty_now, dti=ranking, as_of=AsOf(**fresh))


async def _campaign_totals(conn: asyncpg.Connection) -> CampaignTotals:
    sums = await campaigns.totals(conn)
    return CampaignTotals(campaigns=await campaigns.campaign_count(conn), **_money_and_phones(sums))


async def _poverty_overview(
    conn: asyncpg.Connection, province: AdministrativeUnit, fresh: datetime | None
) -> PovertyOverview:
    year = await households.latest_year(conn, province.code)
    if year is None:
        return PovertyOverview(province=None, districts=[])
    districts = [await poverty_figures(conn, district, year, fresh) for district in _districts()]
    return PovertyOverview(
        province=await poverty_figures(conn, province, year, fresh),
        districts=[figures for figures in districts if figures is not None],
    )


def _districts() -> list[AdministrativeUnit]:
    return unit_hierarchy().at_level(UnitLevel.DISTRICT)


async def _commune_ranking(conn: asyncpg.Connection) -> DtiRanking | None:
    year = await dti.latest_ranked_year(conn, "commune")
    if year is None:
        return None
    rows = await dti.ranking(conn, "commune", year)
    return DtiRanking(level="commune", year=year, ranking=[_ranked(row) for row in rows])


def _ranked(row: asyncpg.Record) -> RankedUnit:
    unit = unit_hierarchy().find(row["unit_code"])
    return RankedUnit(
        rank=row["rank"], unit_code=row["unit_code"], unit_name=unit.name if unit else None, score=float(row["score"])
    )
