"""Generate Bắc Kạn's administrative units (tỉnh → huyện → xã) from the `vietnam-provinces` 0.6.0 package.

Run from the repository root with the workspace's dev dependencies installed:

    .venv/bin/python shared/scripts/generate_units.py

The output is committed at `shared/src/backan_shared/reference/administrative_units_backan.json`, the one
file of units the household registry and the gateway both read; a unit test regenerates it in memory and
fails if the committed file was edited by hand or the package changed. Codes are
never typed: only the pilot communes are named here, and the script refuses to write unless each of them
exists in province 06 under the district DESIGN.md §7 gives.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import vietnam_provinces

PROVINCE_CODE = 6
OUTPUT = Path(__file__).resolve().parents[1] / "src/backan_shared/reference/administrative_units_backan.json"
EXPECTED_VERSION = "0.6.0"
EXPECTED_DISTRICTS = 8
EXPECTED_COMMUNES = 108
# Resolution 855/NQ-UBTVQH14 (10 January 2020, in force 1 February 2020) left Bắc Kạn with 108 commune-level
# units; the two-level reform of 1 July 2025 ended this hierarchy (Bắc Kạn merged into Thái Nguyên).
VALID_FROM = "2020-02-01"
VALID_TO = "2025-06-30"
# The 8 communes/wards of the 2023 smartphone programme and their districts, as DESIGN.md §7 lists them.
PILOT_COMMUNES = {
    1837: "Thành phố Bắc Kạn",
    2017: "Huyện Bạch Thông",
    1912: "Huyện Ba Bể",
    2071: "Huyện Chợ Đồn",
    2122: "Huyện Chợ Mới",
    1951: "Huyện Ngân Sơn",
    2173: "Huyện Na Rì",
    1870: "Huyện Pác Nặm",
}


def require(condition: bool, message: str) -> None:
    """Stop generation with a message (unlike `assert`, this survives `python -O`)."""
    if not condition:
        raise SystemExit(f"generate_units: {message}")


def official_code(number: int, level: str) -> str:
    """Official codes are zero-padded: province 2 digits, district 3, commune 5 (e.g. 06, 058, 01837)."""
    width = {"province": 2, "district": 3, "commune": 5}[level]
    return f"{number:0{width}d}"


def tidy_name(name: str) -> str:
    # The package capitalises "Phố" in a few city names ("Thành Phố Bắc Kạn"); official usage is "Thành phố".
    return name.replace("Thành Phố ", "Thành phố ", 1)


def unit(code: str, name: str, level: str, parent_code: str | None, pilot: bool = False) -> dict[str, Any]:
    """One unit record, in the shape `backan_shared.reference.units` reads."""
    return {
        "code": code,
        "name": tidy_name(name),
        "level": level,
        "parent_code": parent_code,
        "pilot": pilot,
        "valid_from": VALID_FROM,
        "valid_to": VALID_TO,
    }


def province_rows() -> list[dict[str, Any]]:
    """The package's flat rows (one per commune) of Bắc Kạn."""
    rows: list[dict[str, Any]] = json.loads(vietnam_provinces.FLAT_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    return [row for row in rows if row["province_code"] == PROVINCE_CODE]


def check_pilots(rows: list[dict[str, Any]]) -> None:
    """Refuse to generate unless every pilot commune exists in province 06 under its expected district."""
    by_code = {row["ward_code"]: row for row in rows if row["province_code"] == PROVINCE_CODE}
    for code, district in PILOT_COMMUNES.items():
        row = by_code.get(code, {})
        require(bool(row), f"pilot commune {code:05d} is not a commune of province {PROVINCE_CODE:02d}")
        found = tidy_name(row["district_name"])
        require(found.casefold() == district.casefold(), f"pilot {code:05d} lies in {found}, not {district}")


def build_units(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Province, then districts, then communes, each sorted by code."""
    province = official_code(PROVINCE_CODE, "province")
    districts = {row["district_code"]: row["district_name"] for row in rows}
    units = [unit(province, rows[0]["province_name"], "province", None)]
    units += [unit(official_code(c, "district"), n, "district", province) for c, n in sorted(districts.items())]
    for row in sorted(rows, key=lambda r: int(r["ward_code"])):
        parent = official_code(row["district_code"], "district")
        pilot = row["ward_code"] in PILOT_COMMUNES
        units.append(unit(official_code(row["ward_code"], "commune"), row["ward_name"], "commune", parent, pilot))
    require(len(districts) == EXPECTED_DISTRICTS, f"expected {EXPECTED_DISTRICTS} districts, got {len(districts)}")
    require(len(rows) == EXPECTED_COMMUNES, f"expected {EXPECTED_COMMUNES} communes, got {len(rows)}")
    return units


def build_document() -> dict[str, Any]:
    """The whole reference file: version, source and the units."""
    require(vietnam_provinces.__version__ == EXPECTED_VERSION, f"needs vietnam-provinces {EXPECTED_VERSION}")
    rows = province_rows()
    check_pilots(rows)
    return {
        "version": f"backan-units-{VALID_FROM}",
        "title": "Administrative units of Bắc Kạn province (three levels, before the 1 July 2025 reform)",
        "source": {
            "document": f"PyPI package vietnam-provinces {vietnam_provinces.__version__}, data/flat-divisions.json",
            "data_retrieved": vietnam_provinces.__data_version__,
            "note": "Official codes of the General Statistics Office; the hierarchy follows Resolution "
            "855/NQ-UBTVQH14 (in force 1 February 2020) until the two-level reform of 1 July 2025.",
        },
        "generated_by": "shared/scripts/generate_units.py",
        "units": build_units(rows),
    }


def render(document: dict[str, Any]) -> str:
    """The JSON text exactly as committed (so a test can compare byte for byte)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    OUTPUT.write_text(render(build_document()), encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
