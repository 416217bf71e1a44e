"""The domain layer stays pure: no web framework, database driver, broker client or settings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "src" / "household_registry" / "domain"
FORBIDDEN = (
    "fastapi",
    "asyncpg",
    "aiokafka",
    "pydantic_settings",
    "backan_shared.settings",
    "household_registry.settings",
    "household_registry.adapters",
    "household_registry.entrypoints",
    "household_registry.service_layer",
    "household_registry.reference",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_a_domain_module_imports_nothing_from_the_outer_layers(path: Path) -> None:
    bad = {
        name
        for name in imported_modules(path)
        for banned in FORBIDDEN
        if name == banned or name.startswith(f"{banned}.")
    }
    assert not bad, f"{path.name} imports {sorted(bad)}"
