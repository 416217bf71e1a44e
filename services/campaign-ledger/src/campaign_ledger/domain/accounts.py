"""The campaign's chart of accounts (hệ thống tài khoản): what each account holds and in which unit.

Money and phones are two separate ledgers that never mix: an account is kept either in VND or in phones,
and an entry balances in each unit on its own. Every balance here is debit minus credit, so assets (cash,
stock, receivables) are positive and income accounts negative.
"""

from __future__ import annotations

from enum import StrEnum

from campaign_ledger.domain.errors import (
    InsufficientCashError,
    InsufficientStockError,
    NegativeBalanceError,
)


class Unit(StrEnum):
    """The unit an account is kept in: integer Vietnamese đồng, or a count of phones."""

    VND = "VND"
    PHONE = "phone"


PLEDGES_RECEIVABLE_VND = "pledges_receivable_vnd"
PLEDGED_INCOME_VND = "pledged_income_vnd"
UNPLEDGED_INCOME_VND = "unpledged_income_vnd"
CASH_VND = "cash_vnd"
PHONES_SPENT_VND = "phones_spent_vnd"

PLEDGES_RECEIVABLE_PHONES = "pledges_receivable_phones"
PLEDGED_PHONES = "pledged_phones"
UNPLEDGED_PHONES = "unpledged_phones"
PHONES_PURCHASED = "phones_purchased"
PHONE_STOCK_CENTRAL = "phone_stock_central"
PHONES_DELIVERED = "phones_delivered"

_COMMUNE_STOCK_PREFIX = "phone_stock_commune:"

_VND_ACCOUNTS = frozenset(
    {PLEDGES_RECEIVABLE_VND, PLEDGED_INCOME_VND, UNPLEDGED_INCOME_VND, CASH_VND, PHONES_SPENT_VND}
)
_PHONE_ACCOUNTS = frozenset(
    {
        PLEDGES_RECEIVABLE_PHONES,
        PLEDGED_PHONES,
        UNPLEDGED_PHONES,
        PHONES_PURCHASED,
        PHONE_STOCK_CENTRAL,
        PHONES_DELIVERED,
    }
)
# The accounts that hold something real (cash, phones, promises still owed): none may ever go below zero.
_NON_NEGATIVE = frozenset({CASH_VND, PLEDGES_RECEIVABLE_VND, PLEDGES_RECEIVABLE_PHONES, PHONE_STOCK_CENTRAL})


def commune_stock(commune_code: str) -> str:
    """The account of phones allocated to a commune (xã/phường) and not yet delivered."""
    return f"{_COMMUNE_STOCK_PREFIX}{commune_code}"


def commune_of(account: str) -> str | None:
    """The commune code of a commune stock account, or None for any other account."""
    if account.startswith(_COMMUNE_STOCK_PREFIX):
        return account.removeprefix(_COMMUNE_STOCK_PREFIX)
    return None


def unit_of(account: str) -> Unit | None:
    """The unit an account is kept in, or None if the chart has no such account."""
    if account in _VND_ACCOUNTS:
        return Unit.VND
    if account in _PHONE_ACCOUNTS or commune_of(account) is not None:
        return Unit.PHONE
    return None


def must_stay_non_negative(account: str) -> bool:
    """Whether the account holds cash, stock or receivables, which can never go below zero."""
    return account in _NON_NEGATIVE or commune_of(account) is not None


def shortage(account: str, balance: int, needed: int) -> NegativeBalanceError:
    """The error for an entry that would take more from `account` than it holds."""
    if account == CASH_VND:
        return InsufficientCashError(account, balance, needed)
    if account == PHONE_STOCK_CENTRAL or commune_of(account) is not None:
        return InsufficientStockError(account, balance, needed)
    return NegativeBalanceError(account, balance, needed)
