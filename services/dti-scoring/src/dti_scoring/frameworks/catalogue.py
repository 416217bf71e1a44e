"""The framework catalogue: every released framework version, as JSON files beside this module.

`manifest.json` records each file's SHA-256. A file whose content no longer matches is refused, because a
released version must never change: assessments finalised on it would silently mean something else. A new
year's framework is a new file and a new manifest entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from dti_scoring.domain.errors import FrameworkError, UnknownFrameworkError
from dti_scoring.domain.framework import Framework, Level
from dti_scoring.domain.framework_reader import read_framework

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ManifestEntry:
    """A released framework version, its file and the SHA-256 of the file's bytes."""

    version: str
    file: str
    sha256: str


def directory() -> Traversable:
    """Where the framework files are."""
    return resources.files("dti_scoring.frameworks")


def content_hash(content: bytes) -> str:
    """The hex SHA-256 the manifest records for a file."""
    return hashlib.sha256(content).hexdigest()


@cache
def manifest() -> tuple[ManifestEntry, ...]:
    """The manifest's entries, in release order."""
    entries = json.loads((directory() / MANIFEST).read_text(encoding="utf-8"))["frameworks"]
    return tuple(ManifestEntry(entry["version"], entry["file"], entry["sha256"]) for entry in entries)


def versions() -> tuple[str, ...]:
    """Every released framework version."""
    return tuple(entry.version for entry in manifest())


@cache
def load_framework(version: str) -> Framework:
    """The framework with this version, checked against its recorded hash, or `UnknownFrameworkError`."""
    entry = next((entry for entry in manifest() if entry.version == version), None)
    if entry is None:
        raise UnknownFrameworkError(f"no framework has version {version!r}")
    content = (directory() / entry.file).read_bytes()
    if content_hash(content) != entry.sha256:
        raise FrameworkError(f"{entry.file} differs from the released version {version}: add a new version instead")
    framework = read_framework(json.loads(content, parse_float=Decimal))
    if framework.version != version:
        raise FrameworkError(f"{entry.file} holds version {framework.version}, not {version}")
    return framework


def current(level: Level, year: int) -> Framework:
    """The framework for assessing `level` units for `year`: the latest in force that year."""
    in_force = [f for f in map(load_framework, versions()) if f.level == level and f.in_force(year)]
    if not in_force:
        raise UnknownFrameworkError(f"no framework is in force for {level} assessments of {year}")
    return max(in_force, key=lambda framework: framework.first_year)
