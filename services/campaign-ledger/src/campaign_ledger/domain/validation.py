"""Checks on a command's own fields, before the campaign's state is consulted. Each raises a 422 error."""

from __future__ import annotations

from campaign_ledger.domain.errors import BlankFieldError, InvalidAmountError, InvalidImeiError

_IMEI_DIGITS = 15


def check_quantity(value: int, what: str) -> None:
    """Refuse an amount that is not a whole number of zero or more (money is integer VND, never a float)."""
    if type(value) is not int or value < 0:
        raise InvalidAmountError(f"{what} must be a whole number of zero or more, not {value!r}")


def check_positive(value: int, what: str) -> None:
    """Refuse an amount that is not a whole number above zero."""
    check_quantity(value, what)
    if value == 0:
        raise InvalidAmountError(f"{what} must be above zero")


def check_something_given(amount_vnd: int, phones: int) -> None:
    """Refuse a pledge or receipt of neither money nor phones."""
    check_quantity(amount_vnd, "amount_vnd")
    check_quantity(phones, "phones")
    if amount_vnd == 0 and phones == 0:
        raise InvalidAmountError("give an amount_vnd, a number of phones, or both")


def check_not_blank(value: str, what: str) -> None:
    """Refuse an empty (or all-space) reference, supplier, reason or id."""
    if not value.strip():
        raise BlankFieldError(f"{what} must not be blank")


def check_imei(imei: str | None) -> None:
    """Refuse an IMEI that is given but is not 15 digits."""
    if imei is not None and not (len(imei) == _IMEI_DIGITS and imei.isascii() and imei.isdigit()):
        raise InvalidImeiError(f"an IMEI is {_IMEI_DIGITS} digits, not {imei!r}")
