"""Settings of household-registry, read from the environment (see the README's configuration table)."""

from __future__ import annotations

import base64
import binascii

from pydantic import Field, SecretStr, model_validator

from backan_shared.contracts import campaign, household
from backan_shared.settings import ServiceSettings

# Only ever used when DX_ENV=dev: anything encrypted under it is readable by whoever has this repository.
DEV_PII_MASTER_KEY = "YmFja2FuLWR4IGRldiBQSUkgbWFzdGVyIGtleSEhISE="
MASTER_KEY_BYTES = 32


class Settings(ServiceSettings):
    """What household-registry needs beyond the shared settings: its master key and its topics."""

    service_name: str = "household-registry"
    pii_master_key: SecretStr | None = Field(
        default=None,
        description="base64 of 32 random bytes; wraps every household's data key. A development key is used "
        "when DX_ENV=dev and none is set; required otherwise, and the development key is refused in prod",
    )
    household_topic: str = Field(default=household.TOPIC, description="where the registry publishes")
    campaign_topic: str = Field(default=campaign.TOPIC, description="where the campaign publishes deliveries")
    campaign_consumer_group: str = Field(
        default="household-registry.campaign-deliveries",
        description="consumer group that records campaign phone deliveries as information access",
    )

    review_import_batch_size: int = Field(
        default=1000, ge=1, description="rows of an annual review import recorded per batch and transaction"
    )
    review_import_failures_listed: int = Field(
        default=100, ge=0, description="failed rows an import lists with their reasons (all are counted)"
    )
    review_import_max_bytes: int = Field(default=64 * 1024 * 1024, ge=1, description="largest review file accepted")
    review_import_takeover_seconds: float = Field(
        default=120.0, gt=0, description="a running import whose worker has not reported for this long is resumed"
    )
    review_import_poll_seconds: float = Field(
        default=5.0, gt=0, description="how often an idle worker looks for imports queued or left by other replicas"
    )

    @model_validator(mode="after")
    def _require_a_real_master_key(self) -> Settings:
        if self.pii_master_key is None:
            if self.dx_env != "dev":
                raise ValueError(f"PII_MASTER_KEY must be set when DX_ENV={self.dx_env}")
            self.pii_master_key = SecretStr(DEV_PII_MASTER_KEY)
        if self.dx_env == "prod" and self.pii_master_key.get_secret_value() == DEV_PII_MASTER_KEY:
            raise ValueError("PII_MASTER_KEY must be a real secret when DX_ENV=prod, not the development key")
        self.master_key_bytes()
        return self

    def master_key_bytes(self) -> bytes:
        """The decoded master key; a key that is not base64 of 32 bytes is refused at startup."""
        assert self.pii_master_key is not None
        try:
            raw = base64.b64decode(self.pii_master_key.get_secret_value(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("PII_MASTER_KEY must be base64") from None
        if len(raw) != MASTER_KEY_BYTES:
            raise ValueError(f"PII_MASTER_KEY must decode to {MASTER_KEY_BYTES} bytes, not {len(raw)}")
        return raw
