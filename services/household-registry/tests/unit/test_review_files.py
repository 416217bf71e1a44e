"""Reading annual review files: CSV and JSON lines, rows numbered by their line, unreadable rows failed with a
reason, and a file that is not a review file refused as a whole."""

from __future__ import annotations

import uuid

import pytest

from household_registry.adapters.review_files import (
    UnreadableReviewFileError,
    UnsupportedReviewFileTypeError,
    read_review_file,
)
from household_registry.domain.review_import import ReviewRow, RowFailure

HOUSEHOLD = uuid.UUID("0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10")
HEADER = "household_id,year,income_per_capita_vnd,deprivations"


def read_csv(*lines: str) -> list[ReviewRow | RowFailure]:
    return list(read_review_file("\n".join(lines).encode(), "text/csv; charset=utf-8"))


def test_a_csv_row_becomes_a_survey_with_its_semicolon_separated_deprivations() -> None:
    [row] = read_csv(HEADER, f"{HOUSEHOLD},2023,1200000, employment ;health_insurance;")
    assert isinstance(row, ReviewRow) and row.row == 2
    command = row.command
    assert (command.household_id, command.year, command.income_per_capita_vnd) == (HOUSEHOLD, 2023, 1_200_000)
    assert command.deprivations == frozenset({"employment", "health_insurance"})


def test_csv_columns_may_come_in_any_order_after_a_spreadsheets_byte_order_mark() -> None:
    content = f"\ufeffdeprivations,year,household_id,income_per_capita_vnd\n,2023,{HOUSEHOLD},0\n".encode()
    [row] = list(read_review_file(content, "text/csv"))
    assert isinstance(row, ReviewRow) and row.command.deprivations == frozenset()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (f"{HOUSEHOLD},2023", "2 fields where the header names 4"),
        ("not-an-id,2023,1,", "is not a household id"),
        (f"{HOUSEHOLD},20x3,1,", "year '20x3' is not a whole number"),
        (f"{HOUSEHOLD},2023,1.5,", "income_per_capita_vnd '1.5' is not a whole number"),
    ],
)
def test_an_unreadable_csv_row_fails_with_its_reason_and_line(line: str, reason: str) -> None:
    [row] = read_csv(HEADER, "", line)
    assert isinstance(row, RowFailure) and row.row == 3
    assert row.reason.startswith("malformed row: ") and reason in row.reason


def test_a_json_line_becomes_a_survey_and_a_broken_one_a_failure_on_its_line() -> None:
    good = f'{{"household_id": "{HOUSEHOLD}", "year": 2023, "income_per_capita_vnd": 5, "deprivations": []}}'
    rows = list(read_review_file(f'{good}\n\n{{"year": 2023}}\n[1]\n{{broken\n'.encode(), "application/x-ndjson"))
    assert isinstance(rows[0], ReviewRow) and rows[0].row == 1
    assert [(r.row, r.reason) for r in rows[1:] if isinstance(r, RowFailure)] == [
        (3, "malformed row: no household_id, income_per_capita_vnd, deprivations"),
        (4, "malformed row: not a JSON object"),
        (5, "malformed row: not JSON (Expecting property name enclosed in double quotes)"),
    ]


def test_a_json_year_must_be_a_number_not_true() -> None:
    line = f'{{"household_id": "{HOUSEHOLD}", "year": true, "income_per_capita_vnd": 5, "deprivations": []}}'
    [row] = list(read_review_file(line.encode(), "application/x-ndjson"))
    assert isinstance(row, RowFailure) and "year 'True' is not a whole number" in row.reason


def test_a_file_that_is_not_a_review_file_is_refused_as_a_whole() -> None:
    with pytest.raises(UnsupportedReviewFileTypeError):
        read_review_file(b"{}", "application/json")
    with pytest.raises(UnreadableReviewFileError, match="income_per_capita_vnd, deprivations"):
        read_review_file(b"household_id,year\n", "text/csv")
    with pytest.raises(UnreadableReviewFileError, match="UTF-8"):
        read_review_file(HEADER.encode() + b"\n\xff", "text/csv")
