"""Annual review files as communes send them: CSV or JSON lines, one survey per row.

CSV (`text/csv`) has a header naming the columns `household_id`, `year`, `income_per_capita_vnd` and
`deprivations` (indicator codes separated by semicolons, empty for none). JSON lines (`application/x-ndjson`) have
one object per line with the same fields, `deprivations` a list of codes. A row is numbered by the line it is on
(the CSV header is line 1), so an officer finds it in an editor.

A row that cannot be read becomes a `RowFailure` saying why; the domain judges the rest (an unknown indicator, a
negative income). The file as a whole is refused only when it is not UTF-8 text, or a CSV lacks a column.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from household_registry.domain.commands import RecordSurvey
from household_registry.domain.errors import InvalidInputError
from household_registry.domain.review_import import ParsedRow, ReviewRow, RowFailure

CSV = "text/csv"
NDJSON = "application/x-ndjson"
COLUMNS = ("household_id", "year", "income_per_capita_vnd", "deprivations")


class UnreadableReviewFileError(InvalidInputError):
    """The file is not a review file at all: not UTF-8 text, or a CSV without the columns."""


class UnsupportedReviewFileTypeError(InvalidInputError):
    """A review file is CSV or JSON lines; any other content type is refused."""


class MalformedRowError(ValueError):
    """A row that cannot be read as a survey."""


def media_type(content_type: str) -> str:
    """The content type without its parameters (`text/csv; charset=utf-8` is CSV)."""
    return content_type.split(";", 1)[0].strip().lower()


def read_review_file(content: bytes, content_type: str) -> Iterator[ParsedRow]:
    """Every row of the file, read as a survey to record or as a failure with its reason, one at a time (a
    review holds tens of thousands); the file's type, encoding and header are checked before the first."""
    readers: dict[str, Callable[[str], Iterator[ParsedRow]]] = {CSV: _csv_rows, NDJSON: _json_rows}
    reader = readers.get(media_type(content_type))
    if reader is None:
        raise UnsupportedReviewFileTypeError(f"a review file is {CSV} or {NDJSON}, not {content_type or 'untyped'}")
    try:
        text = content.decode("utf-8-sig")  # a spreadsheet's byte-order mark is not part of the header
    except UnicodeDecodeError as error:
        raise UnreadableReviewFileError(f"a review file is UTF-8 text; byte {error.start} is not") from None
    return reader(text)


def _csv_rows(text: str) -> Iterator[ParsedRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise UnreadableReviewFileError(f"the CSV header lacks the columns {', '.join(missing)}")
    return _csv_records(reader, header)


def _csv_records(reader: Any, header: list[str]) -> Iterator[ParsedRow]:
    for fields in reader:
        if any(field.strip() for field in fields):
            yield _row(reader.line_num, _csv_fields, header, fields)


def _csv_fields(header: list[str], fields: list[str]) -> dict[str, Any]:
    if len(fields) != len(header):
        raise MalformedRowError(f"{len(fields)} fields where the header names {len(header)}")
    found = dict(zip(header, fields, strict=True))
    codes = [code.strip() for code in found["deprivations"].split(";")]
    return {name: found[name].strip() for name in COLUMNS} | {"deprivations": [code for code in codes if code]}


def _json_rows(text: str) -> Iterator[ParsedRow]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield _row(number, _json_fields, line)


def _json_fields(line: str) -> dict[str, Any]:
    try:
        found = json.loads(line)
    except json.JSONDecodeError as error:
        raise MalformedRowError(f"not JSON ({error.msg})") from None
    if not isinstance(found, dict):
        raise MalformedRowError("not a JSON object")
    missing = [name for name in COLUMNS if name not in found]
    if missing:
        raise MalformedRowError(f"no {', '.join(missing)}")
    return found


def _row(number: int, fields: Callable[..., dict[str, Any]], *raw: Any) -> ParsedRow:
    try:
        return ReviewRow(number, _survey(fields(*raw)))
    except MalformedRowError as error:
        return RowFailure(number, f"malformed row: {error}")


def _survey(fields: dict[str, Any]) -> RecordSurvey:
    deprivations = fields["deprivations"]
    if not isinstance(deprivations, list) or not all(isinstance(code, str) for code in deprivations):
        raise MalformedRowError("deprivations must be indicator codes")
    return RecordSurvey(
        household_id=_household_id(fields["household_id"]),
        year=_whole_number("year", fields["year"]),
        income_per_capita_vnd=_whole_number("income_per_capita_vnd", fields["income_per_capita_vnd"]),
        deprivations=frozenset(deprivations),
    )


def _household_id(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise MalformedRowError(f"household_id {str(value)[:40]!r} is not a household id") from None


def _whole_number(name: str, value: Any) -> int:
    # JSON gives numbers, CSV text: both must be whole numbers (a year of 2023.5 or "two thousand" is malformed)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    raise MalformedRowError(f"{name} {str(value)[:40]!r} is not a whole number")
