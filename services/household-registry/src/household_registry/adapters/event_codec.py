"""Domain events of a household to stored events and back (the `EventCodec` of the shared command handling).

Stored events are private to the registry; their JSON is plain except the head of household, whose fields
go through a `HeadCodec` and are stored only as ciphertext. Event type names are stable strings: renaming a
Python class must not orphan a stored event.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from backan_shared.event_store import NewEvent, RecordedEvent
from household_registry.adapters.personal_data import HeadCodec, SealedHeads
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
from household_registry.domain.poverty_standard import Area
from household_registry.domain.review import ReviewStatus
from household_registry.domain.survey import Survey

Data = dict[str, Any]

REGISTERED = "household-registered"
SURVEY_RECORDED = "survey-recorded"
SURVEY_CORRECTED = "survey-corrected"
STATUS_CHANGED = "status-changed"
INFORMATION_ACCESS_RECORDED = "information-access-recorded"
PERSONAL_DATA_ERASED = "personal-data-erased"


class UnknownStoredEventError(Exception):
    """A stored event type this version of the registry cannot read."""


class HouseholdEventCodec:
    """Encodes and decodes a household's events; personal fields through `heads` (sealed by default)."""

    def __init__(self, heads: HeadCodec | None = None) -> None:
        self._heads: HeadCodec = heads or SealedHeads()

    def encode(self, event: HouseholdEvent) -> NewEvent:
        """The stored form of a domain event."""
        match event:
            case HouseholdRegistered():
                return NewEvent(REGISTERED, self._registered(event))
            case SurveyRecorded():
                return NewEvent(SURVEY_RECORDED, _classified(event))
            case SurveyCorrected():
                data = _classified(event) | {"previous_classification": event.previous_classification.value}
                return NewEvent(SURVEY_CORRECTED, data | {"reason": event.reason})
            case StatusChanged():
                return NewEvent(STATUS_CHANGED, _status_changed(event))
            case InformationAccessRecorded():
                return NewEvent(INFORMATION_ACCESS_RECORDED, _information_access(event))
            case PersonalDataErased():
                return NewEvent(PERSONAL_DATA_ERASED, {"household_id": str(event.household_id), "reason": event.reason})

    def decode(self, recorded: RecordedEvent) -> HouseholdEvent:
        """The domain event a stored event records."""
        if recorded.type == REGISTERED:
            return self._decode_registered(recorded.data)
        decoder = _DECODERS.get(recorded.type)
        if decoder is None:
            raise UnknownStoredEventError(f"cannot read stored event type {recorded.type!r}")
        return decoder(recorded.data)

    def _registered(self, event: HouseholdRegistered) -> Data:
        if event.head is None:
            raise ValueError("a registration is stored with its head of household")
        return {
            "household_id": str(event.household_id),
            "commune_code": event.commune_code,
            "area": event.area.value,
            "ethnic_minority": event.ethnic_minority,
            "members": event.members,
            "head": self._heads.seal(event.head),
        }

    def _decode_registered(self, data: Data) -> HouseholdRegistered:
        return HouseholdRegistered(
            household_id=uuid.UUID(data["household_id"]),
            commune_code=data["commune_code"],
            area=Area(data["area"]),
            ethnic_minority=data["ethnic_minority"],
            members=data["members"],
            head=self._heads.open(data["head"]),
        )


def _survey(survey: Survey) -> Data:
    return {
        "year": survey.year,
        "area": survey.area.value,
        "income_per_capita_vnd": survey.income_per_capita_vnd,
        "deprivations": sorted(survey.deprivations),
    }


def _classified(event: SurveyRecorded | SurveyCorrected) -> Data:
    return {
        "household_id": str(event.household_id),
        "survey": _survey(event.survey),
        "standard_version": event.standard_version,
        "classification": event.classification.value,
        "projected_classification": event.projected_classification.value,
    }


def _status_changed(event: StatusChanged) -> Data:
    return {
        "household_id": str(event.household_id),
        "year": event.year,
        "from_status": event.from_status.value if event.from_status else None,
        "to_status": event.to_status.value,
        "classification": event.classification.value,
        "reason": event.reason,
    }


def _information_access(event: InformationAccessRecorded) -> Data:
    return {
        "household_id": str(event.household_id),
        "source": event.source,
        "reference": event.reference,
        "recorded_on": event.recorded_on.isoformat(),
    }


def _decode_survey(data: Data) -> Survey:
    return Survey(data["year"], Area(data["area"]), data["income_per_capita_vnd"], frozenset(data["deprivations"]))


def _decode_recorded(data: Data) -> SurveyRecorded:
    return SurveyRecorded(
        household_id=uuid.UUID(data["household_id"]),
        survey=_decode_survey(data["survey"]),
        standard_version=data["standard_version"],
        classification=Classification(data["classification"]),
        projected_classification=Classification(data["projected_classification"]),
    )


def _decode_corrected(data: Data) -> SurveyCorrected:
    recorded = _decode_recorded(data)
    return SurveyCorrected(
        household_id=recorded.household_id,
        survey=recorded.survey,
        standard_version=recorded.standard_version,
        classification=recorded.classification,
        projected_classification=recorded.projected_classification,
        previous_classification=Classification(data["previous_classification"]),
        reason=data["reason"],
    )


def _decode_status_changed(data: Data) -> StatusChanged:
    from_status = data["from_status"]
    return StatusChanged(
        household_id=uuid.UUID(data["household_id"]),
        year=data["year"],
        from_status=ReviewStatus(from_status) if from_status is not None else None,
        to_status=ReviewStatus(data["to_status"]),
        classification=Classification(data["classification"]),
        reason=data["reason"],
    )


def _decode_information_access(data: Data) -> InformationAccessRecorded:
    return InformationAccessRecorded(
        household_id=uuid.UUID(data["household_id"]),
        source=data["source"],
        reference=data["reference"],
        recorded_on=date.fromisoformat(data["recorded_on"]),
    )


def _decode_erased(data: Data) -> PersonalDataErased:
    return PersonalDataErased(uuid.UUID(data["household_id"]), data["reason"])


_DECODERS: dict[str, Callable[[Data], HouseholdEvent]] = {
    SURVEY_RECORDED: _decode_recorded,
    SURVEY_CORRECTED: _decode_corrected,
    STATUS_CHANGED: _decode_status_changed,
    INFORMATION_ACCESS_RECORDED: _decode_information_access,
    PERSONAL_DATA_ERASED: _decode_erased,
}
