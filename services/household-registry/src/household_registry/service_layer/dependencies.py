"""What the handlers and queries need, built once per process by the composition root (`bootstrap`)."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from backan_shared.event_store import PostgresEventStore
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


@dataclass(frozen=True)
class RegistryServices:
    """The registry's database, key store, duplicate index, reference data and integration publisher."""

    pool: asyncpg.Pool
    store: PostgresEventStore
    keys: PostgresKeyStore
    national_ids: PostgresNationalIdIndex
    reference: ReferenceData
    publisher: IntegrationPublisher
