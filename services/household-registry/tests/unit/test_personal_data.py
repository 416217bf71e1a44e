"""The head of household's personal data: national ID numbers, phones and names, validated and masked."""

from __future__ import annotations

import pytest

from household_registry.domain.errors import InvalidHouseholdError, InvalidNationalIdError, InvalidPhoneNumberError
from household_registry.domain.personal_data import HeadOfHousehold, NationalId, PhoneNumber


@pytest.mark.parametrize("number", ["001099012345", "006185000123", "096300999999", "034203000001"])
def test_a_twelve_digit_number_with_a_province_prefix_is_a_national_id(number: str) -> None:
    assert NationalId(number).value == number


@pytest.mark.parametrize(
    ("case", "number"),
    [
        ("eleven digits", "00609901234"),
        ("thirteen digits", "0060990123456"),
        ("a letter", "00609901234A"),
        ("a space inside", "006099 012345"),
        ("surrounding spaces", " 006099012345 "),
        ("full-width digits", "００６０９９０１２３４５"),
        ("Arabic-Indic digits", "٠٠٦٠٩٩٠١٢٣٤٥"),
        ("province 000", "000099012345"),
        ("province 097", "097099012345"),
        ("empty", ""),
    ],
)
def test_anything_else_is_not_a_national_id(case: str, number: str) -> None:
    with pytest.raises(InvalidNationalIdError):
        NationalId(number)


def test_a_national_id_given_as_a_number_is_refused() -> None:
    # An int would silently lose the leading zeros of every ID from provinces 001-099.
    with pytest.raises(InvalidNationalIdError):
        NationalId(6099012345)  # type: ignore[arg-type]


def test_a_national_id_never_shows_in_full_in_logs() -> None:
    number = NationalId("006085001234")
    assert "006085001234" not in repr(number) and "006085001234" not in str(number)
    assert repr(number).endswith("34')")


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0209.3870.123", "02093870123"),
    ],
)
def test_phone_numbers_are_kept_in_their_domestic_form(text: str, stored: str) -> None:
    assert PhoneNumber.parse(text).value == stored


@pytest.mark.parametrize("text", ["912345678", "09123", "0912a45678", "+1 202 555 0100", ""])
def test_a_phone_number_that_is_not_vietnamese_is_refused(text: str) -> None:
    with pytest.raises(InvalidPhoneNumberError):
        PhoneNumber.parse(text)


def test_the_head_needs_a_name_and_it_is_stored_in_one_spelling() -> None:
    decomposed = "Hoa\u0300ng  Va\u0306n   Minh "
    head = HeadOfHousehold(decomposed, NationalId("006085001234"))
    assert head.full_name == "Hoàng Văn Minh"
    assert "Hoàng" not in repr(head) and "006085001234" not in repr(head)
    with pytest.raises(InvalidHouseholdError):
        HeadOfHousehold("   ", NationalId("006085001234"))
