"""Bắc Kạn's administrative units, so figures of communes add up to their district and the province.

`reference/administrative_units_backan.json` is the household registry's generated file (from the
`vietnam-provinces` 0.6.0 package), copied unchanged; a unit test fails if the two ever differ.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_FILE = Path(__file__).resolve().parent / "reference" / "administrative_units_backan.json"


@dataclass(frozen=True)
class Unit:
    """A province (tỉnh), district (huyện) or commune/ward (xã/phường) by its official code."""

    code: str
    name: str
    level: str
    parent_code: str | None
    pilot: bool


@cache
def _units() -> dict[str, Unit]:
    rows = json.loads(_FILE.read_text(encoding="utf-8"))["units"]
    return {row["code"]: Unit(row["code"], row["name"], row["level"], row["parent_code"], row["pilot"]) for row in rows}


def find(code: str) -> Unit | None:
    """The unit with this official code, if Bắc Kạn has one."""
    return _units().get(code)


def province() -> Unit:
    """The province itself."""
    return next(unit for unit in _units().values() if unit.level == "province")


def at_level(level: str) -> list[Unit]:
    """Every unit of a level, by code."""
    return sorted((u for u in _units().values() if u.level == level), key=lambda u: u.code)


def communes_of(code: str) -> list[str]:
    """The codes of the communes a unit covers (a commune covers itself)."""
    return [unit.code for unit in at_level("commune") if code in _lineage(unit)]


def _lineage(unit: Unit) -> list[str]:
    codes = [unit.code]
    while unit.parent_code is not None:
        unit = _units()[unit.parent_code]
        codes.append(unit.code)
    return codes
