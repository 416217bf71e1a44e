"""What the campaign remembers about each pledge and receipt, to decide on the receipts and reversals to come."""

from __future__ import annotations

from dataclasses import dataclass

from campaign_ledger.domain.donors import Donor


@dataclass
class PledgeRecord:
    """A pledge and how much of it has been received so far."""

    donor: Donor
    amount_vnd: int
    phones: int
    collected_vnd: int = 0
    collected_phones: int = 0
    reversed: bool = False

    @property
    def outstanding_vnd(self) -> int:
        """Money pledged and not yet received."""
        return self.amount_vnd - self.collected_vnd

    @property
    def outstanding_phones(self) -> int:
        """Phones pledged and not yet received."""
        return self.phones - self.collected_phones

    @property
    def has_receipts(self) -> bool:
        """Whether any money or phones were received against this pledge (and not reversed)."""
        return self.collected_vnd > 0 or self.collected_phones > 0


@dataclass
class ReceiptRecord:
    """A receipt, kept so a retry of it can be recognised and a reversal of it undone exactly."""

    reference: str
    pledge_id: str | None
    amount_vnd: int
    phones: int
    applied_vnd: int
    applied_phones: int
    reversed: bool = False

    def same_as(self, *, amount_vnd: int, phones: int, pledge_id: str | None) -> bool:
        """Whether a receipt with the same reference is a retry of this one, not a different receipt."""
        return (self.amount_vnd, self.phones, self.pledge_id) == (amount_vnd, phones, pledge_id)
