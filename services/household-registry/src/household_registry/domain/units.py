"""Administrative units (đơn vị hành chính) as the registry's rules see them: a household lives in a commune.

The units themselves (their model, the generated file and its loader) have one home in
`backan_shared.reference.units`, read by the registry and the gateway alike; this module adds the registry's
errors: an unknown code is a `UnknownUnitError`, a district where a commune is wanted a `NotACommuneError`.
"""

from __future__ import annotations

from collections.abc import Iterable

from backan_shared.reference.units import AdministrativeUnit, UnitHierarchy, UnitLevel
from household_registry.domain.errors import NotACommuneError, ReferenceDataError, UnknownUnitError

__all__ = ["AdministrativeUnit", "AdministrativeUnits", "UnitLevel"]


class AdministrativeUnits(UnitHierarchy):
    """A hierarchy of units, looked up by code, whose lookups fail with the registry's errors."""

    def __init__(self, units: Iterable[AdministrativeUnit]) -> None:
        super().__init__(units)
        if orphans := self.orphans():
            raise ReferenceDataError(f"units whose parent is missing: {', '.join(orphans)}")

    def get(self, code: str) -> AdministrativeUnit:
        """The unit with that official code."""
        unit = self.find(code)
        if unit is None:
            raise UnknownUnitError(f"no administrative unit has code {code!r}")
        return unit

    def check_commune(self, code: str) -> AdministrativeUnit:
        """The commune with that code; a district or province code is refused."""
        unit = self.get(code)
        if unit.level is not UnitLevel.COMMUNE:
            raise NotACommuneError(f"{code} ({unit.name}) is a {unit.level.value}, not a commune")
        return unit
