"""The campaign routes' bodies (DESIGN.md §6, campaign-ledger): the named fields are fixed, others may be added.

Schema families follow one pattern: `XCreate` is what a client sends, `XCreated` what a write answers, `XPublic`
what a read returns. Money is integer VND and phones a whole count: a JSON number with a fraction (or a
float such as 1.0, or a string) is refused with a 422, never rounded. `date` on a write is the business date
of the voucher (ngày chứng từ); when it is left out the service uses today in Vietnam.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt

from backan_shared.api.examples import examples

CAMPAIGN_ID: Final = "3b9d6c1e-2f4a-4e8b-9c7d-5a1e0f2b3c4d"
MAX_VND: Final = 10**15  # a million billion đồng: far above any campaign, well inside PostgreSQL's bigint
MAX_PHONES: Final = 1_000_000

Vnd = Annotated[StrictInt, Field(ge=0, le=MAX_VND, description="integer Vietnamese đồng")]
Phones = Annotated[StrictInt, Field(ge=0, le=MAX_PHONES, description="a whole number of phones")]
CommuneCode = Annotated[str, Field(pattern=r"^[0-9]{5}$", description="official 5-digit commune/ward code")]
DonorKind = Literal["enterprise", "organisation", "individual"]
EntryKind = Literal["pledge", "receipt", "purchase", "allocation", "delivery", "reversal"]
BusinessDate = Annotated[dt.date | None, Field(description="the voucher's date; today in Vietnam if left out")]


class CampaignCreate(BaseModel):
    """Launch a campaign for some communes, with targets in money and in phones."""

    model_config = examples(
        {
            "name": "Phổ cập điện thoại thông minh 2023",
            "target_vnd": 750_000_000,
            "target_phones": 400,
            "commune_codes": ["01837", "02017", "01912", "02071", "02122", "01951", "02173", "01870"],
            "start_date": "2023-08-11",
            "end_date": "2023-12-31",
        }
    )

    name: str = Field(min_length=1, max_length=200)
    target_vnd: Vnd = Field(gt=0)
    target_phones: Phones = Field(gt=0)
    commune_codes: list[CommuneCode] = Field(min_length=1, max_length=200)
    start_date: dt.date
    end_date: dt.date


class CampaignCreated(BaseModel):
    """The new campaign's id (also in `Location`)."""

    model_config = examples({"campaign_id": CAMPAIGN_ID})

    campaign_id: str


class DonorCreate(BaseModel):
    """Who gives. An anonymous donor's name is kept by the campaign office and never shown to the public."""

    model_config = examples(
        {"name": "Tổng Công ty Viễn thông Viettel", "kind": "enterprise"},
        {"name": "", "kind": "individual", "anonymous": True},
    )

    name: str = Field(default="", max_length=200, description="required unless the donor is anonymous")
    kind: DonorKind
    anonymous: StrictBool = False


class PledgeCreate(BaseModel):
    """A donor's promise of money, phones or both (đăng ký ủng hộ); nothing has arrived yet."""

    model_config = examples(
        {"donor": {"name": "Tổng Công ty Viễn thông Viettel", "kind": "enterprise"}, "amount_vnd": 200_000_000},
        {"donor": {"name": "Công ty CP FPT", "kind": "enterprise"}, "phones": 50, "date": "2023-08-11"},
    )

    donor: DonorCreate
    amount_vnd: Vnd = 0
    phones: Phones = 0
    date: BusinessDate = None


class PledgeCreated(BaseModel):
    """The new pledge and the journal entry that records it."""

    model_config = examples({"pledge_id": "PL-0001", "entry_id": "JE-000002"})

    pledge_id: str
    entry_id: str


class ReceiptCreate(BaseModel):
    """Money or phones that arrived. `reference` is the bank transfer or delivery-note number: the same
    reference twice is one receipt. Name the pledge it fulfils, or the donor of a gift that fulfils none."""

    model_config = examples(
        {"pledge_id": "PL-0001", "amount_vnd": 200_000_000, "reference": "FT23081100001"},
        {"phones": 50, "reference": "PXK-2023-0815", "pledge_id": "PL-0002"},
        {"amount_vnd": 500_000, "reference": "FT23081900042", "donor": {"kind": "individual", "anonymous": True}},
    )

    pledge_id: str | None = Field(default=None, min_length=1, max_length=40)
    amount_vnd: Vnd = 0
    phones: Phones = 0
    reference: str = Field(min_length=1, max_length=100)
    donor: DonorCreate | None = None
    date: BusinessDate = None


class ReceiptCreated(BaseModel):
    """The receipt (the original one, when the reference had been recorded before) and its journal entry."""

    model_config = examples({"receipt_id": "RC-0001", "entry_id": "JE-000003"})

    receipt_id: str
    entry_id: str


class PurchaseCreate(BaseModel):
    """Phones bought with the campaign's cash; refused beyond the cash it holds."""

    model_config = examples({"amount_vnd": 95_000_000, "phones": 50, "supplier": "Cửa hàng Thế Giới Di Động Bắc Kạn"})

    amount_vnd: Vnd = Field(gt=0)
    phones: Phones = Field(gt=0)
    supplier: str = Field(min_length=1, max_length=200)
    date: BusinessDate = None


class PurchaseCreated(BaseModel):
    """The new purchase and its journal entry."""

    model_config = examples({"purchase_id": "PU-0001", "entry_id": "JE-000004"})

    purchase_id: str
    entry_id: str


class AllocationCreate(BaseModel):
    """Phones moved from central stock to one of the campaign's communes (phân bổ)."""

    model_config = examples({"commune_code": "01837", "phones": 50})

    commune_code: CommuneCode
    phones: Phones = Field(gt=0)
    date: BusinessDate = None


class AllocationCreated(BaseModel):
    """The new allocation and its journal entry."""

    model_config = examples({"allocation_id": "AL-0001", "entry_id": "JE-000005"})

    allocation_id: str
    entry_id: str


class DeliveryCreate(BaseModel):
    """One phone handed to a household (trao tặng), named by the registry's pseudonymous id. The household must
    have been published by the registry, in this commune, and not have received a phone in this campaign."""

    model_config = examples(
        {"commune_code": "01837", "household_id": "5f3a9c2e-8d41-4b7a-9e06-2c1d7b8a4f90", "imei": "356938035643809"},
        {"commune_code": "01837", "household_id": "5f3a9c2e-8d41-4b7a-9e06-2c1d7b8a4f90"},
    )

    commune_code: CommuneCode
    household_id: str = Field(min_length=1, max_length=100)
    imei: str | None = Field(default=None, pattern=r"^[0-9]{15}$", description="the phone's 15-digit IMEI")
    date: BusinessDate = None


class DeliveryCreated(BaseModel):
    """The new delivery and its journal entry."""

    model_config = examples({"delivery_id": "DL-0001", "entry_id": "JE-000006"})

    delivery_id: str
    entry_id: str


class ReversalCreate(BaseModel):
    """Cancel a journal entry with an opposite one that gives the reason (bút toán đảo): never an edit."""

    model_config = examples({"reason": "bank transfer entered twice"})

    reason: str = Field(min_length=1, max_length=500)
    date: BusinessDate = None


class ReversalCreated(BaseModel):
    """The reversal entry and the entry it cancels."""

    model_config = examples({"entry_id": "JE-000007", "reversed_entry_id": "JE-000003"})

    entry_id: str
    reversed_entry_id: str


class CampaignClose(BaseModel):
    """End fundraising (kết thúc vận động): no more pledges or receipts; funded phones are still handed out."""

    model_config = examples({"date": "2023-12-31"}, {})

    date: BusinessDate = None


class CampaignClosedPublic(BaseModel):
    """The campaign is closed."""

    model_config = examples({"campaign_id": CAMPAIGN_ID, "is_open": False})

    campaign_id: str
    is_open: bool
