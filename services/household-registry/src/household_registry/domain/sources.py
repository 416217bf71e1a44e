"""Where a reference figure comes from: every standard, target and unit list names its sources."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A legal document, dataset or report a reference figure is taken from, and how sure we are of it."""

    document: str
    url: str | None = None
    note: str | None = None
    confirmed: bool = True
