"""What the GET routes answer, built from the read models: the statement, the journal in JSON or CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import groupby

from backan_shared.api.campaign_journal import JournalEntryPublic, JournalPublic, PostingPublic, UnitTotalsPublic
from backan_shared.api.campaign_statements import CampaignStatementPublic
from campaign_ledger.adapters.read_models import StoredStatement
from campaign_ledger.domain.accounts import Unit
from campaign_ledger.domain.public_journal import JournalLine

CSV = "text/csv"
_JSON = "application/json"


def statement_public(stored: StoredStatement) -> CampaignStatementPublic:
    """The statement as stored, with how fresh it is."""
    return CampaignStatementPublic.model_validate(stored.document | {"as_of": stored.as_of})


def journal_public(campaign_id: str, lines: Sequence[JournalLine], as_of: dt.datetime) -> JournalPublic:
    """Every entry with its postings, and the journal's totals per unit, which balance."""
    entries = [entry_public(list(group)) for _, group in groupby(lines, key=lambda line: line.entry_id)]
    totals = [_unit_totals(lines, unit) for unit in Unit]
    balanced = all(t.debit == t.credit for t in totals) and all(e.balanced for e in entries)
    return JournalPublic(campaign_id=campaign_id, entries=entries, totals=totals, balanced=balanced, as_of=as_of)


def entry_public(lines: Sequence[JournalLine]) -> JournalEntryPublic:
    """One entry from its lines (they repeat the entry's own fields on every posting)."""
    first = lines[0]
    return JournalEntryPublic.model_validate(
        {
            "entry_id": first.entry_id,
            "date": first.date,
            "kind": first.kind,
            "reference": first.reference,
            "reverses": first.reverses or None,
            "memo": first.memo,
            "donor": first.donor or None,
            "donor_vi": first.donor_vi or None,
            "donor_kind": first.donor_kind or None,
            "postings": [_posting(line) for line in lines],
            "balanced": all(_balances(_unit_totals(lines, unit)) for unit in Unit),
        }
    )


def _posting(line: JournalLine) -> PostingPublic:
    return PostingPublic.model_validate(
        {"account": line.account, "unit": line.unit, "debit": line.debit, "credit": line.credit}
    )


def _unit_totals(lines: Sequence[JournalLine], unit: Unit) -> UnitTotalsPublic:
    mine = [line for line in lines if line.unit == unit.value]
    return UnitTotalsPublic.model_validate(
        {"unit": unit.value, "debit": sum(line.debit for line in mine), "credit": sum(line.credit for line in mine)}
    )


def _balances(totals: UnitTotalsPublic) -> bool:
    return totals.debit == totals.credit


def prefers_csv(accept: str | None) -> bool:
    """Whether an Accept header ranks CSV above JSON (a bare `text/csv` does; `*/*` or none means JSON)."""
    weights = {CSV: 0.0, _JSON: 0.0}
    for item in (accept or "").split(","):
        media_type, *parameters = (part.strip() for part in item.split(";"))
        quality = next((p.removeprefix("q=") for p in parameters if p.startswith("q=")), "1")
        if media_type.lower() in weights:
            weights[media_type.lower()] = _quality(quality)
    return weights[CSV] > weights[_JSON]


def _quality(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0
