"""The settings base every service extends: read from the environment, documented in the README."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_INTERNAL_TOKEN = "dev-internal-token-not-for-production"


class ServiceSettings(BaseSettings):
    """What every service needs to run: its name, its database, Kafka, telemetry."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    service_name: str = Field(description="OpenTelemetry service.name and the CloudEvents source")
    dx_env: Literal["dev", "test", "prod"] = "dev"
    database_url: str = Field(description="PostgreSQL URL of this service's own database")
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    kafka_declare_topics: bool = Field(
        default=True,
        description="create the service's topics at startup if missing; off in Kubernetes, where KafkaTopic "
        "resources own them and the service has no right to create topics",
    )
    otel_exporter_otlp_endpoint: str | None = None
    log_level: str = "INFO"
    internal_token: str = Field(
        default=DEV_INTERNAL_TOKEN,
        description="credential the gateway presents to the services; never the default outside dev",
    )
    db_pool_min: int = 1
    db_pool_max: int = 10

    @model_validator(mode="after")
    def _refuse_dev_secrets_in_production(self) -> ServiceSettings:
        if self.dx_env == "prod" and self.internal_token == DEV_INTERNAL_TOKEN:
            raise ValueError("INTERNAL_TOKEN must be set to a real secret when DX_ENV=prod")
        return self
