"""The public journal (sổ nhật ký công khai): every entry of the campaign's ledger, for anyone to audit.

Each entry is shown with all its postings, so a reader can check that it balances, and with its donor's
public face: an anonymous donor is shown as such, and no beneficiary is ever named.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field, fields

from campaign_ledger.domain.attribution import DonorAttribution
from campaign_ledger.domain.donors import PublicDonor
from campaign_ledger.domain.events import CampaignEvent, LedgerEvent
from campaign_ledger.domain.ledger import JournalEntry

# A spreadsheet runs a cell that starts with one of these as a formula; a supplier name or a reversal's
# reason comes from a request, so the CSV must not let it become one (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class PublicEntry:
    """One journal entry as published, with the public face of the donor who made it, if any."""

    entry: JournalEntry
    donor: PublicDonor | None


@dataclass(frozen=True)
class JournalLine:
    """One posting of one entry, flattened into a row of the public journal."""

    entry_id: str
    date: str
    kind: str
    reference: str
    reverses: str
    memo: str
    donor: str
    donor_vi: str
    donor_kind: str
    account: str
    unit: str
    debit: int
    credit: int


@dataclass
class PublicJournal:
    """The public journal, kept up to date one event at a time."""

    entries: list[PublicEntry] = field(default_factory=list)
    donors: DonorAttribution = field(default_factory=DonorAttribution)

    @classmethod
    def from_events(cls, events: Iterable[CampaignEvent]) -> PublicJournal:
        """The public journal of a campaign's whole stream."""
        journal = cls()
        for event in events:
            journal.apply(event)
        return journal

    def apply(self, event: CampaignEvent) -> None:
        """Add the entry the event posted, if it posted one."""
        donor = self.donors.apply(event)
        if isinstance(event, LedgerEvent):
            self.entries.append(PublicEntry(event.entry, donor))

    def lines(self) -> list[JournalLine]:
        """Every posting of every entry, in journal order."""
        return [line for public in self.entries for line in _lines_of(public)]


def _lines_of(public: PublicEntry) -> list[JournalLine]:
    entry, donor = public.entry, public.donor
    return [
        JournalLine(
            entry_id=entry.entry_id,
            date=entry.date.isoformat(),
            kind=entry.kind.value,
            reference=entry.reference,
            reverses=entry.reverses or "",
            memo=entry.memo,
            donor=donor.name if donor else "",
            donor_vi=donor.name_vi if donor else "",
            donor_kind=(donor.kind or "") if donor else "",
            account=posting.account,
            unit=posting.unit.value,
            debit=posting.debit,
            credit=posting.credit,
        )
        for posting in entry.postings
    ]


def journal_csv(lines: Iterable[JournalLine]) -> str:
    """The journal as CSV (RFC 4180: a header row, CRLF line ends), one row per posting."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(f.name for f in fields(JournalLine))
    for line in lines:
        writer.writerow(_cell(value) for value in astuple(line))
    return buffer.getvalue()


def _cell(value: str | int) -> str | int:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
