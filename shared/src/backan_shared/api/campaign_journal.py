"""The public journal (sổ nhật ký công khai) as REST shows it: every entry of a campaign with its postings."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from backan_shared.api.campaigns import CAMPAIGN_ID, DonorKind, EntryKind
from backan_shared.api.examples import examples


class PostingPublic(BaseModel):
    """One line of an entry: a debit or a credit to one account, in VND or in phones."""

    account: str
    unit: Literal["VND", "phone"]
    debit: int
    credit: int


class JournalEntryPublic(BaseModel):
    """One journal entry (bút toán) with all its postings and the public face of its donor, if any."""

    entry_id: str
    date: dt.date
    kind: EntryKind
    reference: str = Field(description="the pledge, receipt, purchase, allocation or delivery id it records")
    reverses: str | None = Field(default=None, description="the entry a reversal cancels")
    memo: str
    donor: str | None = None
    donor_vi: str | None = None
    donor_kind: DonorKind | None = None
    postings: list[PostingPublic]
    balanced: bool = Field(description="debits equal credits in each unit")


class UnitTotalsPublic(BaseModel):
    """The journal's total debits and credits in one unit."""

    unit: Literal["VND", "phone"]
    debit: int
    credit: int


class JournalPublic(BaseModel):
    """The public journal (sổ nhật ký công khai): every entry, for anyone to audit. `Accept: text/csv` gives
    the same lines as CSV, one row per posting. No beneficiary is ever named in it."""

    model_config = examples(
        {
            "campaign_id": CAMPAIGN_ID,
            "entries": [
                {
                    "entry_id": "JE-000001",
                    "date": "2023-08-11",
                    "kind": "receipt",
                    "reference": "RC-0001",
                    "reverses": None,
                    "memo": "reference FT23081100001",
                    "donor": "Anonymous donor",
                    "donor_vi": "Nhà hảo tâm ẩn danh",
                    "donor_kind": None,
                    "postings": [
                        {"account": "cash_vnd", "unit": "VND", "debit": 500_000, "credit": 0},
                        {"account": "unpledged_income_vnd", "unit": "VND", "debit": 0, "credit": 500_000},
                    ],
                    "balanced": True,
                }
            ],
            "totals": [
                {"unit": "VND", "debit": 500_000, "credit": 500_000},
                {"unit": "phone", "debit": 0, "credit": 0},
            ],
            "balanced": True,
            "as_of": "2023-08-11T02:00:00Z",
        }
    )

    campaign_id: str
    entries: list[JournalEntryPublic]
    totals: list[UnitTotalsPublic]
    balanced: bool
    as_of: dt.datetime
