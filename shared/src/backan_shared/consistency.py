"""Consistency tokens for read-your-writes: a write answers with the id of the last integration event it
published; a read passing that token waits (boundedly) until the reader has applied that event."""

from __future__ import annotations

import base64

HEADER = "Consistency-Token"


class InvalidConsistencyToken(ValueError):
    """A Consistency-Token header that this system did not issue."""


def consistency_token(source: str, event_id: str) -> str:
    return base64.urlsafe_b64encode(f"{source}|{event_id}".encode()).decode().rstrip("=")


def parse_consistency_token(token: str) -> tuple[str, str]:
    """(source, event_id) of a token."""
    try:
        decoded = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        source, event_id = decoded.split("|", 1)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidConsistencyToken(f"{token!r} is not a consistency token issued by backan-dx") from error
    return source, event_id
