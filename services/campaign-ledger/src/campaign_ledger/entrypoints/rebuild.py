"""Rebuild the statement and public journal from the event store:
`python -m campaign_ledger.entrypoints.rebuild` (with the service's DATABASE_URL)."""

from __future__ import annotations

import asyncio

from backan_shared.database import create_pool
from backan_shared.event_store import PostgresEventStore
from backan_shared.logs import configure_logging, get_logger
from campaign_ledger.service_layer.rebuild import rebuild_read_models
from campaign_ledger.settings import Settings

log = get_logger(__name__)


async def main() -> None:
    """Replay every campaign's events into fresh read models."""
    settings = Settings()  # type: ignore[call-arg]
    configure_logging(settings.service_name, settings.log_level)
    pool = await create_pool(settings.database_url, min_size=1, max_size=2)
    try:
        campaigns = await rebuild_read_models(PostgresEventStore(pool), pool)
    finally:
        await pool.close()
    log.info("read models rebuilt", campaigns=campaigns)


if __name__ == "__main__":
    asyncio.run(main())
