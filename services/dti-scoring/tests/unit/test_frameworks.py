import json
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dti_scoring.domain import indicator_codes
from dti_scoring.domain.errors import FrameworkError, UnknownFrameworkError
from dti_scoring.domain.framework import Level
from dti_scoring.domain.framework_reader import read_framework
from dti_scoring.domain.scoring import score_assessment
from dti_scoring.domain.values import ValueType
from dti_scoring.frameworks import catalogue, current, load_framework, versions

PROVINCE = "province-2022-qd922"
DECISION_922_MAIN_INDICES = {
    # main index: (max points, indicators), from DESIGN.md §7
    "AW": (100, 10),
    "IN": (100, 11),
    "IF": (100, 7),
    "HR": (100, 13),
    "IS": (100, 12),
    "SC": (0, 3),
    "DG": (200, 22),
    "DE": (150, 12),
    "DS": (150, 8),
}
SMALL = Path(__file__).with_name("small_framework.json")


def small_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SMALL.read_text(encoding="utf-8"), parse_float=Decimal)
    return data


def test_the_province_frameworks_main_index_maxima_sum_to_1000_over_98_indicators() -> None:
    framework = load_framework(PROVINCE)
    assert sum(main.max_points for main in framework.main_indices) == framework.max_points == 1000
    assert len(framework.indicators) == 98
    assert {m.code: (m.max_points, len(m.indicators)) for m in framework.main_indices} == DECISION_922_MAIN_INDICES
    assert [(group.code, group.max_points) for group in framework.groups] == [("foundation", 500), ("activity", 500)]


def test_the_province_frameworks_own_indicator_split_is_marked_to_confirm_and_smart_city_is_not_scored() -> None:
    framework = load_framework(PROVINCE)
    assert all(indicator.points_to_confirm for indicator in framework.indicators)
    assert [main.code for main in framework.main_indices if not main.scored] == ["SC"]


def test_the_province_index_is_the_maxima_weighted_sum_of_the_normalised_main_indices() -> None:
    framework = load_framework(PROVINCE)
    # shares chosen so that no indicator's points need rounding
    achieved = {"AW": Decimal("0.9"), "DE": Decimal("0.5"), "DS": Decimal("0.8")}
    values = {i.code: achieved[i.main_index] for i in framework.indicators if i.main_index in achieved}
    score = score_assessment(values, framework)
    weighted = sum(main.max_points * main.normalised for main in score.main_indices) / 1000
    assert score.index == weighted == Decimal("0.285")


@pytest.mark.parametrize("level", [Level.DISTRICT, Level.COMMUNE])
def test_district_and_commune_frameworks_have_two_groups_and_8_main_indices_on_1000_points(level: Level) -> None:
    framework = current(level, 2023)
    assert framework.source.document == "Quyết định 1294/QĐ-UBND"
    assert [group.code for group in framework.groups] == ["foundation", "activity"]
    assert len([main for main in framework.main_indices if main.scored]) == 8
    assert framework.max_points == sum(main.max_points for main in framework.main_indices) == 1000
    assert all(indicator.points_to_confirm for indicator in framework.indicators)


@pytest.mark.parametrize(
    ("code", "main_index"),
    [
        (indicator_codes.SMARTPHONE_HOUSEHOLD_SHARE, "DS"),
        (indicator_codes.DIGITISED_HOUSEHOLD_RECORDS_SHARE, "DG"),
        (indicator_codes.VILLAGE_DIGITAL_TEAM_SHARE, "DS"),
    ],
)
def test_the_commune_framework_has_the_ratio_indicators_other_code_refers_to(code: str, main_index: str) -> None:
    indicator = current(Level.COMMUNE, 2023).indicator(code)
    assert (indicator.main_index, indicator.value_type) == (main_index, ValueType.RATIO)


def test_the_commune_framework_names_its_indicators_in_vietnamese_and_english() -> None:
    framework = current(Level.COMMUNE, 2023)
    assert (
        framework.indicator(indicator_codes.SMARTPHONE_HOUSEHOLD_SHARE).name_en
        == "Share of households with a smartphone"
    )
    assert "tổ công nghệ số cộng đồng" in framework.indicator(indicator_codes.VILLAGE_DIGITAL_TEAM_SHARE).name_vi


def test_every_framework_file_is_in_the_manifest_with_the_hash_of_its_content() -> None:
    files = {path.name for path in Path(str(catalogue.directory())).glob("*.json")} - {catalogue.MANIFEST}
    assert files == {entry.file for entry in catalogue.manifest()}
    for entry in catalogue.manifest():
        content = (catalogue.directory() / entry.file).read_bytes()
        assert catalogue.content_hash(content) == entry.sha256, f"{entry.file} was edited: release a new version"


def test_every_released_version_loads_under_its_own_name() -> None:
    assert [load_framework(version).version for version in versions()] == list(versions())


def test_the_current_framework_depends_on_level_and_year() -> None:
    assert current(Level.PROVINCE, 2022).version == PROVINCE
    assert current(Level.COMMUNE, 2023).version == "commune-2022-qd1294"
    with pytest.raises(UnknownFrameworkError):
        current(Level.PROVINCE, 2025)
    with pytest.raises(UnknownFrameworkError):
        load_framework("province-1999")


@pytest.fixture
def copied_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for path in Path(str(catalogue.directory())).glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.setattr(catalogue, "directory", lambda: tmp_path)
    catalogue.manifest.cache_clear()
    catalogue.load_framework.cache_clear()
    yield tmp_path
    catalogue.manifest.cache_clear()
    catalogue.load_framework.cache_clear()


def test_a_framework_file_edited_after_release_is_refused(copied_catalogue: Path) -> None:
    edited = copied_catalogue / "commune-2022-qd1294.json"
    edited.write_text(edited.read_text(encoding="utf-8").replace('"target": 0.8', '"target": 0.5'), encoding="utf-8")
    with pytest.raises(FrameworkError, match="new version"):
        catalogue.load_framework("commune-2022-qd1294")


def broken(change: str) -> dict[str, Any]:
    data = small_data()
    indicators = data["main_indices"][2]["indicators"]
    match change:
        case "points do not add up":
            indicators[0]["max_points"] = 21
        case "rule does not fit the value type":
            indicators[0]["value_type"] = "count"
        case "top step below the maximum":
            indicators[1]["rule"]["steps"][-1]["points"] = 20
        case "code used twice":
            indicators[1]["code"] = indicators[0]["code"]
        case "unknown rule kind":
            indicators[0]["rule"] = {"kind": "guess"}
        case "ratio target above one":
            indicators[0]["rule"]["target"] = Decimal("1.5")
    return data


@pytest.mark.parametrize(
    "change",
    [
        "points do not add up",
        "rule does not fit the value type",
        "top step below the maximum",
        "code used twice",
        "unknown rule kind",
        "ratio target above one",
    ],
)
def test_a_framework_whose_parts_do_not_fit_is_refused(change: str) -> None:
    with pytest.raises(FrameworkError):
        read_framework(broken(change))
