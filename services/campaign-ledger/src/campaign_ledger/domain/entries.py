"""The postings each kind of fact makes: the campaign's accounting rules (định khoản) in one place.

Only amounts above zero are posted, so a pledge of money only touches no phone account.
"""

from __future__ import annotations

from campaign_ledger.domain import accounts as acc
from campaign_ledger.domain.ledger import Posting


def _pair(debit_account: str, credit_account: str, amount: int) -> list[Posting]:
    if amount == 0:
        return []
    return [Posting.debit_of(debit_account, amount), Posting.credit_of(credit_account, amount)]


def _credits(*lines: tuple[str, int]) -> list[Posting]:
    return [Posting.credit_of(account, amount) for account, amount in lines if amount > 0]


def _debit(account: str, amount: int) -> list[Posting]:
    return [Posting.debit_of(account, amount)] if amount > 0 else []


def pledge_postings(amount_vnd: int, phones: int) -> tuple[Posting, ...]:
    """A pledge: the donor owes what they promised (receivable), balanced by pledged income."""
    money = _pair(acc.PLEDGES_RECEIVABLE_VND, acc.PLEDGED_INCOME_VND, amount_vnd)
    return tuple(money + _pair(acc.PLEDGES_RECEIVABLE_PHONES, acc.PLEDGED_PHONES, phones))


def receipt_postings(amount_vnd: int, phones: int, applied_vnd: int, applied_phones: int) -> tuple[Posting, ...]:
    """A receipt: cash or central stock goes up; the applied part settles the pledge, the rest is unpledged."""
    money = _debit(acc.CASH_VND, amount_vnd) + _credits(
        (acc.PLEDGES_RECEIVABLE_VND, applied_vnd), (acc.UNPLEDGED_INCOME_VND, amount_vnd - applied_vnd)
    )
    in_kind = _debit(acc.PHONE_STOCK_CENTRAL, phones) + _credits(
        (acc.PLEDGES_RECEIVABLE_PHONES, applied_phones), (acc.UNPLEDGED_PHONES, phones - applied_phones)
    )
    return tuple(money + in_kind)


def purchase_postings(amount_vnd: int, phones: int) -> tuple[Posting, ...]:
    """A purchase: cash is spent, and as many phones as were bought enter central stock."""
    spent = _pair(acc.PHONES_SPENT_VND, acc.CASH_VND, amount_vnd)
    return tuple(spent + _pair(acc.PHONE_STOCK_CENTRAL, acc.PHONES_PURCHASED, phones))


def allocation_postings(commune_code: str, phones: int) -> tuple[Posting, ...]:
    """An allocation (phân bổ): phones move from central stock to the commune's stock."""
    return tuple(_pair(acc.commune_stock(commune_code), acc.PHONE_STOCK_CENTRAL, phones))


def delivery_postings(commune_code: str) -> tuple[Posting, ...]:
    """A delivery (trao tặng): one phone leaves the commune's stock for a household."""
    return tuple(_pair(acc.PHONES_DELIVERED, acc.commune_stock(commune_code), 1))
