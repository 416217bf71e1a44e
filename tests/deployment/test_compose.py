"""docker-compose.yml runs the same system as `./dx up`: valid, health-gated, configured, without secrets."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any

import jsonschema
import pytest

from harness.services import SERVICES, Service
from tests.deployment import compose
from tests.deployment.repository import COMPOSE_FILE, DOCKERFILE
from tests.deployment.service_settings import settings_error

SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|(^|_)KEY$|CREDENTIAL", re.IGNORECASE)
APP_VARIABLES = {
    "SERVICE_NAME",
    "DX_ENV",
    "DATABASE_URL",
    "KAFKA_BOOTSTRAP_SERVERS",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "INTERNAL_TOKEN",
}
by_name = pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.name)


def _app(service: Service) -> dict[str, Any]:
    assert service.name in compose.services(), f"docker-compose.yml has no service {service.name}"
    return compose.services()[service.name]


def _peers_url_variable(service: Service) -> str:
    return f"{service.package.upper()}_URL"


def test_the_compose_file_follows_the_compose_specification() -> None:
    schema_file = files("check_jsonschema") / "builtin_schemas" / "vendor" / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(compose.document())]
    assert not errors, "\n".join(errors)


def test_every_compose_service_has_a_healthcheck() -> None:
    missing = [
        name
        for name, service in compose.services().items()
        if not service.get("healthcheck", {}).get("test") or service["healthcheck"].get("disable")
    ]
    assert not missing, f"services without a healthcheck: {missing}"


def test_every_dependency_waits_for_a_healthy_service_that_exists() -> None:
    problems = []
    for name, service in compose.services().items():
        depends_on = service.get("depends_on", {})
        if isinstance(depends_on, list):
            problems.append(f"{name}: depends_on is a list, so it waits for nothing but the container's start")
            continue
        for dependency, options in depends_on.items():
            if dependency not in compose.services():
                problems.append(f"{name} depends on {dependency}, which is not defined")
            if (options or {}).get("condition") != "service_healthy":
                problems.append(f"{name} does not wait for {dependency} to be healthy")
    assert not problems, "\n".join(problems)


def test_every_build_names_a_dockerfile_that_exists() -> None:
    built = {name: service["build"] for name, service in compose.services().items() if "build" in service}
    assert {s.name for s in SERVICES} <= set(built), "every application service is built from its Dockerfile"
    for name, build in built.items():
        context = COMPOSE_FILE.parent / (build if isinstance(build, str) else build.get("context", "."))
        dockerfile = context / ("Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile"))
        assert dockerfile.is_file(), f"{name} builds {dockerfile}, which does not exist"


@by_name
def test_every_application_service_is_built_from_the_one_dockerfile_for_itself(service: Service) -> None:
    build = _app(service)["build"]
    assert isinstance(build, dict) and build.get("context") == ".", "the context is the repository root"
    assert COMPOSE_FILE.parent / build.get("dockerfile", "Dockerfile") == DOCKERFILE
    assert compose.build_arguments(_app(service)) == {"SERVICE": service.name, "PACKAGE": service.package}
    assert _app(service).get("image") == f"backan-dx/{service.name}", "the image the Kubernetes manifests run"


@by_name
def test_every_application_service_gets_its_configuration(service: Service) -> None:
    env = compose.environment(_app(service))
    assert set(env) >= APP_VARIABLES, f"missing: {sorted(APP_VARIABLES - set(env))}"
    assert env["SERVICE_NAME"] == service.name
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"


@by_name
def test_every_application_service_accepts_its_compose_environment(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {name: compose.resolved(value) for name, value in compose.environment(_app(service)).items()}
    error = settings_error(service, environment, monkeypatch)
    assert error is None, f"{service.name} would refuse to start:\n{error}"


@by_name
def test_every_application_service_uses_its_own_database_on_the_postgres_service(service: Service) -> None:
    host, port, path = compose.url_parts(compose.environment(_app(service))["DATABASE_URL"])
    assert host in compose.services_running("postgres:"), f"{host} is not the PostgreSQL service"
    assert port == 5432
    assert path == f"/{service.database}"


@by_name
def test_every_application_service_finds_kafka_at_the_kafka_service(service: Service) -> None:
    servers = compose.environment(_app(service))["KAFKA_BOOTSTRAP_SERVERS"].split(",")
    kafka_services = compose.services_running("apache/kafka:")
    assert servers and all(server.rpartition(":")[0] in kafka_services for server in servers), servers


def test_the_gateway_finds_every_peer_by_its_compose_name() -> None:
    gateway = next(s for s in SERVICES if s.name == "gateway")
    env = compose.environment(_app(gateway))
    for peer in SERVICES:
        if peer is not gateway:
            assert env.get(_peers_url_variable(peer)) == f"http://{peer.name}:8000", peer.name


@by_name
def test_every_application_healthcheck_asks_whether_the_service_is_ready(service: Service) -> None:
    probe = " ".join(_app(service)["healthcheck"]["test"])
    assert "127.0.0.1:8000/readyz" in probe


def test_only_the_gateway_is_published_among_the_application_services() -> None:
    for service in SERVICES:
        ports = _app(service).get("ports", [])
        if service.name == "gateway":
            assert ports == ["${GATEWAY_PORT:-8000}:8000"], "the gateway honours GATEWAY_PORT, as ./dx does"
        else:
            assert not ports, f"{service.name} is reached through the gateway, not published"


@by_name
def test_required_secrets_must_be_set_by_whoever_starts_compose(service: Service) -> None:
    env = compose.environment(_app(service))
    assert compose.is_required_reference(env["INTERNAL_TOKEN"], "INTERNAL_TOKEN"), env["INTERNAL_TOKEN"]
    password = compose.url_password(env["DATABASE_URL"]) or ""
    assert compose.is_required_reference(password, "POSTGRES_PASSWORD"), env["DATABASE_URL"]
    postgres = compose.services()[compose.services_running("postgres:")[0]]
    assert compose.is_required_reference(compose.environment(postgres)["POSTGRES_PASSWORD"], "POSTGRES_PASSWORD")


def test_no_compose_service_holds_a_literal_secret() -> None:
    literal = []
    for name, service in compose.services().items():
        for variable, value in compose.environment(service).items():
            if SECRET_NAME.search(variable) and not compose.is_required_reference(value):
                literal.append(f"{name}: {variable}")
            password = compose.url_password(value)
            if password is not None and not compose.is_required_reference(password):
                literal.append(f"{name}: the password in {variable}")
    assert not literal, f"secrets written into docker-compose.yml: {literal}"
