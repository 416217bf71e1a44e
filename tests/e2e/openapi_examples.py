"""Which operations of an OpenAPI document lack an example of their request body or of their answer.

An example counts wherever a reader of the document finds it: on the media type (`example`/`examples`), or on
the schema it names, through `$ref`s into `components.schemas`, array items and `anyOf`/`allOf` options.
"""

from __future__ import annotations

from typing import Any


def operations_without_examples(document: dict[str, Any]) -> list[str]:
    """'METHOD /path: what is missing', for every operation that lacks an example."""
    return [
        f"{method.upper()} {path}: {what}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for what in _missing(document, operation)
    ]


def _missing(document: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    missing = []
    body = operation.get("requestBody")
    if body is not None and not any(_has_example(document, media) for media in body["content"].values()):
        missing.append("request body without an example")
    answers = [answer for status, answer in operation["responses"].items() if status.startswith("2")]
    contents = [media for answer in answers for media in answer.get("content", {}).values()]
    if not any(_has_example(document, media) for media in contents):
        missing.append("answer without an example")
    return missing


def _has_example(document: dict[str, Any], media: dict[str, Any]) -> bool:
    return "example" in media or "examples" in media or _schema_has_example(document, media.get("schema", {}))


def _schema_has_example(document: dict[str, Any], schema: dict[str, Any]) -> bool:
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "example" in schema or "examples" in schema:
        return True
    if schema.get("type") == "array":
        return _schema_has_example(document, schema.get("items", {}))
    options = schema.get("anyOf", []) + schema.get("allOf", [])
    return any(_schema_has_example(document, option) for option in options)
