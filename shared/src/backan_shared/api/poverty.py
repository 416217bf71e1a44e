"""The poverty figures and reference data as REST shows them (household-registry's `/v1/poverty`,
`/v1/poverty/standard` and `/v1/units`): figures per unit and year against the targets, the standard in force,
and the administrative units."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

UnitLevel = Literal["province", "district", "commune"]


class ReductionTargetPublic(BaseModel):
    min_pp: float
    max_pp: float | None


class TargetPublic(BaseModel):
    version: str
    basis: Literal["province_average", "poor_district"]
    reduction: ReductionTargetPublic
    ethnic_minority_reduction: ReductionTargetPublic
    poverty_rate_at_most: float | None


class ProjectedPovertyPublic(BaseModel):
    """What the next review would give once information access clears the information deprivations."""

    poor: int
    near_poor: int
    poverty_rate: float | None
    near_poverty_rate: float | None
    ethnic_minority_poverty_rate: float | None
    reduction_pp: float | None


class PovertyPublic(BaseModel):
    """Poverty figures of one unit and year: official counts and rates, the reduction, the target, projections."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_code": "06",
                    "unit_name": "Tỉnh Bắc Kạn",
                    "level": "province",
                    "year": 2022,
                    "households": 81493,
                    "poor": 19777,
                    "near_poor": 7900,
                    "poverty_rate": 24.27,
                    "near_poverty_rate": 9.69,
                    "ethnic_minority_households": 66000,
                    "ethnic_minority_poor": 18000,
                    "ethnic_minority_poverty_rate": 27.27,
                    "reduction_pp": 2.66,
                    "ethnic_minority_reduction_pp": 2.5,
                    "target": {
                        "version": "backan-2021-2025",
                        "basis": "province_average",
                        "reduction": {"min_pp": 2.0, "max_pp": 2.5},
                        "ethnic_minority_reduction": {"min_pp": 3.0, "max_pp": None},
                        "poverty_rate_at_most": None,
                    },
                    "on_target": True,
                    "ethnic_minority_on_target": False,
                    "projected": {
                        "poor": 19500,
                        "near_poor": 8177,
                        "poverty_rate": 23.93,
                        "near_poverty_rate": 10.03,
                        "ethnic_minority_poverty_rate": 26.85,
                        "reduction_pp": 3.0,
                    },
                    "as_of": "2023-01-05T03:00:00Z",
                }
            ]
        }
    )

    unit_code: str
    unit_name: str
    level: UnitLevel
    year: int
    households: int
    poor: int
    near_poor: int
    poverty_rate: float | None = Field(description="poor ÷ households × 100")
    near_poverty_rate: float | None
    ethnic_minority_households: int
    ethnic_minority_poor: int
    ethnic_minority_poverty_rate: float | None
    reduction_pp: float | None = Field(description="last year's rate minus this year's, in percentage points")
    ethnic_minority_reduction_pp: float | None
    target: TargetPublic | None
    on_target: bool | None
    ethnic_minority_on_target: bool | None
    projected: ProjectedPovertyPublic
    as_of: datetime


class IncomeLinesPublic(BaseModel):
    rural_vnd: int
    urban_vnd: int


class IndicatorPublic(BaseModel):
    code: str
    dimension: str
    number: str
    name: str
    name_vi: str


class PovertyRulePublic(BaseModel):
    poor_min_deprivations: int
    en: str
    vi: str


class SourcePublic(BaseModel):
    document: str
    url: str | None
    note: str | None
    confirmed: bool


class PovertyStandardPublic(BaseModel):
    """The multidimensional poverty standard in force for a year (chuẩn nghèo đa chiều)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": "2022-2025",
                    "title": "Chuẩn nghèo đa chiều giai đoạn 2022–2025",
                    "source": "Decree 07/2021/NĐ-CP",
                    "sources": [],
                    "valid_from_year": 2022,
                    "valid_to_year": 2026,
                    "income_lines": {"rural_vnd": 1_500_000, "urban_vnd": 2_000_000},
                    "average_living_lines": {"rural_vnd": 2_250_000, "urban_vnd": 3_000_000},
                    "indicators": [
                        {
                            "code": "telecom_services",
                            "dimension": "information",
                            "number": "6.1",
                            "name": "Use of telecommunication services",
                            "name_vi": "Sử dụng dịch vụ viễn thông",
                        }
                    ],
                    "rule": {"poor_min_deprivations": 3, "en": "Poor: income at or below the line AND ≥ 3", "vi": "…"},
                    "information_access_clears": ["telecom_services", "information_access_means"],
                }
            ]
        }
    )

    version: str
    title: str
    source: str = Field(description="the first (legal) source")
    sources: list[SourcePublic]
    valid_from_year: int
    valid_to_year: int
    income_lines: IncomeLinesPublic
    average_living_lines: IncomeLinesPublic | None
    indicators: list[IndicatorPublic]
    rule: PovertyRulePublic
    information_access_clears: list[str]


class UnitPublic(BaseModel):
    """An administrative unit with its official code; the 8 smartphone-programme communes are `pilot`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "01837",
                    "name": "Phường Sông Cầu",
                    "level": "commune",
                    "parent_code": "058",
                    "pilot": True,
                    "valid_from": "2020-02-01",
                    "valid_to": "2025-06-30",
                }
            ]
        }
    )

    code: str
    name: str
    level: UnitLevel
    parent_code: str | None
    pilot: bool
    valid_from: date
    valid_to: date | None
