"""Validation of custom resources against the CRDs of the operators that own them (tests/deployment/crds/).

The API server checks a custom resource against its CRD's openAPIV3Schema and silently drops unknown
fields; here an unknown field is an error instead (the schema is made closed wherever it lists properties
and does not ask to keep unknown ones), so a misspelt field fails a test rather than vanish in the cluster.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from tests.deployment.repository import load_yaml_documents

CRDS = Path(__file__).parent / "crds"


@cache
def served_schemas() -> dict[tuple[str, str], dict[str, Any]]:
    """{(apiVersion, kind): closed schema} for every version the stored CRDs serve."""
    schemas = {}
    for path in sorted(CRDS.glob("*/*.yaml")):
        for crd in load_yaml_documents(path):
            spec = crd["spec"]
            for version in spec["versions"]:
                if version.get("served"):
                    key = (f"{spec['group']}/{version['name']}", spec["names"]["kind"])
                    schemas[key] = _closed(version["schema"]["openAPIV3Schema"])
    return schemas


def is_custom(resource: dict[str, Any]) -> bool:
    """Whether the resource's API group is one of the stored operators' (served version or not)."""
    groups = {api_version.partition("/")[0] for api_version, _ in served_schemas()}
    return str(resource.get("apiVersion", "")).partition("/")[0] in groups


def schema_error(resource: dict[str, Any]) -> str | None:
    """Why the custom resource does not follow its CRD, or None when it does."""
    label = f"{resource.get('kind')}/{resource.get('metadata', {}).get('name')}"
    schema = served_schemas().get((resource.get("apiVersion", ""), resource.get("kind", "")))
    if schema is None:
        return f"{label}: no stored CRD serves {resource.get('apiVersion')} {resource.get('kind')}"
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(resource), key=lambda e: list(e.absolute_path))
    return "\n".join(f"{label}: {'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors) or None


def _closed(schema: Any) -> Any:
    """The schema with `additionalProperties: false` wherever it lists properties and keeps no unknown ones."""
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    closed = {key: _closed(value) for key, value in schema.items()}
    if (
        "properties" in closed
        and "additionalProperties" not in closed
        and not closed.get("x-kubernetes-preserve-unknown-fields")
    ):
        closed["additionalProperties"] = False
    return closed
