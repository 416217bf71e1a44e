"""The registry's view of the shared administrative units: its lookups fail with the registry's errors."""

from __future__ import annotations

import pytest

from household_registry.domain.errors import NotACommuneError, ReferenceDataError, UnknownUnitError
from household_registry.domain.units import AdministrativeUnits
from household_registry.reference import load_administrative_units


def test_a_household_cannot_live_in_a_district_or_an_unknown_code() -> None:
    units = load_administrative_units()
    with pytest.raises(NotACommuneError):
        units.check_commune("060")
    with pytest.raises(UnknownUnitError):
        units.get("01838")
    assert units.check_commune("01837").name == "Phường Sông Cầu"


def test_a_hierarchy_with_a_unit_whose_parent_is_missing_is_refused() -> None:
    with pytest.raises(ReferenceDataError, match="01837"):
        AdministrativeUnits([load_administrative_units().get("01837")])
