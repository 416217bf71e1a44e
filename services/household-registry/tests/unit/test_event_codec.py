"""Stored events of a household: every domain event round-trips; the head is stored only as ciphertext and
reads back only with the household's key."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from backan_shared.event_store import GlobalPosition, NewEvent, RecordedEvent
from household_registry.adapters.crypto import FieldCipher, new_data_key
from household_registry.adapters.event_codec import HouseholdEventCodec, UnknownStoredEventError
from household_registry.adapters.personal_data import EncryptedHeads, UnsealedWriteError
from household_registry.domain.classification import Classification
from household_registry.domain.events import (
    HouseholdEvent,
    HouseholdRegistered,
    InformationAccessRecorded,
    PersonalDataErased,
    StatusChanged,
    SurveyCorrected,
    SurveyRecorded,
)
from household_registry.domain.personal_data import HeadOfHousehold, NationalId, PhoneNumber
from household_registry.domain.poverty_standard import Area
from household_registry.domain.review import ReviewStatus
from household_registry.domain.survey import Survey

HOUSEHOLD = uuid.uuid4()
HEAD = HeadOfHousehold("Hoàng Văn Minh", NationalId("006085001234"), PhoneNumber("0912345678"))
SURVEY = Survey(2023, Area.RURAL, 1_000_000, frozenset({"employment", "health_insurance", "hygienic_latrine"}))
POOR, NEAR = Classification.POOR, Classification.NEAR_POOR
REGISTERED = HouseholdRegistered(HOUSEHOLD, "01837", Area.URBAN, True, 4, HEAD)


def stored(new: NewEvent) -> RecordedEvent:
    return RecordedEvent(
        new.event_id,
        f"household-{HOUSEHOLD}",
        "household",
        1,
        new.type,
        new.data,
        {},
        datetime.now(UTC),
        GlobalPosition(),
    )


def keyed_codec(key: bytes) -> HouseholdEventCodec:
    return HouseholdEventCodec(EncryptedHeads(FieldCipher(HOUSEHOLD, key)))


@pytest.mark.parametrize(
    "event",
    [
        SurveyRecorded(HOUSEHOLD, SURVEY, "2022-2025", POOR, POOR),
        SurveyCorrected(HOUSEHOLD, SURVEY, "2022-2025", POOR, POOR, NEAR, "two deprivations were missed"),
        StatusChanged(HOUSEHOLD, 2023, None, ReviewStatus.POOR, POOR, "review 2023"),
        StatusChanged(HOUSEHOLD, 2024, ReviewStatus.POOR, ReviewStatus.ESCAPED_POVERTY, NEAR, "review 2024"),
        InformationAccessRecorded(HOUSEHOLD, "smartphone campaign c-1", "delivery-7", date(2023, 9, 1)),
        PersonalDataErased(HOUSEHOLD, "subject request"),
    ],
    ids=lambda event: type(event).__name__,
)
def test_every_event_without_personal_data_round_trips(event: HouseholdEvent) -> None:
    codec = HouseholdEventCodec()
    assert codec.decode(stored(codec.encode(event))) == event


def test_a_registration_round_trips_with_the_households_key_and_stores_no_plaintext() -> None:
    key = new_data_key()
    new = keyed_codec(key).encode(REGISTERED)
    assert "Minh" not in str(new.data) and "006085001234" not in str(new.data) and "0912345678" not in str(new.data)
    assert keyed_codec(key).decode(stored(new)) == REGISTERED


def test_without_the_key_a_registration_reads_back_with_no_head() -> None:
    new = keyed_codec(new_data_key()).encode(REGISTERED)
    decoded = HouseholdEventCodec().decode(stored(new))
    assert isinstance(decoded, HouseholdRegistered) and decoded.head is None
    assert decoded.commune_code == "01837" and decoded.ethnic_minority


def test_a_head_is_never_stored_without_a_key() -> None:
    with pytest.raises(UnsealedWriteError):
        HouseholdEventCodec().encode(REGISTERED)


def test_an_unknown_stored_event_type_is_refused() -> None:
    with pytest.raises(UnknownStoredEventError):
        HouseholdEventCodec().decode(stored(NewEvent("household-teleported", {})))
