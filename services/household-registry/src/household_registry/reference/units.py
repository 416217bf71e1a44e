"""The registry's view of Bắc Kạn's administrative units, read from their one home in the shared library."""

from __future__ import annotations

from functools import cache

from backan_shared.reference import units
from household_registry.domain.units import AdministrativeUnits


@cache
def load_administrative_units() -> AdministrativeUnits:
    """Province 06, its 8 districts and 108 communes/wards/towns, with the registry's lookup errors."""
    return AdministrativeUnits(units.load_administrative_units())
