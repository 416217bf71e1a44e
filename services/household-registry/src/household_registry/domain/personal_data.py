"""The household head's personal data (dữ liệu cá nhân): name, national ID number and phone.

These fields are kept together in `HeadOfHousehold` so that the adapters can encrypt them with the household's
key and erase them by destroying it (crypto-shredding). Their `repr` masks the values, so a log line or a
traceback that shows one never shows the person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from household_registry.domain.errors import InvalidHouseholdError, InvalidNationalIdError, InvalidPhoneNumberError

_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
_PHONE = re.compile(r"0[0-9]{9,10}")
# The first three digits of a personal identification number are the province of birth registration:
# 001 (Hà Nội) to 096 (Cà Mau). 000 and anything above 096 are never issued.
_FIRST_PROVINCE, _LAST_PROVINCE = 1, 96


def _masked(value: str) -> str:
    return "*" * (len(value) - 2) + value[-2:]


@dataclass(frozen=True)
class NationalId:
    """A 12-digit personal identification number (số định danh cá nhân, on the căn cước / CCCD card)."""

    value: str = field(repr=False)

    def __post_init__(self) -> None:
        # ASCII digits only: str.isdigit() would accept "١٢٣" and other scripts' digits
        if not isinstance(self.value, str) or not _TWELVE_DIGITS.fullmatch(self.value):
            raise InvalidNationalIdError("a national ID number is exactly 12 digits 0-9")
        if not _FIRST_PROVINCE <= int(self.value[:3]) <= _LAST_PROVINCE:
            raise InvalidNationalIdError("a national ID number starts with a province code from 001 to 096")

    def __repr__(self) -> str:
        return f"NationalId({_masked(self.value)!r})"

    def __str__(self) -> str:
        return _masked(self.value)


@dataclass(frozen=True)
class PhoneNumber:
    """A Vietnamese phone number, kept in its domestic form (0 and 9 or 10 digits); +84 is accepted."""

    value: str = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> PhoneNumber:
        """Accept spaces, dots and dashes between digits and the +84 / 84 country prefix."""
        digits = re.sub(r"[\s.\-]", "", text).removeprefix("+")
        if digits.startswith("84"):
            digits = "0" + digits[2:]
        return cls(digits)

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not _PHONE.fullmatch(self.value):
            raise InvalidPhoneNumberError("a phone number is 0 followed by 9 or 10 digits (or +84 and the rest)")

    def __repr__(self) -> str:
        return f"PhoneNumber({_masked(self.value)!r})"


@dataclass(frozen=True)
class HeadOfHousehold:
    """The head of household (chủ hộ): the only personal data the registry holds, encrypted at rest."""

    full_name: str = field(repr=False)
    national_id: NationalId
    phone: PhoneNumber | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.full_name, str) or not self.full_name.strip():
            raise InvalidHouseholdError("the head of household needs a full name")
        # One spelling per name: NFC (Vietnamese diacritics have two Unicode forms) and single spaces
        tidy = " ".join(unicodedata.normalize("NFC", self.full_name).split())
        object.__setattr__(self, "full_name", tidy)
