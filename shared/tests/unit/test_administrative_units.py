"""Bắc Kạn's administrative units: generated from vietnam-provinces 0.6.0, with the 8 pilot communes marked."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from backan_shared.reference.units import UnitHierarchy, UnitLevel, unit_hierarchy, units_file

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "generate_units.py"
# DESIGN.md §7: the pilot communes/wards of the 2023 smartphone programme and their districts.
PILOTS = [
    ("01837", "Phường Sông Cầu", "058", "Thành phố Bắc Kạn"),
    ("02017", "Xã Quang Thuận", "063", "Huyện Bạch Thông"),
    ("01912", "Xã Thượng Giáo", "061", "Huyện Ba Bể"),
    ("02071", "Xã Nghĩa Tá", "064", "Huyện Chợ Đồn"),
    ("02122", "Xã Như Cố", "065", "Huyện Chợ Mới"),
    ("01951", "Xã Đức Vân", "062", "Huyện Ngân Sơn"),
    ("02173", "Xã Côn Minh", "066", "Huyện Na Rì"),
    ("01870", "Xã Giáo Hiệu", "060", "Huyện Pác Nặm"),
]


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_units", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_province_has_eight_districts_and_108_communes() -> None:
    units = unit_hierarchy()
    province = units.get("06")
    assert (province.name, province.level, province.parent_code) == ("Tỉnh Bắc Kạn", UnitLevel.PROVINCE, None)
    districts = units.at_level(UnitLevel.DISTRICT)
    assert len(districts) == 8 and all(d.parent_code == "06" for d in districts)
    communes = units.at_level(UnitLevel.COMMUNE)
    assert len(communes) == 108
    assert {c.parent_code for c in communes} == {d.code for d in districts}


def test_each_district_holds_the_communes_of_the_official_list() -> None:
    units = unit_hierarchy()
    counts = {d.name: len(units.at_level(UnitLevel.COMMUNE, d.code)) for d in units.at_level(UnitLevel.DISTRICT)}
    assert counts == {
        "Thành phố Bắc Kạn": 8,
        "Huyện Pác Nặm": 10,
        "Huyện Ba Bể": 15,
        "Huyện Ngân Sơn": 10,
        "Huyện Bạch Thông": 14,
        "Huyện Chợ Đồn": 20,
        "Huyện Chợ Mới": 14,
        "Huyện Na Rì": 17,
    }


@pytest.mark.parametrize(("code", "name", "district_code", "district"), PILOTS)
def test_the_pilot_communes_are_marked_in_their_districts(
    code: str, name: str, district_code: str, district: str
) -> None:
    units = unit_hierarchy()
    commune = units.get(code)
    assert (commune.name, commune.level, commune.pilot, commune.parent_code) == (
        name,
        UnitLevel.COMMUNE,
        True,
        district_code,
    )
    assert units.get(district_code).name == district


def test_only_the_eight_pilots_are_marked() -> None:
    assert sorted(u.code for u in unit_hierarchy().pilots()) == sorted(p[0] for p in PILOTS)


def test_codes_are_zero_padded_official_codes() -> None:
    units = unit_hierarchy()
    widths = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}
    assert all(len(u.code) == widths[u.level] and u.code.isdigit() for u in units)


def test_the_pre_merger_hierarchy_is_valid_until_the_reform_of_1_july_2025() -> None:
    units = unit_hierarchy()
    assert all(u.valid_to == date(2025, 6, 30) for u in units)
    song_cau = units.get("01837")
    assert song_cau.is_valid_on(date(2023, 8, 11)) and not song_cau.is_valid_on(date(2025, 7, 1))


def test_a_commune_sits_under_its_district_and_the_province() -> None:
    assert [u.code for u in unit_hierarchy().lineage("01870")] == ["01870", "060", "06"]


def test_a_province_covers_its_108_communes_and_a_district_only_its_own() -> None:
    units = unit_hierarchy()
    assert len(units.communes_of("06")) == 108
    assert "01837" in units.communes_of("058") and "02017" not in units.communes_of("058")
    assert units.communes_of("01837") == ["01837"]
    assert units.province().code == "06"


def test_an_unknown_code_is_found_nowhere() -> None:
    units = unit_hierarchy()
    assert units.find("01838") is None
    with pytest.raises(KeyError, match="01838"):
        units.get("01838")


def test_a_unit_whose_parent_is_missing_is_an_orphan() -> None:
    commune = unit_hierarchy().get("01837")
    assert UnitHierarchy([commune]).orphans() == ["01837"]
    assert unit_hierarchy().orphans() == []


def test_the_committed_file_is_exactly_what_the_script_generates() -> None:
    script = generator()
    committed = units_file().read_text(encoding="utf-8")
    assert committed == script.render(script.build_document()), "run scripts/generate_units.py, do not edit"


def test_the_script_refuses_a_pilot_outside_the_province() -> None:
    script = generator()
    rows = [row for row in script.province_rows() if row["ward_code"] != 1837]
    with pytest.raises(SystemExit, match="01837"):
        script.check_pilots(rows)
