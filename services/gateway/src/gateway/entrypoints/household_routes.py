"""The household and reference-data routes of the contract (DESIGN.md §6), owned by household-registry.

Personal and sensitive fields of a household (the head; ethnicity, income, deprivations) come back only to a
caller whose token has `household:pii`: the registry decides from the scopes the gateway forwards, and audits
every such read; `household:audit` lists that audit trail.
"""

from datetime import datetime
from typing import Literal

from backan_shared.api import household_imports as imports
from backan_shared.api import households as api
from backan_shared.api import personal_data_audit as audit
from backan_shared.api import poverty as poverty_api
from gateway.entrypoints.forwarding import Forwarded

OWNER = "household-registry"
TAGS = ("households",)
REFERENCE = ("reference data",)
AUDIT = ("personal data audit",)
AUDIT_QUERY = {"since": datetime, "until": datetime, "limit": int, "after": int}

HOUSEHOLD_ROUTES = (
    Forwarded(
        "POST",
        "/v1/households",
        OWNER,
        "household:write",
        "Register a household in a commune",
        body=api.HouseholdCreate,
        answer=api.HouseholdCreated,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "POST",
        "/v1/households/{household_id}/surveys",
        OWNER,
        "household:write",
        "Record a year's survey; answers the classification",
        body=api.SurveyCreate,
        answer=api.SurveyClassified,
        status_code=201,
        tags=TAGS,
    ),
    Forwarded(
        "GET",
        "/v1/households/{household_id}",
        OWNER,
        "read",
        "A household's classification history and information access (sensitive fields with household:pii)",
        answer=api.HouseholdPublic,
        tags=TAGS,
        description=api.HOUSEHOLD_READ,
    ),
    Forwarded(
        "GET",
        "/v1/households/{household_id}/personal-data-audit",
        OWNER,
        "household:audit",
        "Who read or erased which personal field of one household, and when",
        answer=audit.PersonalDataAuditPage,
        query=AUDIT_QUERY,
        tags=AUDIT,
        description=audit.AUDIT_READ,
    ),
    Forwarded(
        "GET",
        "/v1/personal-data-audit",
        OWNER,
        "household:audit",
        "The personal data audit trail, filtered by household, actor and time",
        answer=audit.PersonalDataAuditPage,
        query={"household_id": str, "actor": str, **AUDIT_QUERY},
        tags=AUDIT,
        description=audit.AUDIT_READ,
    ),
    Forwarded(
        "DELETE",
        "/v1/households/{household_id}/personal-data",
        OWNER,
        "household:pii",
        "Erase the head's personal data for good",
        answer=api.PersonalDataErasedPublic,
        query={"reason": str},
        tags=TAGS,
        example={"household_id": "0b7f5c1e-8d1a-4c55-9a53-3f0d7c2e9a10", "personal_data_erased": True},
    ),
    Forwarded(
        "POST",
        "/v1/households/imports",
        OWNER,
        "household:write",
        "Import an annual review file of surveys (CSV or JSON lines), processed in the background",
        answer=imports.ReviewImportAccepted,
        status_code=202,
        tags=TAGS,
        raw_body_types=("text/csv", "application/x-ndjson"),
    ),
    Forwarded(
        "GET",
        "/v1/households/imports/{import_id}",
        OWNER,
        "read",
        "An import's progress, with each failed row and why",
        answer=imports.ReviewImportPublic,
        tags=TAGS,
    ),
    Forwarded(
        "GET",
        "/v1/poverty/standard",
        OWNER,
        "read",
        "The multidimensional poverty standard in force",
        answer=poverty_api.PovertyStandardPublic,
        query={"year": int},
        tags=REFERENCE,
    ),
    Forwarded(
        "GET",
        "/v1/units",
        OWNER,
        "read",
        "Administrative units with official codes (pilots marked)",
        answer=list[poverty_api.UnitPublic],
        query={"level": Literal["province", "district", "commune"], "parent": str},
        tags=REFERENCE,
    ),
)
