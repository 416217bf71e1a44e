"""The cryptography behind personal data protection: envelope encryption with AES-GCM and a keyed hash.

Each household has its own 256-bit data key; its personal fields are encrypted under it, so destroying that
one key makes every copy of them, in every past event, unreadable (crypto-shredding). Data keys are stored
wrapped (encrypted) by a key derived from the master key in settings, so a database dump alone reveals
nothing. Duplicate national IDs are found through an HMAC-SHA256 under a second derived key: equal IDs
give equal digests, but a digest cannot be reversed by enumerating the 10^12 possible IDs without the key.

Every ciphertext is bound to its household and field through the AES-GCM associated data, so a ciphertext
copied to another household or field fails to decrypt instead of revealing the wrong person.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
CIPHERTEXT_PREFIX = "aesgcm1:"
_WRAPPING_INFO = b"backan-dx household-registry: data key wrapping v1"
_INDEX_INFO = b"backan-dx household-registry: national ID index v1"


class PersonalDataCryptoError(Exception):
    """A key or ciphertext that does not open: the wrong master key, or tampered data."""


def _derive(master: bytes, info: bytes) -> bytes:
    # One master secret, separate keys per purpose: the index key can never decrypt anything.
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(master)


def _seal(key: bytes, plaintext: bytes, associated: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, associated)


def _open(key: bytes, sealed: bytes, associated: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], associated)
    except (InvalidTag, ValueError):
        raise PersonalDataCryptoError("ciphertext does not open with this key (wrong key or altered data)") from None


def new_data_key() -> bytes:
    """A fresh random 256-bit AES key for one household."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


class MasterKey:
    """The master secret from settings, used only through the keys derived from it."""

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError(f"the master key must be {KEY_BYTES} bytes")
        self._wrapping = _derive(raw, _WRAPPING_INFO)
        self._index = _derive(raw, _INDEX_INFO)

    def __repr__(self) -> str:
        return "MasterKey(***)"

    def wrap(self, household_id: uuid.UUID, data_key: bytes) -> bytes:
        """The household's data key encrypted for storage, bound to that household."""
        return _seal(self._wrapping, data_key, household_id.bytes)

    def unwrap(self, household_id: uuid.UUID, wrapped: bytes) -> bytes:
        """The data key a `wrap` stored; a key wrapped under another master key or household is refused."""
        return _open(self._wrapping, wrapped, household_id.bytes)

    def national_id_digest(self, national_id: str) -> bytes:
        """The keyed hash the duplicate check compares instead of the ID itself."""
        return hmac.new(self._index, national_id.encode(), hashlib.sha256).digest()


class FieldCipher:
    """Encrypts and decrypts one household's personal fields under its data key."""

    def __init__(self, household_id: uuid.UUID, data_key: bytes) -> None:
        self._household_id = household_id
        self._key = data_key

    def __repr__(self) -> str:
        return f"FieldCipher({self._household_id}, ***)"

    def encrypt(self, field: str, plaintext: str) -> str:
        """A text token (prefix + base64 of nonce and ciphertext) for a JSON event payload."""
        sealed = _seal(self._key, plaintext.encode(), self._associated(field))
        return CIPHERTEXT_PREFIX + base64.b64encode(sealed).decode()

    def decrypt(self, field: str, token: str) -> str:
        """The plaintext of a token `encrypt` made for this household and field."""
        if not token.startswith(CIPHERTEXT_PREFIX):
            raise PersonalDataCryptoError(f"the {field} field is not an encrypted token")
        sealed = base64.b64decode(token.removeprefix(CIPHERTEXT_PREFIX))
        return _open(self._key, sealed, self._associated(field)).decode()

    def _associated(self, field: str) -> bytes:
        return self._household_id.bytes + field.encode()
