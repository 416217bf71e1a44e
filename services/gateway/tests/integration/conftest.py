"""A gateway app on the real PostgreSQL and Kafka, with its own dev key pair."""

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from gateway.entrypoints.app import create_app
from gateway.settings import Settings
from harness.devkeys import ensure_key_pair, mint_token


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return ensure_key_pair(tmp_path / "keys")


@pytest.fixture
async def gateway(database_url: str, kafka_bootstrap: str, keys: tuple[Path, Path]) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=database_url,
        kafka_bootstrap_servers=kafka_bootstrap,
        jwt_public_key_file=keys[1],
        internal_token="internal",
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://g") as client:
        yield client


@pytest.fixture
def token(keys: tuple[Path, Path]):  # type: ignore[no-untyped-def]
    def mint(*scopes: str) -> str:
        return mint_token(list(scopes), subject="test-officer", private_key=keys[0])

    return mint
