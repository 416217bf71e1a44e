"""Loads the province's poverty-reduction targets from `poverty_targets/`."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from household_registry.domain.targets import Baseline, PovertyTargets, ReductionTarget, ReportedReduction
from household_registry.reference.files import parse_source, read_reference, reference_path

CURRENT = "poverty_targets/backan-2021-2025.json"


@cache
def load_poverty_targets() -> PovertyTargets:
    """The targets Bắc Kạn's figures are measured against (2021–2025)."""
    return read_reference(reference_path(*CURRENT.split("/")), parse_targets)


def parse_targets(data: dict[str, Any]) -> PovertyTargets:
    """One targets file as a domain object; rates and reductions are read as exact decimals."""
    targets = data["targets"]
    return PovertyTargets(
        version=data["version"],
        province_code=data["province_code"],
        sources=tuple(parse_source(source) for source in data["sources"]),
        first_year=int(data["reduction_years"]["first"]),
        last_year=int(data["reduction_years"]["last"]),
        province_average=_reduction(targets["province_average"]),
        poor_district=_reduction(targets["poor_district"]),
        ethnic_minority=_reduction(targets["ethnic_minority"]),
        poor_district_codes=frozenset(data["poor_districts"]["codes"]),
        year_end_rates={
            (r["unit_code"], int(r["year"])): Decimal(r["at_most"]) for r in targets["year_end_poverty_rates"]
        },
        baseline=_baseline(data["baseline"]),
        reported=tuple(_reported(entry) for entry in data["reported"]),
    )


def _reduction(data: dict[str, Any]) -> ReductionTarget:
    top = data.get("max_pp")
    return ReductionTarget(Decimal(data["min_pp"]), Decimal(top) if top is not None else None)


def _baseline(data: dict[str, Any]) -> Baseline:
    return Baseline(
        year=int(data["year"]),
        unit_code=data["unit_code"],
        poor_households=int(data["poor_households"]),
        poverty_rate=Decimal(data["poverty_rate"]),
        near_poor_households=int(data["near_poor_households"]),
        near_poverty_rate=Decimal(data["near_poverty_rate"]),
        source=parse_source(data["source"]),
    )


def _reported(data: dict[str, Any]) -> ReportedReduction:
    minority = data.get("ethnic_minority_reduction_pp")
    return ReportedReduction(
        year=int(data["year"]),
        unit_code=data["unit_code"],
        reduction_pp=Decimal(data["reduction_pp"]),
        ethnic_minority_reduction_pp=Decimal(minority) if minority is not None else None,
        source=parse_source(data["source"]),
    )
