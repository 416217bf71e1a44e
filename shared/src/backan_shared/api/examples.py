"""Examples in the OpenAPI documents: a model shows what it looks like filled in."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict


def examples(*documents: dict[str, Any]) -> ConfigDict:
    """A model configuration that lists `documents` as the schema's examples."""
    return ConfigDict(json_schema_extra={"examples": list(documents)})
