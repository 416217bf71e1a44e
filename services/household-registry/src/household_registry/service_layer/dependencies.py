"""What the registry's handlers and queries need, as one object built once per process by `bootstrap`."""

from __future__ import annotations

from dataclasses import dataclass

from backan_shared.command_handling import CommandDependencies
from household_registry.adapters.key_store import PostgresKeyStore
from household_registry.adapters.national_id_index import PostgresNationalIdIndex
from household_registry.domain.poverty_standard import PovertyStandards
from household_registry.domain.targets import PovertyTargets
from household_registry.domain.units import AdministrativeUnits
from household_registry.service_layer.publishing import IntegrationPublisher


@dataclass(frozen=True)
class ReferenceData:
    """The versioned reference data commands and statistics are decided by."""

    units: AdministrativeUnits
    standards: PovertyStandards
    targets: PovertyTargets


@dataclass(frozen=True, kw_only=True)
class Dependencies(CommandDependencies):
    """The event store and pool (shared), the key store, duplicate index, reference data and integration
    publisher."""

    keys: PostgresKeyStore
    national_ids: PostgresNationalIdIndex
    reference: ReferenceData
    publisher: IntegrationPublisher
