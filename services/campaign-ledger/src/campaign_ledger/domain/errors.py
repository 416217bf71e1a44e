"""The errors the campaign ledger raises, under one root.

Two branches tell the service layer how to answer: `InvalidInputError` is a request that can never succeed as
written (HTTP 422), `StateConflictError` a request that the campaign's current state refuses (HTTP 409) and
that might succeed in another state. A refused command changes nothing.
"""

from __future__ import annotations


class CampaignLedgerError(Exception):
    """Root of every error the campaign ledger's domain raises."""


class InvalidInputError(CampaignLedgerError):
    """The command itself is wrong: a blank field, a negative amount, an id this campaign does not know."""


class StateConflictError(CampaignLedgerError):
    """The command is well formed, but the campaign's state refuses it now."""


class InvalidCampaignError(InvalidInputError):
    """A campaign's name, dates, targets or communes are not valid."""


class WrongCampaignError(InvalidInputError):
    """The command names a different campaign from the one it was sent to."""


class InvalidAmountError(InvalidInputError):
    """An amount of money or of phones is not a non-negative whole number, or nothing is given at all."""


class BlankFieldError(InvalidInputError):
    """A field that identifies or explains something (a reference, a supplier, a reason) is empty."""


class InvalidDonorError(InvalidInputError):
    """A donor (nhà hảo tâm) has no name and is not anonymous, or has an unknown kind."""


class InvalidImeiError(InvalidInputError):
    """A phone's IMEI is not 15 digits."""


class UnknownPledgeError(InvalidInputError):
    """A receipt names a pledge this campaign never recorded."""


class UnknownEntryError(InvalidInputError):
    """A reversal names a journal entry this campaign never posted."""


class CommuneNotServedError(InvalidInputError):
    """The commune (xã/phường) is not one of the campaign's communes."""


class UnknownHouseholdError(InvalidInputError):
    """The household registry has never published this household."""


class HouseholdInOtherCommuneError(InvalidInputError):
    """The household lives in another commune than the one delivering the phone."""


class InvalidEntryError(InvalidInputError):
    """A journal entry or one of its postings is malformed."""


class UnbalancedEntryError(InvalidEntryError):
    """A journal entry's debits and credits differ in some unit."""


class UnitMismatchError(InvalidEntryError):
    """A posting's unit is not the unit its account is kept in (money and phones are never mixed)."""


class CampaignClosedError(StateConflictError):
    """The campaign is closed: it takes no more pledges or receipts, and cannot be closed again."""


class NegativeBalanceError(StateConflictError):
    """Posting the entry would leave an account that must stay positive (cash, stock, receivable) negative."""

    def __init__(self, account: str, balance: int, needed: int):
        super().__init__(f"{account} holds {balance:,}, less than the {needed:,} this needs")
        self.account = account
        self.balance = balance
        self.needed = needed


class InsufficientCashError(NegativeBalanceError):
    """The campaign holds less cash than the purchase or reversal needs."""


class InsufficientStockError(NegativeBalanceError):
    """The central or commune stock holds fewer phones than the allocation, delivery or reversal needs."""


class AlreadyDeliveredError(StateConflictError):
    """The household already received a phone in this campaign."""


class ReceiptReferenceConflictError(StateConflictError):
    """The bank or delivery-note reference was already recorded, with different amounts or pledge."""


class EntryAlreadyReversedError(StateConflictError):
    """The entry was reversed already; a second reversal would count the correction twice."""


class NotReversibleError(StateConflictError):
    """The entry is itself a reversal: record the original fact again instead of reversing the reversal."""


class PledgeHasReceiptsError(StateConflictError):
    """The pledge has receipts against it: reverse those first, then the pledge."""
