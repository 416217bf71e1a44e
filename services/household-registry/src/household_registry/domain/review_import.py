"""An annual review import (nhập kết quả rà soát): a file of surveys recorded row by row, in batches.

A bad row never stops the good ones: it is counted and, among the first few, listed with its reason. Each row
is idempotent on its own (a survey identical to the one recorded is already done), so a file posted again, or an
import resumed after a crash, records nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from household_registry.domain.commands import RecordSurvey


class ImportStatus(StrEnum):
    """Where an import is: waiting for a worker, being recorded, done, or stopped by a fault (not by bad rows)."""

    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True)
class ReviewRow:
    """A readable row of a review file: the survey it asks to record, and the line it is on."""

    row: int
    command: RecordSurvey


@dataclass(frozen=True)
class RowFailure:
    """A row that was not recorded, and why (the reason names no person: rows carry pseudonymous ids only)."""

    row: int
    reason: str


ParsedRow = ReviewRow | RowFailure


@dataclass(frozen=True)
class BatchOutcome:
    """What one batch of rows did."""

    rows: int
    recorded: int
    unchanged: int
    failures: tuple[RowFailure, ...]


@dataclass(frozen=True)
class ImportProgress:
    """How far an import has come: rows done (failed ones included), and the first `listed` failures."""

    rows_done: int = 0
    rows_recorded: int = 0
    rows_unchanged: int = 0
    rows_failed: int = 0
    failures: tuple[RowFailure, ...] = ()

    def after(self, batch: BatchOutcome, *, listed: int) -> ImportProgress:
        """The progress once `batch` is done; failures beyond the first `listed` are counted, not kept."""
        return ImportProgress(
            rows_done=self.rows_done + batch.rows,
            rows_recorded=self.rows_recorded + batch.recorded,
            rows_unchanged=self.rows_unchanged + batch.unchanged,
            rows_failed=self.rows_failed + len(batch.failures),
            failures=(self.failures + batch.failures)[:listed],
        )
