"""The campaign routes of the contract (DESIGN.md §6) that campaign-ledger answers itself: the commands, and
the public journal (JSON, or CSV on `Accept: text/csv`). The statement is a composed view of the gateway."""

from backan_shared.api import campaign_journal as journal_api
from backan_shared.api import campaigns as api
from gateway.entrypoints.forwarding import Forwarded

OWNER = "campaign-ledger"
TAGS = ("campaign",)
WRITE = "campaign:write"
CAMPAIGN = "/v1/campaigns/{campaign_id}"

CAMPAIGN_ROUTES = (
    Forwarded(
        "POST",
        "/v1/campaigns",
        OWNER,
        WRITE,
        "Open a campaign for its communes",
        body=api.CampaignCreate,
        answer=api.CampaignCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        f"{CAMPAIGN}/pledges",
        OWNER,
        WRITE,
        "Record a donor's pledge of money and/or phones",
        body=api.PledgeCreate,
        answer=api.PledgeCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        f"{CAMPAIGN}/receipts",
        OWNER,
        WRITE,
        "Record money or phones received (the same reference twice is one receipt)",
        body=api.ReceiptCreate,
        answer=api.ReceiptCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        f"{CAMPAIGN}/purchases",
        OWNER,
        WRITE,
        "Turn cash into phones",
        body=api.PurchaseCreate,
        answer=api.PurchaseCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        f"{CAMPAIGN}/allocations",
        OWNER,
        WRITE,
        "Allocate phones from central stock to a commune",
        body=api.AllocationCreate,
        answer=api.AllocationCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        f"{CAMPAIGN}/deliveries",
        OWNER,
        WRITE,
        "Hand one phone to a registered household",
        body=api.DeliveryCreate,
        answer=api.DeliveryCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        f"{CAMPAIGN}/entries/{{entry_id}}/reversal",
        OWNER,
        WRITE,
        "Reverse a journal entry with a reason (never an edit)",
        body=api.ReversalCreate,
        answer=api.ReversalCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded("POST", f"{CAMPAIGN}/close", OWNER, WRITE, "End fundraising", answer=api.CampaignClosedPublic, tags=TAGS),
    Forwarded(
        "GET",
        f"{CAMPAIGN}/journal",
        OWNER,
        "read",
        "The public journal, balanced (CSV on Accept: text/csv)",
        answer=journal_api.JournalPublic,
        tags=TAGS,
    ),
    Forwarded(
        "GET",
        f"{CAMPAIGN}/entries/{{entry_id}}",
        OWNER,
        "read",
        "One journal entry",
        answer=journal_api.JournalEntryPublic,
        tags=TAGS,
        example={
            "entry_id": "JE-000002",
            "date": "2023-08-15",
            "kind": "receipt",
            "reference": "RC-0001",
            "reverses": None,
            "memo": "reference FT23081100001",
            "donor": "Tổng Công ty Viễn thông Viettel",
            "donor_vi": "Tổng Công ty Viễn thông Viettel",
            "donor_kind": "enterprise",
            "postings": [
                {"account": "cash_vnd", "unit": "VND", "debit": 200_000_000, "credit": 0},
                {"account": "pledges_receivable_vnd", "unit": "VND", "debit": 0, "credit": 200_000_000},
            ],
            "balanced": True,
        },
    ),
)
