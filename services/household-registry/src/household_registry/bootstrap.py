"""The composition root of household-registry: from settings (and the shared runtime) to the registry's
services. Nothing here runs at import time; `create_app` calls it once per process."""

from __future__ import annotations

import asyncpg

from backan_shared.event_store import PostgresEventStore
from backan_shared.service_app import Runtime
from household_registry.adapters.crypto import MasterKey
from household_registry.adapters.key_store import PostgresKeyStore
from household_registry.adapters.national_id_index import PostgresNationalIdIndex
from household_registry.reference import load_administrative_units, load_poverty_standards, load_poverty_targets
from household_registry.service_layer.dependencies import Dependencies, ReferenceData
from household_registry.service_layer.publishing import IntegrationPublisher
from household_registry.service_layer.review_imports import ImportOptions
from household_registry.settings import Settings


class Bootstrap:
    """Builds the registry's services once the shared runtime (pool, event store) is up."""

    def __init__(self, settings: Settings) -> None:
        master = MasterKey(settings.master_key_bytes())
        self._keys = PostgresKeyStore(master)
        self._national_ids = PostgresNationalIdIndex(master)
        self._reference = ReferenceData(load_administrative_units(), load_poverty_standards(), load_poverty_targets())
        self._publisher = IntegrationPublisher(settings.service_name, settings.household_topic)
        self.import_options = ImportOptions(
            batch_size=settings.review_import_batch_size,
            failures_listed=settings.review_import_failures_listed,
            takeover_after_seconds=settings.review_import_takeover_seconds,
            poll_seconds=settings.review_import_poll_seconds,
        )
        self.import_max_bytes = settings.review_import_max_bytes

    @property
    def reference(self) -> ReferenceData:
        return self._reference

    def dependencies(self, runtime: Runtime) -> Dependencies:
        """The handlers' and queries' dependencies on this runtime's pool and event store."""
        return self.dependencies_on(runtime.pool, runtime.event_store)

    def dependencies_on(self, pool: asyncpg.Pool, store: PostgresEventStore) -> Dependencies:
        """The same dependencies on any pool of the registry's database: what a tool working on that database
        outside the service (the bench's bulk registration and rebuild) uses, so it never builds them by hand."""
        return Dependencies(
            pool=pool,
            store=store,
            keys=self._keys,
            national_ids=self._national_ids,
            reference=self._reference,
            publisher=self._publisher,
        )
