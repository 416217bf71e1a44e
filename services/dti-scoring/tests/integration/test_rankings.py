"""Rankings of the 8 pilot communes over HTTP: finalised scores only, ties sharing a rank, change from last year."""

import asyncio

import pytest

pytestmark = pytest.mark.infra

IN = ["IN.01", "IN.02", "IN.03", "IN.04"]  # 25 points each for a yes
# the yes answers (and the points they earn) of the 8 pilot communes/wards of 2023 (DESIGN.md §7)
ANSWERS_2023 = {
    "01837": [*IN, "HR.03", "IS.02"],  # Phường Sông Cầu: 160
    "02017": [*IN, "HR.03"],  # Xã Quang Thuận: 130
    "01912": [*IN, "AW.01"],  # Xã Thượng Giáo: 120
    "02071": [*IN, "IF.04"],  # Xã Nghĩa Tá: 120, tied with Thượng Giáo
    "02122": [*IN[:3], "AW.01"],  # Xã Như Cố: 95
    "01951": IN[:3],  # Xã Đức Vân: 75
    "02173": IN[:3],  # Xã Côn Minh: 75
    "01870": ["IN.04", "IS.02", "AW.01"],  # Xã Giáo Hiệu: 75, three-way tie
}
ANSWERS_2022 = {
    "02017": [*IN, "HR.03", "IS.02", "IS.03"],  # 190
    "01837": [*IN, "HR.03"],  # 130
    "02122": ["IN.01"],  # 25
}


def places(ranking: list[dict]) -> list[tuple]:
    return [(p["rank"], p["unit_code"], p["score"], p["previous_rank"], p["rank_change"]) for p in ranking]


async def test_the_eight_pilot_communes_are_ranked_with_ties_sharing_a_rank_and_the_change_from_last_year(
    dti,
) -> None:
    for unit_code, yes in ANSWERS_2022.items():
        await dti.assessed(unit_code, 2022, yes)
    for unit_code, yes in ANSWERS_2023.items():
        await dti.assessed(unit_code, 2023, yes)
    assert places(await dti.ranking(2023)) == [
        (1, "01837", 160.0, 2, 1),
        (2, "02017", 130.0, 1, -1),
        (3, "01912", 120.0, None, None),
        (3, "02071", 120.0, None, None),
        (5, "02122", 95.0, 3, -2),
        (6, "01870", 75.0, None, None),
        (6, "01951", 75.0, None, None),
        (6, "02173", 75.0, None, None),
    ]
    assert places(await dti.ranking(2022)) == [
        (1, "02017", 190.0, None, None),
        (2, "01837", 130.0, None, None),
        (3, "02122", 25.0, None, None),
    ]


async def test_only_finalised_scores_are_ranked_and_a_reopened_assessment_leaves_until_finalised_again(dti) -> None:
    song_cau = await dti.assessed("01837", 2023, ["IN.01"])
    await dti.assessed("02017", 2023, ["IN.01", "IN.02"])
    open_one = await dti.open("01912", 2023)
    await dti.approve(open_one, "HR.03", True)  # provisional 30 points: not in any ranking
    assert [p["unit_code"] for p in await dti.ranking(2023)] == ["02017", "01837"]
    dti.succeeded(await dti.reopen(song_cau, "IN.02 evidence arrived late"), 200)
    assert [p["unit_code"] for p in await dti.ranking(2023)] == ["02017"]
    await dti.approve(song_cau, "IN.02", True)
    await dti.approve(song_cau, "IN.03", True)
    dti.succeeded(await dti.finalise(song_cau), 200)
    assert places(await dti.ranking(2023)) == [(1, "01837", 75.0, None, None), (2, "02017", 50.0, None, None)]


async def test_a_finalised_year_changes_the_next_year_s_rank_change(dti) -> None:
    await dti.assessed("01837", 2023, ["IN.01"])
    await dti.assessed("02017", 2023, ["IN.01", "IN.02"])
    await dti.assessed("01837", 2022, ["IN.01", "IN.02", "IN.03"])
    assert [(p["unit_code"], p["rank_change"]) for p in await dti.ranking(2023)] == [("02017", None), ("01837", -1)]


async def test_a_ranking_without_finalised_assessments_is_empty_and_a_bad_level_is_a_422(dti) -> None:
    assert await dti.ranking(2023) == []
    dti.problem(await dti.client.get("/v1/dti/rankings", params={"level": "village", "year": 2023}), 422)
    dti.problem(await dti.client.get("/v1/dti/rankings", params={"level": "commune"}), 422)


async def test_communes_finalised_at_the_same_moment_all_reach_the_ranking(dti) -> None:
    assessment_ids = [await dti.open(unit_code, 2023) for unit_code in ANSWERS_2023]
    for assessment_id, yes in zip(assessment_ids, ANSWERS_2023.values(), strict=True):
        for code in yes:
            await dti.approve(assessment_id, code, True)
    finalised = await asyncio.gather(*(dti.finalise(assessment_id) for assessment_id in assessment_ids))
    assert [response.status_code for response in finalised] == [200] * 8
    assert [place[:3] for place in places(await dti.ranking(2023))] == [
        (1, "01837", 160.0),
        (2, "02017", 130.0),
        (3, "01912", 120.0),
        (3, "02071", 120.0),
        (5, "02122", 95.0),
        (6, "01870", 75.0),
        (6, "01951", 75.0),
        (6, "02173", 75.0),
    ]
