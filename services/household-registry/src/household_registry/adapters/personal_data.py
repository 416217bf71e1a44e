"""The head of household's personal fields as they are stored: ciphertext only.

`EncryptedHeads` seals and opens them with the household's data key. `SealedHeads` is what every other code
path uses: it never holds a key, so commands that do not need the person (a survey, a phone delivery, a
rebuild) never decrypt them, and a household whose key was destroyed reads back with no head at all.
"""

from __future__ import annotations

from typing import Any, Protocol

from household_registry.adapters.crypto import FieldCipher
from household_registry.domain.personal_data import HeadOfHousehold, NationalId, PhoneNumber

PERSONAL_FIELDS = ("full_name", "national_id", "phone")


class UnsealedWriteError(Exception):
    """Personal data was about to be stored without a key to encrypt it with (a bug, never a user error)."""


class HeadCodec(Protocol):
    """Turns a head of household into stored ciphertext and back."""

    def seal(self, head: HeadOfHousehold) -> dict[str, Any]: ...

    def open(self, sealed: dict[str, Any]) -> HeadOfHousehold | None: ...


class EncryptedHeads:
    """Seals and opens heads with one household's field cipher."""

    def __init__(self, cipher: FieldCipher) -> None:
        self._cipher = cipher

    def seal(self, head: HeadOfHousehold) -> dict[str, Any]:
        """Every personal field encrypted; a missing phone stays null."""
        phone = head.phone.value if head.phone else None
        return {
            "full_name": self._cipher.encrypt("full_name", head.full_name),
            "national_id": self._cipher.encrypt("national_id", head.national_id.value),
            "phone": self._cipher.encrypt("phone", phone) if phone is not None else None,
        }

    def open(self, sealed: dict[str, Any]) -> HeadOfHousehold:
        """The head in clear (only for a caller entitled to read it, who is audited)."""
        phone = sealed.get("phone")
        return HeadOfHousehold(
            full_name=self._cipher.decrypt("full_name", sealed["full_name"]),
            national_id=NationalId(self._cipher.decrypt("national_id", sealed["national_id"])),
            phone=PhoneNumber(self._cipher.decrypt("phone", phone)) if phone is not None else None,
        )


class SealedHeads:
    """Leaves heads sealed: reads give no head, and writing one is refused."""

    def seal(self, head: HeadOfHousehold) -> dict[str, Any]:
        raise UnsealedWriteError("a head of household can only be stored encrypted under its household's key")

    def open(self, sealed: dict[str, Any]) -> None:
        return None
