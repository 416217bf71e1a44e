"""Schema validation of one resource: core kinds with kubernetes-validate's strict schemas, custom kinds
against the CRDs of the operators that own them."""

from __future__ import annotations

from typing import Any

import kubernetes_validate

from tests.deployment import custom_resources

# Managed clusters lag upstream by a few minors: a manifest valid for this one uses no newer field.
KUBERNETES_VERSION = "1.33"


def schema_error(resource: dict[str, Any]) -> str | None:
    """Why the resource is not valid (unknown fields included), or None when it is."""
    if custom_resources.is_custom(resource):
        return custom_resources.schema_error(resource)
    try:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        path = ".".join(str(part) for part in error.path)
        return f"{resource['kind']}/{resource['metadata']['name']}: {path}: {error.message}"
    return None
