"""How the services' Kafka clients reach a cluster: plain text locally, mutual TLS where the settings ask."""

import ssl
import subprocess
from pathlib import Path

import pytest
from pydantic import ValidationError

from backan_shared.kafka_clients import KafkaEndpoint, client_options
from backan_shared.settings import ServiceSettings


def settings(**tls: str) -> ServiceSettings:
    return ServiceSettings(service_name="s", database_url="postgresql://x/y", kafka_bootstrap_servers="k:9093", **tls)


def self_signed(folder: Path) -> dict[str, str]:
    """A CA-less pair good enough to load: the client's certificate doubles as the CA file."""
    key, cert = folder / "user.key", folder / "user.crt"
    request = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=campaign-ledger"]
    subprocess.run(
        [*request, "-days", "1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return {"kafka_ssl_cafile": str(cert), "kafka_ssl_certfile": str(cert), "kafka_ssl_keyfile": str(key)}


def test_a_bootstrap_string_is_a_plain_text_cluster() -> None:
    assert client_options("127.0.0.1:9092") == {"bootstrap_servers": "127.0.0.1:9092"}
    assert settings().kafka_endpoint() == KafkaEndpoint("k:9093")


def test_tls_settings_give_every_client_the_services_certificate(tmp_path: Path) -> None:
    options = settings(kafka_security_protocol="SSL", **self_signed(tmp_path)).kafka_endpoint().client_options()
    assert options["bootstrap_servers"] == "k:9093"
    assert options["security_protocol"] == "SSL"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["ssl_context"].verify_mode is ssl.CERT_REQUIRED


def test_tls_without_its_files_is_refused_at_start_up() -> None:
    with pytest.raises(ValidationError, match="KAFKA_SSL_CAFILE"):
        settings(kafka_security_protocol="SSL", kafka_ssl_cafile="/etc/kafka/ca/ca.crt")
