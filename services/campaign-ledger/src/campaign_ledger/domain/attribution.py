"""Which donor each journal entry belongs to, as the public sees them.

Read models keep only the public face of a donor (`PublicDonor`), so an anonymous donor's name never
reaches a statement, a journal line or anything built from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from campaign_ledger.domain.donors import UNKNOWN_DONOR, PublicDonor
from campaign_ledger.domain.events import CampaignEvent, DonationReceived, EntryReversed, PledgeRecorded


@dataclass
class DonorAttribution:
    """The public donor of every pledge, receipt, and reversal of one of those."""

    pledge_donors: dict[str, PublicDonor] = field(default_factory=dict)
    entry_donors: dict[str, PublicDonor] = field(default_factory=dict)

    def apply(self, event: CampaignEvent) -> PublicDonor | None:
        """Attribute the event's entry to a donor; the donor, or None for entries no donor made."""
        donor = self._donor_of(event)
        if donor is not None and isinstance(event, PledgeRecorded | DonationReceived | EntryReversed):
            self.entry_donors[event.entry.entry_id] = donor
        return donor

    def _donor_of(self, event: CampaignEvent) -> PublicDonor | None:
        if isinstance(event, PledgeRecorded):
            self.pledge_donors[event.pledge_id] = event.donor.public()
            return self.pledge_donors[event.pledge_id]
        if isinstance(event, DonationReceived):
            return self._receipt_donor(event)
        if isinstance(event, EntryReversed):
            # A reversal belongs to whoever the reversed entry belonged to, so it nets out of their row.
            return self.entry_donors.get(event.reversed_entry_id)
        return None

    def _receipt_donor(self, event: DonationReceived) -> PublicDonor:
        if event.pledge_id is not None:
            return self.pledge_donors[event.pledge_id]
        if event.donor is not None:
            return event.donor.public()
        return UNKNOWN_DONOR
