"""The read models rebuilt from the event store equal the ones the commands kept up to date."""

import pytest

from backan_shared.event_store import PostgresEventStore
from dti_scoring.adapters.read_models import rebuild

pytestmark = pytest.mark.infra


async def read_models(pool) -> dict[str, list[dict]]:
    async with pool.acquire() as conn:
        views = await conn.fetch("SELECT * FROM dti_assessments ORDER BY assessment_id")
        ranks = await conn.fetch("SELECT * FROM dti_rankings ORDER BY level, year, unit_code")
    return {"dti_assessments": [dict(r) for r in views], "dti_rankings": [dict(r) for r in ranks]}


async def a_province_s_worth_of_assessments(dti) -> None:
    """Finalised, reopened, refinalised and open assessments over two years, with rejections and ties."""
    await dti.assessed("01837", 2022, ["IN.01", "IN.02"])
    await dti.assessed("02017", 2022, ["IN.01"])
    await dti.assessed("01837", 2023, ["IN.01", "AW.01"])
    await dti.assessed("02017", 2023, ["IN.01", "IN.02"])
    reopened = await dti.assessed("01912", 2023, ["HR.03", "AW.01"])
    dti.succeeded(await dti.reopen(reopened, "HR.03 evidence is for 2022"), 200)
    refinalised = await dti.assessed("02071", 2023, ["IN.03"])
    dti.succeeded(await dti.reopen(refinalised, "DS.01 missing"), 200)
    await dti.approve(refinalised, "DS.01", 0.8)
    dti.succeeded(await dti.finalise(refinalised), 200)
    still_open = await dti.open("02122", 2023)
    rejected = await dti.submit(still_open, "AW.03", 7)
    dti.succeeded(await dti.review(still_open, rejected, approved=False, reason="no list of the articles"), 200)
    await dti.submit(still_open, "AW.03", 13)


async def test_read_models_rebuilt_from_the_event_store_equal_the_live_ones(dti, pool) -> None:
    await a_province_s_worth_of_assessments(dti)
    live = await read_models(pool)
    live_view = await dti.client.get(f"/v1/dti/assessments/{live['dti_assessments'][0]['assessment_id']}")
    async with pool.acquire() as conn:
        await conn.execute("TRUNCATE dti_assessments, dti_rankings")
    assert await rebuild(pool, PostgresEventStore(pool), batch_size=7) == 7
    assert await read_models(pool) == live
    rebuilt_view = await dti.client.get(f"/v1/dti/assessments/{live['dti_assessments'][0]['assessment_id']}")
    assert rebuilt_view.json() == live_view.json()
    assert len(live["dti_rankings"]) == 2 + 3


async def test_rebuilding_over_live_read_models_changes_nothing(dti, pool) -> None:
    await a_province_s_worth_of_assessments(dti)
    live = await read_models(pool)
    await rebuild(pool, PostgresEventStore(pool))
    assert await read_models(pool) == live
