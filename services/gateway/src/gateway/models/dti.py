"""What the DTI parts of the composed views answer: a unit's standing, and a level's ranking."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from backan_shared.api.examples import examples

DTI_EXAMPLE: dict[str, Any] = {
    "year": 2023,
    "level": "commune",
    "assessment_id": "6f1c2a9e-5b7d-4c1e-9a63-0d2f4b8e7a11",
    "score": 569.8,
    "max_score": 1000,
    "index": 0.5698,
    "rank": 1,
    "ranked_units": 108,
    "pillars": [
        {"code": "DS", "group": "activity", "points": 92.5, "max_points": 150, "normalised": 0.6167, "scored": True}
    ],
}


class DtiStanding(BaseModel):
    """A unit's latest finalised DTI result and its rank among the units of its level that year."""

    model_config = examples(DTI_EXAMPLE)

    year: int
    level: str
    assessment_id: str
    score: float
    max_score: float
    index: float
    rank: int = Field(description="ties share a rank (1, 2, 2, 4)")
    ranked_units: int
    pillars: list[dict[str, Any]] = Field(description="points per main index (chỉ số chính)")


class RankedUnit(BaseModel):
    """A unit's place in a DTI ranking."""

    rank: int
    unit_code: str
    unit_name: str | None
    score: float


class DtiRanking(BaseModel):
    """The finalised units of a level and year, best first."""

    level: str
    year: int
    ranking: list[RankedUnit]
