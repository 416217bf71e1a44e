"""Envelope encryption of personal fields and the keyed national ID hash, without a database."""

from __future__ import annotations

import os
import uuid

import pytest

from household_registry.adapters.crypto import (
    CIPHERTEXT_PREFIX,
    FieldCipher,
    MasterKey,
    PersonalDataCryptoError,
    new_data_key,
)

HOUSEHOLD, OTHER = uuid.uuid4(), uuid.uuid4()


def test_a_field_encrypted_under_a_household_key_decrypts_only_with_that_key() -> None:
    key = new_data_key()
    token = FieldCipher(HOUSEHOLD, key).encrypt("full_name", "Hoàng Văn Minh")
    assert token.startswith(CIPHERTEXT_PREFIX) and "Minh" not in token
    assert FieldCipher(HOUSEHOLD, key).decrypt("full_name", token) == "Hoàng Văn Minh"
    with pytest.raises(PersonalDataCryptoError):
        FieldCipher(HOUSEHOLD, new_data_key()).decrypt("full_name", token)


def test_a_ciphertext_moved_to_another_field_or_household_does_not_open() -> None:
    key = new_data_key()
    token = FieldCipher(HOUSEHOLD, key).encrypt("national_id", "006085001234")
    with pytest.raises(PersonalDataCryptoError):
        FieldCipher(HOUSEHOLD, key).decrypt("phone", token)
    with pytest.raises(PersonalDataCryptoError):
        FieldCipher(OTHER, key).decrypt("national_id", token)


def test_the_same_value_encrypts_differently_each_time() -> None:
    cipher = FieldCipher(HOUSEHOLD, new_data_key())
    assert cipher.encrypt("phone", "0912345678") != cipher.encrypt("phone", "0912345678")


def test_a_wrapped_data_key_opens_only_with_its_master_key_and_household() -> None:
    master, data_key = MasterKey(os.urandom(32)), new_data_key()
    wrapped = master.wrap(HOUSEHOLD, data_key)
    assert master.unwrap(HOUSEHOLD, wrapped) == data_key
    with pytest.raises(PersonalDataCryptoError):
        MasterKey(os.urandom(32)).unwrap(HOUSEHOLD, wrapped)
    with pytest.raises(PersonalDataCryptoError):
        master.unwrap(OTHER, wrapped)


def test_the_national_id_digest_is_stable_keyed_and_not_the_id() -> None:
    master = MasterKey(os.urandom(32))
    digest = master.national_id_digest("006085001234")
    assert digest == master.national_id_digest("006085001234")
    assert digest != master.national_id_digest("006085001235")
    assert digest != MasterKey(os.urandom(32)).national_id_digest("006085001234")
    assert b"006085001234" not in digest


def test_keys_never_show_in_a_repr() -> None:
    raw = os.urandom(32)
    assert raw.hex() not in repr(MasterKey(raw)) and "***" in repr(MasterKey(raw))
    assert "***" in repr(FieldCipher(HOUSEHOLD, raw))
