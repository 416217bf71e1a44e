"""Integration events derived from a household's domain events, for the outbox (contracts/household.py).

Only the pseudonymous household id and coarse facts leave: the commune, the area, a year's classification,
dates. The head's personal data, income, ethnicity and deprivations stay in the registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from backan_shared.contracts import INTEGRATION_EVENTS
from backan_shared.contracts import household as contract
from backan_shared.outbox import OutboxMessage
from household_registry.domain.classification import Classification
from household_registry.domain.events import (
    HouseholdEvent,
    HouseholdRegistered,
    InformationAccessRecorded,
    PersonalDataErased,
    SurveyCorrected,
    SurveyRecorded,
)
from household_registry.domain.household import Household

# Dates are the province's calendar dates (Vietnam keeps UTC+7 all year).
VIETNAM = timezone(timedelta(hours=7), "ICT")


def today_in_vietnam() -> date:
    """Today's date in Bắc Kạn."""
    return datetime.now(UTC).astimezone(VIETNAM).date()


@dataclass(frozen=True)
class IntegrationPublisher:
    """Turns one decision's domain events into outbox messages on the household topic."""

    source: str
    topic: str

    def messages(
        self, before: Household | None, new: Sequence[HouseholdEvent], after: Household
    ) -> list[OutboxMessage]:
        """The integration events of `new`, keyed by household id so one household's events stay in order."""
        today, key = today_in_vietnam(), str(after.household_id)
        payloads = [_payload(event, before, after, today) for event in new]
        return [self.message(event_type, data, key=key) for event_type, data in filter(None, payloads)]

    def message(self, event_type: str, data: dict[str, Any], *, key: str, subject: str | None = None) -> OutboxMessage:
        """One integration event for the outbox, keyed by `key`; its subject is the key unless named."""
        # Validated against the contract's model here, so a payload that breaks the contract never commits.
        payload = INTEGRATION_EVENTS.types()[event_type].model_validate(data)
        event = INTEGRATION_EVENTS.create(payload, event_type=event_type, source=self.source, subject=subject or key)
        return OutboxMessage(self.topic, key, event)


def _payload(
    event: HouseholdEvent, before: Household | None, after: Household, today: date
) -> tuple[str, dict[str, Any]] | None:
    # StatusChanged is not published on its own: the classified event carries the change it records.
    common = {"household_id": str(after.household_id), "commune_code": after.commune_code}
    match event:
        case HouseholdRegistered():
            return contract.REGISTERED, common | {"area": event.area.value, "registered_on": today}
        case SurveyRecorded() | SurveyCorrected():
            return contract.CLASSIFIED, common | _classified(event, before)
        case InformationAccessRecorded():
            projected = after.projected_classification
            return contract.INFORMATION_ACCESS_RECORDED, common | {
                "recorded_on": event.recorded_on,
                "projected_classification": projected.value if projected else None,
            }
        case PersonalDataErased():
            return contract.PERSONAL_DATA_ERASED, {"household_id": common["household_id"], "erased_on": today}
    return None


def _classified(event: SurveyRecorded | SurveyCorrected, before: Household | None) -> dict[str, Any]:
    if isinstance(event, SurveyCorrected):
        previous: Classification | None = event.previous_classification
    else:
        previous = _previous_year(before, event.survey.year)
    return {
        "year": event.survey.year,
        "classification": event.classification.value,
        "previous_classification": previous.value if previous else None,
        "corrected": isinstance(event, SurveyCorrected),
    }


def _previous_year(household: Household | None, year: int) -> Classification | None:
    """The official classification of the latest review before `year`, if there was one."""
    earlier = [y for y in (household.surveys if household else {}) if y < year]
    return household.surveys[max(earlier)].classification if household and earlier else None
