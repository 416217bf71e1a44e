"""Settings of the gateway, read from the environment (see the README's configuration table)."""

from pathlib import Path

from pydantic import Field, model_validator

from backan_shared.contracts import campaign, dti, household
from backan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "gateway"
    jwt_issuer: str = "backan-dx-dev"
    jwt_audience: str = "backan-dx"
    jwt_public_key_file: Path | None = None
    jwks_url: str | None = None
    campaign_ledger_url: str = "http://127.0.0.1:8001"
    household_registry_url: str = "http://127.0.0.1:8002"
    dti_scoring_url: str = "http://127.0.0.1:8003"
    campaign_topic: str = Field(default=campaign.TOPIC, description="campaign-ledger's integration topic")
    household_topic: str = Field(default=household.TOPIC, description="household-registry's integration topic")
    dti_topic: str = Field(default=dti.TOPIC, description="dti-scoring's integration topic")
    consumer_group_prefix: str = Field(
        default="gateway", description="consumer groups are <prefix>.campaign, <prefix>.household, <prefix>.dti"
    )
    consistency_wait_seconds: float = Field(
        default=5.0, gt=0, description="how long a read with a Consistency-Token waits for the write to arrive"
    )

    @model_validator(mode="after")
    def _verifying_keys_are_configured(self) -> "Settings":
        if self.dx_env == "prod" and not self.jwks_url:
            raise ValueError("JWKS_URL must name the identity provider's keys when DX_ENV=prod")
        if not self.jwks_url and not self.jwt_public_key_file:
            raise ValueError("set JWKS_URL or JWT_PUBLIC_KEY_FILE so the gateway can verify tokens")
        return self
