"""Fixtures for the campaign ledger's unit tests: an `office` that runs an open campaign for the 8 pilot
communes, sends it commands with sensible defaults, and keeps the events as the service layer will."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from campaign_ledger.domain.campaign import Campaign
from campaign_ledger.domain.commands import (
    AllocatePhones,
    CloseCampaign,
    DeliverPhone,
    OpenCampaign,
    RecordPledge,
    RecordPurchase,
    RecordReceipt,
    ReverseEntry,
)
from campaign_ledger.domain.donors import Donor, DonorKind
from campaign_ledger.domain.events import CampaignEvent, PledgeRecorded
from campaign_ledger.domain.public_journal import PublicJournal
from campaign_ledger.domain.statement import CampaignStatement

CAMPAIGN_ID = "smartphones-2023"
LAUNCH = dt.date(2023, 8, 11)
# The 8 pilot communes/wards of the 2023 programme (DESIGN.md §7).
PILOT_COMMUNES = ("01837", "02017", "01912", "02071", "02122", "01951", "02173", "01870")
PHONE_PRICE_VND = 1_900_000


def open_command(**overrides: Any) -> OpenCampaign:
    """The 2023 campaign's opening, with any field overridden."""
    fields: dict[str, Any] = {
        "campaign_id": CAMPAIGN_ID,
        "name": "Phổ cập điện thoại thông minh 2023",
        "start_date": LAUNCH,
        "end_date": dt.date(2023, 12, 31),
        "target_vnd": 750_000_000,
        "target_phones": 400,
        "commune_codes": PILOT_COMMUNES,
    }
    return OpenCampaign(**(fields | overrides))


class CampaignOffice:
    """Sends commands to one campaign, as the campaign office would, and keeps every event it was given."""

    def __init__(self) -> None:
        self.campaign, self.events = Campaign.open(open_command())

    def _run(self, command: Any, method: Callable[[Any], list[CampaignEvent]]) -> list[CampaignEvent]:
        new = method(command)
        self.events.extend(new)
        return new

    def pledge(self, donor: Donor | None = None, amount_vnd: int = 0, phones: int = 0) -> str:
        donor = donor or Donor("Công ty CP Viễn thông Minh Phát", DonorKind.ENTERPRISE)
        command = RecordPledge(campaign_id=CAMPAIGN_ID, donor=donor, amount_vnd=amount_vnd, phones=phones, date=LAUNCH)
        (event,) = self._run(command, self.campaign.record_pledge)
        assert isinstance(event, PledgeRecorded)
        return event.pledge_id

    def receive(self, reference: str = "FT23081100001", **fields: Any) -> list[CampaignEvent]:
        command = RecordReceipt(campaign_id=CAMPAIGN_ID, reference=reference, date=LAUNCH, **fields)
        return self._run(command, self.campaign.record_receipt)

    def buy(self, amount_vnd: int, phones: int, supplier: str = "Cửa hàng điện thoại Sông Cầu") -> list[CampaignEvent]:
        command = RecordPurchase(
            campaign_id=CAMPAIGN_ID, amount_vnd=amount_vnd, phones=phones, supplier=supplier, date=LAUNCH
        )
        return self._run(command, self.campaign.record_purchase)

    def allocate(self, commune_code: str, phones: int) -> list[CampaignEvent]:
        command = AllocatePhones(campaign_id=CAMPAIGN_ID, commune_code=commune_code, phones=phones, date=LAUNCH)
        return self._run(command, self.campaign.allocate_phones)

    def deliver(self, commune_code: str, household_id: str, household_commune: str | None = "") -> list[CampaignEvent]:
        lives_in = commune_code if household_commune == "" else household_commune
        command = DeliverPhone(
            campaign_id=CAMPAIGN_ID,
            commune_code=commune_code,
            household_id=household_id,
            household_commune=lives_in,
            date=LAUNCH,
        )
        return self._run(command, self.campaign.deliver_phone)

    def reverse(self, entry_id: str, reason: str = "entered twice by mistake") -> list[CampaignEvent]:
        command = ReverseEntry(campaign_id=CAMPAIGN_ID, entry_id=entry_id, reason=reason, date=LAUNCH)
        return self._run(command, self.campaign.reverse_entry)

    def close(self) -> list[CampaignEvent]:
        return self._run(CloseCampaign(campaign_id=CAMPAIGN_ID, date=dt.date(2023, 12, 31)), self.campaign.close)

    def stock_phones(self, phones: int) -> None:
        """Put `phones` in central stock: money received, then spent on phones."""
        self.receive(reference=f"FT-STOCK-{len(self.events)}", amount_vnd=phones * PHONE_PRICE_VND)
        self.buy(amount_vnd=phones * PHONE_PRICE_VND, phones=phones)

    def statement(self) -> CampaignStatement:
        return CampaignStatement.from_events(self.events)

    def journal(self) -> PublicJournal:
        return PublicJournal.from_events(self.events)


@pytest.fixture
def office() -> CampaignOffice:
    return CampaignOffice()
