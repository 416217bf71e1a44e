"""The master key setting: a development default only in dev, required elsewhere, refused in prod."""

from __future__ import annotations

import base64
import os

import pytest
from pydantic import ValidationError

from household_registry.settings import DEV_PII_MASTER_KEY, Settings

REAL_KEY = base64.b64encode(os.urandom(32)).decode()
REAL_TOKEN = "a-real-internal-token"


@pytest.fixture(autouse=True)
def no_master_key_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PII_MASTER_KEY", raising=False)


def settings(**overrides: str) -> Settings:
    return Settings(database_url="postgresql://localhost/registry", **overrides)  # type: ignore[arg-type]


def test_dev_uses_the_development_key_when_none_is_set() -> None:
    assert settings(dx_env="dev").master_key_bytes() == base64.b64decode(DEV_PII_MASTER_KEY)


@pytest.mark.parametrize("env", ["test", "prod"])
def test_outside_dev_the_master_key_must_be_set(env: str) -> None:
    with pytest.raises(ValidationError, match="PII_MASTER_KEY must be set"):
        settings(dx_env=env, internal_token=REAL_TOKEN)


def test_prod_refuses_the_development_key() -> None:
    with pytest.raises(ValidationError, match="real secret"):
        settings(dx_env="prod", internal_token=REAL_TOKEN, pii_master_key=DEV_PII_MASTER_KEY)


def test_prod_runs_with_a_real_key() -> None:
    assert len(settings(dx_env="prod", internal_token=REAL_TOKEN, pii_master_key=REAL_KEY).master_key_bytes()) == 32


@pytest.mark.parametrize(
    ("key", "says"), [("not base64!", "base64"), (base64.b64encode(b"short").decode(), "32 bytes")]
)
def test_a_malformed_master_key_is_refused_at_startup(key: str, says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        settings(dx_env="test", pii_master_key=key)


def test_the_master_key_never_shows_in_a_repr() -> None:
    assert REAL_KEY not in repr(settings(dx_env="test", pii_master_key=REAL_KEY))
