"""Indicators the system answers itself (chỉ số tự động cập nhật), from what it counts per commune.

dti-scoring reads the household registry's and the smartphone campaign's events and keeps, per commune, how
many households are registered, how many of them received a campaign phone and how many have digitised
records. Two indicators are shares of those counts; the system submits them, with their provenance, for a
reviewer to approve like any other value. Which share to submit, and when, is decided here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from dti_scoring.domain.indicator_codes import DIGITISED_HOUSEHOLD_RECORDS_SHARE, SMARTPHONE_HOUSEHOLD_SHARE

SHARE_QUANTUM = Decimal("0.0001")
"""Shares are kept to four decimals (0.01 %), the precision ratios have on the DTI topic."""


@dataclass(frozen=True)
class CommuneCounts:
    """What the registry's and the campaign's events say about one commune's households."""

    commune_code: str
    households: int
    smartphone_households: int
    digitised_households: int


@dataclass(frozen=True)
class FedValue:
    """A value the system submits for an indicator, and where it came from."""

    indicator_code: str
    value: Decimal
    provenance: str


@dataclass(frozen=True)
class CountsChange:
    """A commune's counts before and after an event (`before` is None for a commune seen for the first time)."""

    before: CommuneCounts | None
    after: CommuneCounts

    def changed_values(self) -> list[FedValue]:
        """The values whose share the event changed: only a changed share is submitted again."""
        earlier = {fed.indicator_code: fed.value for fed in fed_values(self.before)} if self.before else {}
        return [fed for fed in fed_values(self.after) if earlier.get(fed.indicator_code) != fed.value]


def household_share(part: int, households: int) -> Decimal | None:
    """`part` ÷ `households` to four decimals; None when the commune has no registered household yet."""
    if households <= 0:
        return None
    return (Decimal(part) / Decimal(households)).quantize(SHARE_QUANTUM, rounding=ROUND_HALF_EVEN)


def smartphone_share(counts: CommuneCounts) -> FedValue | None:
    """DS.01: registered households given a phone by the campaign ÷ registered households."""
    share = household_share(counts.smartphone_households, counts.households)
    if share is None:
        return None
    provenance = (
        f"campaign-ledger deliveries: {counts.smartphone_households} of {counts.households} households "
        f"registered in commune {counts.commune_code} (household-registry) received a phone; "
        "reversed deliveries do not count"
    )
    return FedValue(SMARTPHONE_HOUSEHOLD_SHARE, share, provenance)


def digitised_records_share(counts: CommuneCounts) -> FedValue | None:
    """DG.04: registered households whose records the registry digitised ÷ registered households."""
    share = household_share(counts.digitised_households, counts.households)
    if share is None:
        return None
    provenance = (
        f"household-registry records: {counts.digitised_households} of {counts.households} households "
        f"registered in commune {counts.commune_code} have digitised records"
    )
    return FedValue(DIGITISED_HOUSEHOLD_RECORDS_SHARE, share, provenance)


def fed_values(counts: CommuneCounts) -> list[FedValue]:
    """Every value the counts answer (none for a commune without registered households)."""
    values = (smartphone_share(counts), digitised_records_share(counts))
    return [value for value in values if value is not None]
