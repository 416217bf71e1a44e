"""Settings of the gateway, read from the environment (see the README's configuration table)."""

from pathlib import Path

from pydantic import model_validator

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

    @model_validator(mode="after")
    def _verifying_keys_are_configured(self) -> "Settings":
        if self.dx_env == "prod" and not self.jwks_url:
            raise ValueError("JWKS_URL must name the identity provider's keys when DX_ENV=prod")
        if not self.jwks_url and not self.jwt_public_key_file:
            raise ValueError("set JWKS_URL or JWT_PUBLIC_KEY_FILE so the gateway can verify tokens")
        return self
