"""A small Dockerfile reader: instructions with their arguments, grouped into build stages.

It knows what the tests ask about (line continuations, comments, exec-form JSON, stage names, `$NAME` and
`${NAME}` substitution of build arguments), not the whole Dockerfile grammar: heredocs, escape directives
and `${NAME:-default}` forms are not used in this repository.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str

    def exec_form(self) -> list[str] | None:
        """The JSON array of CMD, ENTRYPOINT or RUN, or None in shell form."""
        if not self.arguments.startswith("["):
            return None
        parsed = json.loads(self.arguments)
        assert isinstance(parsed, list), f"{self.keyword} {self.arguments} is not a JSON array"
        return [str(item) for item in parsed]

    def words(self) -> list[str]:
        return shlex.split(self.arguments)


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        found = self.all(keyword)
        return found[-1] if found else None


def logical_lines(text: str) -> list[str]:
    """Join continued lines and drop comments, as Docker does before it reads instructions."""
    lines, current = [], ""
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1].strip() + " "
            continue
        lines.append(current + stripped)
        current = ""
    if current:
        lines.append(current.strip())
    return lines


def parse(text: str) -> list[Stage]:
    stages: list[Stage] = []
    for line in logical_lines(text):
        keyword, _, arguments = line.partition(" ")
        instruction = Instruction(keyword.upper(), arguments.strip())
        if instruction.keyword == "FROM":
            stages.append(_stage(instruction))
        elif not stages:
            if instruction.keyword != "ARG":  # only ARG may come before the first FROM
                raise ValueError(f"{line!r} comes before any FROM")
        else:
            stages[-1].instructions.append(instruction)
    return stages


# What Docker substitutes in ARG, ENV, COPY, LABEL and the like: `$NAME` or `${NAME}`.
VARIABLE = re.compile(r"\$(?:\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")


def read(path: Path) -> list[Stage]:
    return parse(path.read_text())


def _stage(instruction: Instruction) -> Stage:
    words = [w for w in instruction.words() if not w.startswith("--")]
    match = re.fullmatch(r"(\S+)(?:\s+AS\s+(\S+))?", " ".join(words), flags=re.IGNORECASE)
    if match is None:
        raise ValueError(f"cannot read FROM {instruction.arguments!r}")
    return Stage(base=match.group(1), name=match.group(2))


def healthcheck_command(instruction: Instruction) -> list[str]:
    """The probe of a HEALTHCHECK instruction: what follows its options and CMD."""
    options, separator, command = instruction.arguments.partition("CMD ")
    if not separator or any(not word.startswith("--") for word in shlex.split(options)):
        raise ValueError(f"cannot read HEALTHCHECK {instruction.arguments!r}")
    command = command.strip()
    return Instruction("CMD", command).exec_form() or ["/bin/sh", "-c", command]


def copy_sources(instruction: Instruction) -> list[str]:
    """The build-context paths a COPY or ADD reads; none when it copies from another stage or image."""
    words = instruction.words()
    if any(word.startswith("--from=") for word in words):
        return []
    paths = [word for word in words if not word.startswith("--")]
    return paths[:-1]


def variables(text: str) -> set[str]:
    """The names a value refers to with `$NAME` or `${NAME}`."""
    return {match["braced"] or match["bare"] for match in VARIABLE.finditer(text)}


def substituted(text: str, values: dict[str, str]) -> str:
    """The text with each known variable replaced; unknown ones stay, so a test can see what was missed."""
    return VARIABLE.sub(lambda match: values.get(match["braced"] or match["bare"], match[0]), text)


def declared_arguments(stage: Stage) -> set[str]:
    """The build arguments a stage declares: only those are in scope for its instructions."""
    return {word.partition("=")[0] for argument in stage.all("ARG") for word in argument.words()}


def environment(stage: Stage, arguments: dict[str, str]) -> dict[str, str]:
    """The variables a stage's ENV instructions set, with the given build arguments substituted."""
    found: dict[str, str] = {}
    for instruction in stage.all("ENV"):
        for word in instruction.words():
            name, _, value = word.partition("=")
            found[name] = substituted(value, arguments)
    return found
