"""Donors (nhà hảo tâm) and how the public sees them.

A donor's name is personal data. A donor who gives anonymously is recorded with their name for the
campaign office, but every public figure and journal line shows them only as an anonymous donor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from campaign_ledger.domain.errors import InvalidDonorError

ANONYMOUS_DONOR = "Anonymous donor"
ANONYMOUS_DONOR_VI = "Nhà hảo tâm ẩn danh"


class DonorKind(StrEnum):
    """Who gives: an enterprise (doanh nghiệp), an organisation (tổ chức) or an individual (cá nhân)."""

    ENTERPRISE = "enterprise"
    ORGANISATION = "organisation"
    INDIVIDUAL = "individual"


@dataclass(frozen=True)
class PublicDonor:
    """A donor as the public statement and journal show them: the name, or the anonymous label.

    `kind` is None only for money or phones that arrived with no pledge and no donor named.
    """

    name: str
    name_vi: str
    kind: DonorKind | None
    anonymous: bool


UNKNOWN_DONOR = PublicDonor(ANONYMOUS_DONOR, ANONYMOUS_DONOR_VI, None, anonymous=True)


@dataclass(frozen=True)
class Donor:
    """A donor as the campaign office records them."""

    name: str
    kind: DonorKind
    anonymous: bool = False

    def check_valid(self) -> None:
        """Refuse a donor of unknown kind, or a named donor whose name is blank."""
        if not isinstance(self.kind, DonorKind):
            raise InvalidDonorError(f"a donor's kind is enterprise, organisation or individual, not {self.kind!r}")
        # An anonymous donor may not give a name at all (cash into the collection box, a transfer with no memo).
        if not self.anonymous and not self.name.strip():
            raise InvalidDonorError("a donor who is not anonymous needs a name")

    def public(self) -> PublicDonor:
        """How the public sees this donor: never the name of one who asked for anonymity."""
        if self.anonymous:
            return PublicDonor(ANONYMOUS_DONOR, ANONYMOUS_DONOR_VI, self.kind, anonymous=True)
        return PublicDonor(self.name.strip(), self.name.strip(), self.kind, anonymous=False)
