"""The DTI framework as REST shows it (`GET /v1/dti/frameworks/...`): groups, main indices, indicators and the
rules that score them, with the legal sources they come from."""

from __future__ import annotations

from pydantic import BaseModel, Field

from backan_shared.api.examples import examples
from backan_shared.contracts.dti import Level, Points


class StepPublic(BaseModel):
    """A count of at least `at_least` earns `points`."""

    at_least: int
    points: Points


class RulePublic(BaseModel):
    """How an indicator's value becomes points: the kind, its parameters and the rule in words."""

    model_config = examples(
        {"kind": "ratio_linear", "description": "ratio_linear: max × min(ratio ÷ 0.8, 1)", "target": 0.8}
    )

    kind: str = Field(description="yes_no, ratio_linear, count_threshold or level")
    description: str
    target: Points | None = Field(default=None, description="ratio_linear: the ratio that earns the maximum")
    steps: list[StepPublic] | None = Field(default=None, description="count_threshold: the highest step reached counts")
    fractions: list[Points] | None = Field(default=None, description="level: the fraction of max earned by level")


class IndicatorPublic(BaseModel):
    """An indicator of a framework: its code, names, value type, maximum points and scoring rule."""

    code: str
    name: str = Field(description="the official (Vietnamese) name")
    name_en: str
    main_index: str
    value_type: str = Field(description="count, ratio, yes_no or level")
    max_points: Points
    rule: RulePublic
    points_to_confirm: bool = Field(description="the maximum is this project's proposal, for the issuer to confirm")


class MainIndexPublic(BaseModel):
    """A main index (chỉ số chính): a pillar of the score."""

    code: str
    group: str
    name: str
    name_en: str
    max_points: Points


class GroupPublic(BaseModel):
    """A group of main indices: foundation (nền tảng) or activity (hoạt động)."""

    code: str
    name: str
    name_en: str
    max_points: Points


class LegalSourcePublic(BaseModel):
    """The decision that issued a framework."""

    document: str
    issued_by: str
    issued_on: str
    about: str


class FrameworkPublic(BaseModel):
    """A released framework version (bộ chỉ số): never edited, a new year's framework is a new version."""

    model_config = examples(
        {
            "version": "commune-2022-qd1294",
            "level": "commune",
            "first_year": 2022,
            "last_year": None,
            "source": {
                "document": "Quyết định 1294/QĐ-UBND",
                "issued_by": "UBND tỉnh Bắc Kạn",
                "issued_on": "2022-07-14",
                "about": "Đánh giá chuyển đổi số cấp huyện, cấp xã",
            },
            "max_points": 1000,
            "groups": [{"code": "activity", "name": "Nhóm chỉ số hoạt động", "name_en": "Activity", "max_points": 500}],
            "main_indices": [
                {
                    "code": "DS",
                    "group": "activity",
                    "name": "Xã hội số",
                    "name_en": "Digital society",
                    "max_points": 150,
                }
            ],
            "indicators": [
                {
                    "code": "DS.01",
                    "name": "Tỷ lệ hộ gia đình có điện thoại thông minh",
                    "name_en": "Share of households with a smartphone",
                    "main_index": "DS",
                    "value_type": "ratio",
                    "max_points": 40,
                    "rule": {
                        "kind": "ratio_linear",
                        "description": "ratio_linear: max × min(ratio ÷ 0.8, 1)",
                        "target": 0.8,
                    },
                    "points_to_confirm": True,
                }
            ],
            "notes": [],
        }
    )

    version: str
    level: Level
    first_year: int
    last_year: int | None
    source: LegalSourcePublic
    max_points: Points
    groups: list[GroupPublic]
    main_indices: list[MainIndexPublic]
    indicators: list[IndicatorPublic]
    notes: list[str]
