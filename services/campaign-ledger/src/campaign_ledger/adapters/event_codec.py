"""The codec between a campaign's domain events and the event store's JSON rows.

Stored data is JSON-safe: dates in ISO 8601, enums by value, a journal entry with every posting, a donor
with their kind and anonymity. Money stays a JSON integer (VND never passes through a float). Each row's
metadata carries `schema_version`; when an event's shape changes, the new shape gets the next version and an
upcaster turns the stored older data into it, so the domain only ever sees the newest shape. Type names are
stable: renaming a class must not orphan the events already stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import fields
from typing import Any

from backan_shared.event_store import NewEvent, RecordedEvent
from campaign_ledger.domain.accounts import Unit
from campaign_ledger.domain.donors import Donor, DonorKind
from campaign_ledger.domain.events import (
    CampaignClosed,
    CampaignEvent,
    CampaignOpened,
    DonationReceived,
    EntryReversed,
    PhoneDelivered,
    PhonesAllocated,
    PhonesPurchased,
    PledgeRecorded,
)
from campaign_ledger.domain.ledger import EntryKind, JournalEntry, Posting

STREAM_TYPE = "campaign"
SCHEMA_VERSION = "schema_version"

EVENT_TYPES: dict[type[CampaignEvent], str] = {
    CampaignOpened: "campaign-opened",
    CampaignClosed: "campaign-closed",
    PledgeRecorded: "pledge-recorded",
    DonationReceived: "donation-received",
    PhonesPurchased: "phones-purchased",
    PhonesAllocated: "phones-allocated",
    PhoneDelivered: "phone-delivered",
    EntryReversed: "entry-reversed",
}
_CLASSES: dict[str, type[CampaignEvent]] = {name: cls for cls, name in EVENT_TYPES.items()}

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
# (type, stored version) → the data in the next version. Empty until a shape changes: then bump CURRENT_VERSIONS
# for that type and add the step from the old version here.
UPCASTERS: dict[tuple[str, int], Upcaster] = {}
CURRENT_VERSIONS: dict[str, int] = dict.fromkeys(EVENT_TYPES.values(), 1)


def upcast(event_type: str, version: int, data: dict[str, Any]) -> dict[str, Any]:
    """Stored data of an older version, step by step in the current version's shape."""
    while version < CURRENT_VERSIONS[event_type]:
        data = UPCASTERS[(event_type, version)](dict(data))
        version += 1
    return data


def encode_value(value: object) -> object:
    """One field of an event as JSON-safe data."""
    match value:
        case JournalEntry():
            return encode_entry(value)
        case Donor():
            return {"name": value.name, "kind": value.kind.value, "anonymous": value.anonymous}
        case dt.date():
            return value.isoformat()
        case tuple():
            return list(value)
        case _:
            return value


def encode_entry(entry: JournalEntry) -> dict[str, Any]:
    """A journal entry with all its postings."""
    return {
        "entry_id": entry.entry_id,
        "kind": entry.kind.value,
        "date": entry.date.isoformat(),
        "postings": [
            {"account": p.account, "debit": p.debit, "credit": p.credit, "unit": p.unit.value} for p in entry.postings
        ],
        "reference": entry.reference,
        "memo": entry.memo,
        "reverses": entry.reverses,
    }


def decode_entry(data: dict[str, Any]) -> JournalEntry:
    """A journal entry back from its stored form (each posting checks itself again as it is built)."""
    return JournalEntry(
        entry_id=data["entry_id"],
        kind=EntryKind(data["kind"]),
        date=dt.date.fromisoformat(data["date"]),
        postings=tuple(Posting(p["account"], p["debit"], p["credit"], Unit(p["unit"])) for p in data["postings"]),
        reference=data["reference"],
        memo=data["memo"],
        reverses=data["reverses"],
    )


def decode_donor(data: dict[str, Any] | None) -> Donor | None:
    """A donor back from its stored form; None where the event names no donor."""
    if data is None:
        return None
    return Donor(data["name"], DonorKind(data["kind"]), data["anonymous"])


def _as_is(value: Any) -> Any:
    return value


# A field's name says how to read it back: the events use each name with one meaning.
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "start_date": dt.date.fromisoformat,
    "end_date": dt.date.fromisoformat,
    "date": dt.date.fromisoformat,
    "commune_codes": tuple,
    "entry": decode_entry,
    "donor": decode_donor,
}


class CampaignEventCodec:
    """`EventCodec[CampaignEvent]` for `backan_shared.command_handling.handle_command`."""

    def encode(self, event: CampaignEvent) -> NewEvent:
        """The event as a stored event of its stable type name, in the current version of its shape."""
        event_type = EVENT_TYPES[type(event)]
        data = {field.name: encode_value(getattr(event, field.name)) for field in fields(event)}
        return NewEvent(event_type, data, metadata={SCHEMA_VERSION: CURRENT_VERSIONS[event_type]})

    def decode(self, recorded: RecordedEvent) -> CampaignEvent:
        """The domain event a stored event records, upcast from whatever version it was stored in."""
        event_class = _CLASSES.get(recorded.type)
        if event_class is None:
            raise ValueError(f"event {recorded.event_id} has type {recorded.type!r}, unknown to campaign-ledger")
        data = upcast(recorded.type, int(recorded.metadata.get(SCHEMA_VERSION, 1)), recorded.data)
        arguments = {name: _DECODERS.get(name, _as_is)(raw) for name, raw in data.items()}
        return event_class(**arguments)
