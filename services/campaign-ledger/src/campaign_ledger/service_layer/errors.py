"""Errors the service layer adds to the domain's: about finding a campaign, not about what it decides."""

from __future__ import annotations

from campaign_ledger.domain.errors import CampaignLedgerError, StateConflictError


class CampaignNotFoundError(CampaignLedgerError):
    """No campaign with this id was ever opened here (HTTP 404)."""

    def __init__(self, campaign_id: str):
        super().__init__(f"there is no campaign {campaign_id}")
        self.campaign_id = campaign_id


class CampaignAlreadyOpenedError(StateConflictError):
    """A campaign with this id was opened already: an opening is never repeated on top of it."""
