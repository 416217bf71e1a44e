"""The settings base every service extends: read from the environment, documented in the README."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from backan_shared.kafka_clients import KafkaEndpoint, KafkaTls

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
    kafka_security_protocol: Literal["PLAINTEXT", "SSL"] = Field(
        default="PLAINTEXT", description="SSL: mutual TLS with the files below (the cluster's TLS listener)"
    )
    kafka_ssl_cafile: str | None = Field(default=None, description="PEM file of the Kafka cluster's CA")
    kafka_ssl_certfile: str | None = Field(default=None, description="PEM file of this service's client certificate")
    kafka_ssl_keyfile: str | None = Field(default=None, description="PEM file of this service's client key")
    otel_exporter_otlp_endpoint: str | None = None
    log_level: str = "INFO"
    internal_token: str = Field(
        default=DEV_INTERNAL_TOKEN,
        description="credential the gateway presents to the services; never the default outside dev",
    )
    db_pool_min: int = 1
    db_pool_max: int = 10

    def kafka_endpoint(self) -> KafkaEndpoint:
        """How this service's Kafka clients reach the cluster."""
        if self.kafka_security_protocol == "PLAINTEXT":
            return KafkaEndpoint(self.kafka_bootstrap_servers)
        tls = KafkaTls(str(self.kafka_ssl_cafile), str(self.kafka_ssl_certfile), str(self.kafka_ssl_keyfile))
        return KafkaEndpoint(self.kafka_bootstrap_servers, tls)

    @model_validator(mode="after")
    def _tls_needs_its_files(self) -> ServiceSettings:
        files = (self.kafka_ssl_cafile, self.kafka_ssl_certfile, self.kafka_ssl_keyfile)
        if self.kafka_security_protocol == "SSL" and not all(files):
            raise ValueError(
                "KAFKA_SECURITY_PROTOCOL=SSL needs KAFKA_SSL_CAFILE, KAFKA_SSL_CERTFILE, KAFKA_SSL_KEYFILE"
            )
        return self

    @model_validator(mode="after")
    def _refuse_dev_secrets_in_production(self) -> ServiceSettings:
        if self.dx_env == "prod" and self.internal_token == DEV_INTERNAL_TOKEN:
            raise ValueError("INTERNAL_TOKEN must be set to a real secret when DX_ENV=prod")
        return self
