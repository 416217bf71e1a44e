"""The `Campaign` aggregate: a smartphone donation campaign (chiến dịch phổ cập điện thoại thông minh).

Each command method checks the campaign's invariants, then applies and returns the new events; a refused
command raises before anything changes, so the campaign is left exactly as it was. The state and how events
change it are in `campaign_state.py`; `Campaign.replay` rebuilds the same campaign from its events alone.
"""

from __future__ import annotations

import datetime as dt

from campaign_ledger.domain import entries, validation
from campaign_ledger.domain.campaign_state import CampaignState
from campaign_ledger.domain.commands import (
    AllocatePhones,
    CloseCampaign,
    Command,
    DeliverPhone,
    OpenCampaign,
    RecordPledge,
    RecordPurchase,
    RecordReceipt,
    ReverseEntry,
)
from campaign_ledger.domain.errors import (
    AlreadyDeliveredError,
    CampaignClosedError,
    CommuneNotServedError,
    HouseholdInOtherCommuneError,
    InvalidCampaignError,
    PledgeHasReceiptsError,
    ReceiptReferenceConflictError,
    UnknownHouseholdError,
    UnknownPledgeError,
    WrongCampaignError,
)
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
from campaign_ledger.domain.records import PledgeRecord


class Campaign(CampaignState):
    """A campaign (chiến dịch) and the decisions it takes: every command checks its invariants here."""

    @classmethod
    def open(cls, command: OpenCampaign) -> tuple[Campaign, list[CampaignEvent]]:
        """Launch a campaign: the new aggregate and its first event."""
        _check_opening(command)
        event = CampaignOpened(
            campaign_id=command.campaign_id,
            name=command.name.strip(),
            start_date=command.start_date,
            end_date=command.end_date,
            target_vnd=command.target_vnd,
            target_phones=command.target_phones,
            commune_codes=tuple(command.commune_codes),
        )
        return cls.replay([event]), [event]

    def close(self, command: CloseCampaign) -> list[CampaignEvent]:
        """End fundraising (kết thúc vận động)."""
        self._check_addressed(command)
        self._check_open()
        return self._trigger(CampaignClosed(campaign_id=self.campaign_id, date=command.date))

    def record_pledge(self, command: RecordPledge) -> list[CampaignEvent]:
        """Record a donor's pledge; nothing is received yet, so only receivables move."""
        self._check_addressed(command)
        command.donor.check_valid()
        validation.check_something_given(command.amount_vnd, command.phones)
        self._check_open()
        pledge_id = f"PL-{len(self.pledges) + 1:04d}"
        entry = self._entry(
            EntryKind.PLEDGE, command.date, pledge_id, entries.pledge_postings(command.amount_vnd, command.phones)
        )
        return self._trigger(
            PledgeRecorded(
                campaign_id=self.campaign_id,
                entry=entry,
                pledge_id=pledge_id,
                donor=command.donor,
                amount_vnd=command.amount_vnd,
                phones=command.phones,
            )
        )

    def record_receipt(self, command: RecordReceipt) -> list[CampaignEvent]:
        """Record money or phones received; a retry under a reference already recorded returns no events."""
        self._check_addressed(command)
        validation.check_not_blank(command.reference, "reference")
        validation.check_something_given(command.amount_vnd, command.phones)
        if command.donor is not None:
            command.donor.check_valid()
        # A retry is recognised before the open check: it must find its receipt even after the campaign closed.
        if self._is_retry(command):
            return []
        self._check_open()
        pledge = self._pledge(command.pledge_id)
        applied_vnd = min(command.amount_vnd, pledge.outstanding_vnd) if pledge else 0
        applied_phones = min(command.phones, pledge.outstanding_phones) if pledge else 0
        receipt_id = f"RC-{len(self.receipts) + 1:04d}"
        postings = entries.receipt_postings(command.amount_vnd, command.phones, applied_vnd, applied_phones)
        reference = command.reference.strip()
        entry = self._entry(EntryKind.RECEIPT, command.date, receipt_id, postings, memo=f"reference {reference}")
        return self._trigger(
            DonationReceived(
                campaign_id=self.campaign_id,
                entry=entry,
                receipt_id=receipt_id,
                reference=reference,
                pledge_id=command.pledge_id,
                donor=command.donor,
                amount_vnd=command.amount_vnd,
                phones=command.phones,
                applied_vnd=applied_vnd,
                applied_phones=applied_phones,
            )
        )

    def record_purchase(self, command: RecordPurchase) -> list[CampaignEvent]:
        """Record phones bought with the campaign's cash; refused beyond the cash it holds."""
        self._check_addressed(command)
        validation.check_positive(command.amount_vnd, "amount_vnd")
        validation.check_positive(command.phones, "phones")
        validation.check_not_blank(command.supplier, "supplier")
        purchase_id = f"PU-{self.purchase_count + 1:04d}"
        postings = entries.purchase_postings(command.amount_vnd, command.phones)
        entry = self._entry(
            EntryKind.PURCHASE, command.date, purchase_id, postings, memo=f"supplier {command.supplier.strip()}"
        )
        return self._trigger(
            PhonesPurchased(
                campaign_id=self.campaign_id,
                entry=entry,
                purchase_id=purchase_id,
                supplier=command.supplier.strip(),
                amount_vnd=command.amount_vnd,
                phones=command.phones,
            )
        )

    def allocate_phones(self, command: AllocatePhones) -> list[CampaignEvent]:
        """Allocate phones from central stock to one of the campaign's communes."""
        self._check_addressed(command)
        self._check_serves(command.commune_code)
        validation.check_positive(command.phones, "phones")
        allocation_id = f"AL-{self.allocation_count + 1:04d}"
        postings = entries.allocation_postings(command.commune_code, command.phones)
        entry = self._entry(
            EntryKind.ALLOCATION, command.date, allocation_id, postings, memo=f"to commune {command.commune_code}"
        )
        return self._trigger(
            PhonesAllocated(
                campaign_id=self.campaign_id,
                entry=entry,
                allocation_id=allocation_id,
                commune_code=command.commune_code,
                phones=command.phones,
            )
        )

    def deliver_phone(self, command: DeliverPhone) -> list[CampaignEvent]:
        """Hand one phone to a household the registry places in this commune, once per campaign."""
        self._check_addressed(command)
        self._check_serves(command.commune_code)
        validation.check_not_blank(command.household_id, "household_id")
        validation.check_imei(command.imei)
        self._check_household(command)
        delivery_id = f"DL-{len(self.delivered_to) + 1:04d}"
        postings = entries.delivery_postings(command.commune_code)
        # The public memo names the commune only: beneficiaries are never identified in public (DESIGN §7).
        entry = self._entry(
            EntryKind.DELIVERY, command.date, delivery_id, postings, memo=f"in commune {command.commune_code}"
        )
        return self._trigger(
            PhoneDelivered(
                campaign_id=self.campaign_id,
                entry=entry,
                delivery_id=delivery_id,
                commune_code=command.commune_code,
                household_id=command.household_id,
                imei=command.imei,
            )
        )

    def reverse_entry(self, command: ReverseEntry) -> list[CampaignEvent]:
        """Cancel an entry by posting its opposite; refused if that would leave cash or stock negative."""
        self._check_addressed(command)
        validation.check_not_blank(command.reason, "reason")
        original = self.ledger.check_reversible(command.entry_id)
        if original.kind is EntryKind.PLEDGE and self.pledges[original.reference].has_receipts:
            raise PledgeHasReceiptsError(f"pledge {original.reference} has receipts: reverse them first")
        reversal = original.reversal(self.ledger.next_entry_id(), command.date, command.reason.strip())
        self.ledger.check_can_post(reversal)
        return self._trigger(
            EntryReversed(
                campaign_id=self.campaign_id,
                entry=reversal,
                reversed_entry_id=original.entry_id,
                reason=reversal.memo,
            )
        )

    def _trigger(self, event: CampaignEvent) -> list[CampaignEvent]:
        self.apply(event)
        return [event]

    def _entry(
        self, kind: EntryKind, date: dt.date, reference: str, postings: tuple[Posting, ...], memo: str = ""
    ) -> JournalEntry:
        entry = JournalEntry(self.ledger.next_entry_id(), kind, date, postings, reference, memo)
        self.ledger.check_can_post(entry)
        return entry

    def _check_addressed(self, command: Command) -> None:
        if command.campaign_id != self.campaign_id:
            raise WrongCampaignError(f"the command is for campaign {command.campaign_id}, not {self.campaign_id}")

    def _check_open(self) -> None:
        if not self.is_open:
            raise CampaignClosedError(f"campaign {self.campaign_id} is closed")

    def _check_serves(self, commune_code: str) -> None:
        if commune_code not in self.commune_codes:
            raise CommuneNotServedError(f"campaign {self.campaign_id} does not serve commune {commune_code!r}")

    def _check_household(self, command: DeliverPhone) -> None:
        if command.household_commune is None:
            raise UnknownHouseholdError(f"the household registry has never published household {command.household_id}")
        if command.household_commune != command.commune_code:
            lives_in = command.household_commune
            raise HouseholdInOtherCommuneError(
                f"household {command.household_id} lives in commune {lives_in}, not {command.commune_code}"
            )
        if command.household_id in self.household_deliveries:
            delivery_id = self.household_deliveries[command.household_id]
            raise AlreadyDeliveredError(f"household {command.household_id} already received a phone ({delivery_id})")

    def _is_retry(self, command: RecordReceipt) -> bool:
        receipt_id = self.receipt_id_for(command.reference)
        if receipt_id is None:
            return False
        receipt = self.receipts[receipt_id]
        if not receipt.same_as(amount_vnd=command.amount_vnd, phones=command.phones, pledge_id=command.pledge_id):
            raise ReceiptReferenceConflictError(
                f"reference {receipt.reference} is receipt {receipt_id}, with other amounts or another pledge"
            )
        return True

    def _pledge(self, pledge_id: str | None) -> PledgeRecord | None:
        if pledge_id is None:
            return None
        if pledge_id not in self.pledges:
            raise UnknownPledgeError(f"campaign {self.campaign_id} has no pledge {pledge_id}")
        pledge = self.pledges[pledge_id]
        if pledge.reversed:
            raise UnknownPledgeError(f"pledge {pledge_id} was reversed")
        return pledge


def _check_opening(command: OpenCampaign) -> None:
    validation.check_not_blank(command.campaign_id, "campaign_id")
    validation.check_not_blank(command.name, "name")
    validation.check_positive(command.target_vnd, "target_vnd")
    validation.check_positive(command.target_phones, "target_phones")
    if command.end_date < command.start_date:
        raise InvalidCampaignError("a campaign cannot end before it starts")
    if not command.commune_codes or len(set(command.commune_codes)) != len(command.commune_codes):
        raise InvalidCampaignError("a campaign serves at least one commune, each named once")
    for code in command.commune_codes:
        validation.check_not_blank(code, "commune code")
