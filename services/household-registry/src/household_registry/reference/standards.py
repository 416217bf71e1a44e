"""Loads the poverty standards (chuẩn nghèo đa chiều): one JSON file per version in `poverty_standards/`."""

from __future__ import annotations

from functools import cache
from typing import Any

from household_registry.domain.poverty_standard import (
    Dimension,
    IncomeLines,
    Indicator,
    PovertyStandard,
    PovertyStandards,
)
from household_registry.reference.files import json_files, parse_source, read_reference

FOLDER = "poverty_standards"


@cache
def load_poverty_standards() -> PovertyStandards:
    """Every version of the standard shipped with the registry."""
    return PovertyStandards(read_reference(path, parse_standard) for path in json_files(FOLDER))


def standard_in_force(year: int) -> PovertyStandard:
    """The standard in force for surveys of `year` (raises `NoStandardInForceError` when there is none)."""
    return load_poverty_standards().in_force(year)


def parse_standard(data: dict[str, Any]) -> PovertyStandard:
    """One standard file as a domain object."""
    average = data["average_living_lines_vnd_per_person_per_month"]
    return PovertyStandard(
        version=data["version"],
        title=data["title"],
        sources=tuple(parse_source(source) for source in data["sources"]),
        valid_from_year=int(data["valid_from_year"]),
        valid_to_year=int(data["valid_to_year"]),
        poverty_lines=_lines(data["poverty_lines_vnd_per_person_per_month"]),
        average_living_lines=_lines(average) if average is not None else None,
        dimensions=tuple(Dimension(d["code"], d["name_vi"], d["name_en"]) for d in data["dimensions"]),
        indicators=tuple(_indicator(indicator) for indicator in data["indicators"]),
        poor_min_deprivations=int(data["rule"]["poor_min_deprivations"]),
        information_access_clears=frozenset(data["information_access_clears"]),
        rule_vi=data["rule"]["vi"],
        rule_en=data["rule"]["en"],
        supersedes=data.get("supersedes"),
        unconfirmed=frozenset(data.get("unconfirmed", ())),
    )


def _lines(data: dict[str, Any]) -> IncomeLines:
    # Money is integer VND: a float here would be a typing slip in the file, so refuse it.
    rural, urban = data["rural"], data["urban"]
    if not (type(rural) is int and type(urban) is int):
        raise TypeError(f"income lines must be whole VND, not {rural!r} / {urban!r}")
    return IncomeLines(rural_vnd=rural, urban_vnd=urban)


def _indicator(data: dict[str, Any]) -> Indicator:
    return Indicator(data["code"], data["dimension"], data["number"], data["name_vi"], data["name_en"])
