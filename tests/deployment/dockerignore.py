"""Which build-context paths a .dockerignore file leaves out, with Docker's matching rules.

`*` and `?` stop at a slash, `**` crosses any number of directories, a later `!pattern` takes a path back,
and leaving out a directory leaves out everything under it.
"""

from __future__ import annotations

import re
from pathlib import Path


def patterns(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def ignored(path: str, rules: list[str]) -> bool:
    parts = path.strip("/").split("/")
    prefixes = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    result = False
    for rule in rules:
        negated = rule.startswith("!")
        regex = _regex(rule.lstrip("!").strip("/"))
        if any(regex.fullmatch(prefix) for prefix in prefixes):
            result = not negated
    return result


def _regex(pattern: str) -> re.Pattern[str]:
    translated = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    tokens = re.split(r"(\*\*/|\*\*|\*|\?)", pattern)
    return re.compile("".join(translated.get(token, re.escape(token)) for token in tokens))
