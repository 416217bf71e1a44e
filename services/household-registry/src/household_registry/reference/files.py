"""Reading this package's JSON files, with any malformation reported as a `ReferenceDataError`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

from household_registry.domain.errors import ReferenceDataError
from household_registry.domain.sources import Source

T = TypeVar("T")
_PACKAGE = "household_registry.reference"


def reference_path(*parts: str) -> Traversable:
    """A file or folder of the reference package, wherever the package is installed."""
    return files(_PACKAGE).joinpath(*parts)


def json_files(folder: str) -> Iterator[Traversable]:
    """The JSON files of one folder, in name order."""
    found = (entry for entry in reference_path(folder).iterdir() if entry.name.endswith(".json"))
    return iter(sorted(found, key=lambda entry: entry.name))


def read_reference(path: Traversable, parse: Callable[[Any], T]) -> T:
    """Parse one JSON file; a missing field or a wrong type names the file it is in."""
    try:
        return parse(json.loads(path.read_text(encoding="utf-8")))
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise ReferenceDataError(f"reference file {path.name} is malformed: {error!r}") from error


def parse_source(data: dict[str, Any]) -> Source:
    """A source entry: document, url, note and whether it is confirmed."""
    return Source(data["document"], data.get("url"), data.get("note"), bool(data.get("confirmed", True)))
