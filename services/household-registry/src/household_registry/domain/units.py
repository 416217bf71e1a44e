"""Administrative units (đơn vị hành chính): province (tỉnh) → district (huyện) → commune (xã, phường, thị trấn).

Codes are the official ones. A unit carries the dates it was valid: a record keeps the code that was valid
when it was made, even after the two-level reform of 1 July 2025 merged districts away.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from household_registry.domain.errors import NotACommuneError, ReferenceDataError, UnknownUnitError


class UnitLevel(StrEnum):
    """The level of a unit in the three-level hierarchy used until 30 June 2025."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


@dataclass(frozen=True)
class AdministrativeUnit:
    """One unit with its official code; the 8 communes of the smartphone programme are `pilot`."""

    code: str
    name: str
    level: UnitLevel
    parent_code: str | None
    pilot: bool
    valid_from: date
    valid_to: date | None

    def is_valid_on(self, day: date) -> bool:
        """Whether the unit existed with this code on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class AdministrativeUnits:
    """A hierarchy of units, looked up by code."""

    def __init__(self, units: Iterable[AdministrativeUnit]) -> None:
        self._by_code = {unit.code: unit for unit in units}
        orphans = sorted(u.code for u in self._by_code.values() if u.parent_code and u.parent_code not in self)
        if orphans:
            raise ReferenceDataError(f"units whose parent is missing: {', '.join(orphans)}")

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self) -> Iterator[AdministrativeUnit]:
        return iter(self._by_code.values())

    def get(self, code: str) -> AdministrativeUnit:
        """The unit with that official code."""
        try:
            return self._by_code[code]
        except KeyError:
            raise UnknownUnitError(f"no administrative unit has code {code!r}") from None

    def at_level(self, level: UnitLevel, parent_code: str | None = None) -> list[AdministrativeUnit]:
        """Units of one level, optionally only those under `parent_code`, sorted by code."""
        found = (u for u in self._by_code.values() if u.level is level)
        return sorted((u for u in found if parent_code is None or u.parent_code == parent_code), key=_code)

    def lineage(self, code: str) -> list[AdministrativeUnit]:
        """The unit and every unit above it: commune, district, province."""
        chain = [self.get(code)]
        while chain[-1].parent_code is not None:
            chain.append(self.get(chain[-1].parent_code))
        return chain

    def pilots(self) -> list[AdministrativeUnit]:
        """The pilot communes/wards of the smartphone programme (phổ cập điện thoại thông minh)."""
        return sorted((u for u in self._by_code.values() if u.pilot), key=_code)

    def check_commune(self, code: str) -> AdministrativeUnit:
        """The commune with that code; a district or province code is refused."""
        unit = self.get(code)
        if unit.level is not UnitLevel.COMMUNE:
            raise NotACommuneError(f"{code} ({unit.name}) is a {unit.level.value}, not a commune")
        return unit


def _code(unit: AdministrativeUnit) -> str:
    return unit.code
