"""docker-compose.yml as the tests read it: services, their environment, and Compose's interpolation."""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from tests.deployment.repository import COMPOSE_FILE, load_yaml

# ${NAME}, ${NAME:-default}, ${NAME:?error} and the like: what Compose fills in from the environment.
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<modifier>:?[-?+])?(?P<rest>[^}]*)\}")


@cache
def document() -> dict[str, Any]:
    return dict(load_yaml(COMPOSE_FILE))


def services() -> dict[str, dict[str, Any]]:
    return dict(document()["services"])


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a mapping, whichever of the two forms the file uses."""
    raw = service.get("environment", {})
    if isinstance(raw, list):
        raw = dict(entry.partition("=")[::2] for entry in raw)
    return {name: "" if value is None else str(value) for name, value in raw.items()}


def build_arguments(service: dict[str, Any]) -> dict[str, str]:
    """The build arguments a service's image is built with, whichever of the two forms the file uses."""
    build = service.get("build", {})
    raw = build.get("args", {}) if isinstance(build, dict) else {}
    if isinstance(raw, list):
        raw = dict(entry.partition("=")[::2] for entry in raw)
    return {name: "" if value is None else str(value) for name, value in raw.items()}


def is_required_reference(value: str, variable: str | None = None) -> bool:
    """Whether the value is exactly `${VAR:?message}` (or `${VAR?message}`): Compose refuses to start without it."""
    match = INTERPOLATION.fullmatch(value)
    return bool(match and match["modifier"] in {":?", "?"} and variable in {None, match["name"]})


def interpolated(value: str, placeholder: str = "placeholder") -> str:
    """The value with every interpolation replaced, so it can be parsed as a URL or an address."""
    return INTERPOLATION.sub(placeholder, value)


def url_parts(value: str) -> tuple[str | None, int | None, str]:
    """(host, port, path) of a URL in the environment, interpolations filled with placeholders."""
    parts = urlsplit(interpolated(value))
    return parts.hostname, parts.port, parts.path


def services_running(image_prefix: str) -> list[str]:
    return [name for name, service in services().items() if str(service.get("image", "")).startswith(image_prefix)]


def url_password(value: str) -> str | None:
    """The password of a URL as written, interpolation and all (`scheme://user:PASSWORD@host/...`)."""
    match = re.search(r"://[^:/@]+:([^@]+)@", value)
    return match[1] if match else None


def resolved(value: str) -> str:
    """The value as Compose would pass it on, given that every required variable is set to something."""

    def fill(match: re.Match[str]) -> str:
        if match["modifier"] in {":-", "-"}:
            return match["rest"]
        if match["modifier"] in {":?", "?"}:
            if match["name"].endswith("_KEY"):  # keys are checked for their shape: base64 of 32 bytes
                return "c2V0LWJ5LXRoZS1vcGVyYXRvci0zMi1ieXRlcy1rZXk="
            return f"set-by-the-operator-{match['name'].lower()}"
        return ""

    return INTERPOLATION.sub(fill, value)
