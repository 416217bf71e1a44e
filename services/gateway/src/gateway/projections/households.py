"""The household family: the registry's published poverty figures per unit and year, and households per commune.

Integration events carry no ethnicity, income or deprivations (sensitive data stays in the registry), so the
poverty figures are the registry's own aggregates (`PovertyStatisticsUpdated`): counts, rates, the ethnic-minority
figures, the reduction, the target and the projection, per commune, district and province. Of each household
the gateway keeps only what its views still count: that it is registered in a commune and whether it has
information access.
"""

from __future__ import annotations

from datetime import datetime

from backan_shared.contracts import household as contract
from gateway.projections.handling import Handlers, Write, write

_KNOWN = "INSERT INTO households (household_id, commune_code) VALUES ($1, $2) ON CONFLICT DO NOTHING"


def registered(event: contract.HouseholdRegistered, _time: datetime) -> Write:
    """A household now exists in a commune's registry."""
    return write(
        """INSERT INTO households (household_id, commune_code, area, registered_on) VALUES ($1, $2, $3, $4)
           ON CONFLICT (household_id) DO UPDATE SET commune_code = EXCLUDED.commune_code, area = EXCLUDED.area,
               registered_on = EXCLUDED.registered_on""",
        event.household_id,
        event.commune_code,
        event.area,
        event.registered_on,
    )


def classified(event: contract.HouseholdClassified, _time: datetime) -> Write:
    """A year's classification: it reaches the views through the figures the registry publishes with it; the
    household is known from now on (any event may be the first the gateway sees of one; each carries its
    commune)."""
    return write(_KNOWN, event.household_id, event.commune_code)


def information_access_recorded(event: contract.InformationAccessRecorded, time: datetime) -> Write:
    """The household can now access information; keep the latest access (its projection reaches the views
    through the figures the registry publishes with it)."""
    return write(
        """INSERT INTO households (household_id, commune_code, information_access_on, access_recorded_at)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (household_id) DO UPDATE SET information_access_on = EXCLUDED.information_access_on,
               access_recorded_at = EXCLUDED.access_recorded_at
           WHERE households.access_recorded_at IS NULL
              OR households.access_recorded_at <= EXCLUDED.access_recorded_at""",
        event.household_id,
        event.commune_code,
        event.recorded_on,
        time,
    )


def personal_data_erased(event: contract.PersonalDataErased, _time: datetime) -> None:
    """Nothing to erase: the gateway never holds a household's personal data."""


def poverty_statistics_updated(event: contract.PovertyStatisticsUpdated, _time: datetime) -> Write:
    """A unit's figures for a year; the highest revision wins, whatever order the events arrive in."""
    return write(
        """INSERT INTO poverty_statistics (unit_code, year, revision, figures) VALUES ($1, $2, $3, $4)
           ON CONFLICT (unit_code, year) DO UPDATE SET revision = EXCLUDED.revision, figures = EXCLUDED.figures
           WHERE EXCLUDED.revision >= poverty_statistics.revision""",
        event.unit_code,
        event.year,
        event.revision,
        event.model_dump(mode="json"),
    )


HANDLERS: Handlers = {
    contract.HouseholdRegistered: registered,
    contract.HouseholdClassified: classified,
    contract.InformationAccessRecorded: information_access_recorded,
    contract.PersonalDataErased: personal_data_erased,
    contract.PovertyStatisticsUpdated: poverty_statistics_updated,
}
