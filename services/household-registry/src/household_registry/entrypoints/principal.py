"""Who is calling, as the gateway tells the service: it verified the client's token and forwards the
subject and scopes in `X-Principal-Subject` and `X-Principal-Scopes` (space separated). The service trusts
these headers only because every route also requires the gateway's internal credential."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header

from backan_shared.auth import ForbiddenProblem

PERSONAL_DATA_SCOPE = "household:pii"
AUDIT_SCOPE = "household:audit"


@dataclass(frozen=True)
class Caller:
    """The client on whose behalf the gateway calls."""

    subject: str | None
    scopes: frozenset[str]

    @property
    def may_read_personal_data(self) -> bool:
        return PERSONAL_DATA_SCOPE in self.scopes

    def personal_data_actor(self) -> str:
        """The subject to audit a personal data access under; refused without the scope or a subject."""
        if not self.may_read_personal_data:
            raise ForbiddenProblem(f"this request needs the '{PERSONAL_DATA_SCOPE}' scope")
        if not self.subject:
            raise ForbiddenProblem("a personal data access must name its caller (X-Principal-Subject) for the audit")
        return self.subject

    def require_auditor(self) -> None:
        """Refuse a caller without the scope to read the personal data audit trail."""
        if AUDIT_SCOPE not in self.scopes:
            raise ForbiddenProblem(f"this request needs the '{AUDIT_SCOPE}' scope")


async def caller(
    x_principal_subject: Annotated[str | None, Header()] = None,
    x_principal_scopes: Annotated[str | None, Header()] = None,
) -> Caller:
    """The caller the gateway forwarded; no headers means no scopes."""
    return Caller(x_principal_subject, frozenset((x_principal_scopes or "").split()))


CallerDep = Annotated[Caller, Depends(caller)]
