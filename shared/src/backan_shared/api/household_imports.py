"""REST bodies of annual review imports (nhập kết quả rà soát): `POST /v1/households/imports` takes a CSV or
JSON-lines file of surveys and answers at once; `GET /v1/households/imports/{import_id}` shows the progress.

Rows carry pseudonymous household ids, never a person's name or ID number; the failure reasons name rows, not
people.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ImportStatus = Literal["queued", "running", "completed", "failed"]
CSV_EXAMPLE = (
    "household_id,year,income_per_capita_vnd,deprivations\n"
    "0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10,2023,1200000,telecom_services;information_access_means;health_insurance\n"
)
NDJSON_EXAMPLE = (
    '{"household_id": "0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10", "year": 2023, "income_per_capita_vnd": 1200000, '
    '"deprivations": ["telecom_services", "information_access_means", "health_insurance"]}\n'
)


class ReviewImportAccepted(BaseModel):
    """The import a posted file became (202), or the import of the same file posted before (200)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "import_id": "5d0f3c2a-9b1e-4f6d-8a7c-2e4b6d8f0a1c",
                    "status": "queued",
                    "rows_total": 50000,
                    "duplicate": False,
                }
            ]
        }
    )

    import_id: str
    status: ImportStatus
    rows_total: int = Field(description="rows in the file (blank lines and the CSV header not counted)")
    duplicate: bool = Field(description="this very file was posted before: the answer is that import, run once")


class RowFailurePublic(BaseModel):
    """A row that was not recorded, and why."""

    row: int = Field(description="the line of the file the row is on (the CSV header is line 1)")
    reason: str


class ReviewImportPublic(BaseModel):
    """An import's state and progress, from any replica of the registry."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "import_id": "5d0f3c2a-9b1e-4f6d-8a7c-2e4b6d8f0a1c",
                    "status": "running",
                    "content_type": "text/csv",
                    "rows_total": 50000,
                    "rows_done": 21000,
                    "rows_recorded": 20990,
                    "rows_unchanged": 0,
                    "rows_failed": 10,
                    "failures": [{"row": 812, "reason": "standard 2022-2025 has no indicator internet"}],
                    "error": None,
                    "created_at": "2023-12-01T02:00:00Z",
                    "started_at": "2023-12-01T02:00:01Z",
                    "finished_at": None,
                }
            ]
        }
    )

    import_id: str
    status: ImportStatus
    content_type: Literal["text/csv", "application/x-ndjson"]
    rows_total: int
    rows_done: int = Field(description="rows processed so far, failed ones included")
    rows_recorded: int = Field(description="surveys recorded")
    rows_unchanged: int = Field(description="rows whose very survey was recorded already (nothing recorded twice)")
    rows_failed: int = Field(description="rows not recorded; every one is counted, the first ones listed")
    failures: list[RowFailurePublic] = Field(description="the first failed rows with their reasons")
    error: str | None = Field(description="why a failed import stopped (a fault, never a bad row)")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
