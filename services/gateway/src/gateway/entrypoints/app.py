"""The HTTP entry point of the gateway: `uvicorn --factory gateway.entrypoints.app:create_app`."""

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from backan_shared.auth import TokenVerifier
from backan_shared.service_app import Runtime, ServiceDefinition, create_service_app
from backan_shared.topics import TopicSpec
from gateway.adapters.service_client import ServiceClient
from gateway.entrypoints.campaign_routes import CAMPAIGN_ROUTES
from gateway.entrypoints.dti_routes import DTI_ROUTES
from gateway.entrypoints.forwarding import forwarding_router
from gateway.entrypoints.household_routes import HOUSEHOLD_ROUTES
from gateway.entrypoints.view_routes import view_router
from gateway.projections.feeds import feeds_of, subscriptions
from gateway.projections.schema import MIGRATIONS
from gateway.queries.views import ViewNotFoundError
from gateway.settings import Settings

DESCRIPTION = (
    "The one REST entry of backan-dx for other government systems: the DTI assessment, the smartphone "
    "campaign and the poor-household registry of Bắc Kạn province. Every request carries a bearer token; "
    "each route names the scope it needs (`x-required-scope`). Errors are `application/problem+json`."
)


def token_verifier(settings: Settings) -> TokenVerifier:
    public_key = settings.jwt_public_key_file.read_text() if settings.jwt_public_key_file else None
    return TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        public_key_pem=public_key,
        jwks_url=settings.jwks_url,
    )


def service_client(settings: Settings) -> ServiceClient:
    return ServiceClient(
        {
            "campaign-ledger": settings.campaign_ledger_url,
            "household-registry": settings.household_registry_url,
            "dti-scoring": settings.dti_scoring_url,
        },
        settings.internal_token,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()  # type: ignore[call-arg]

    @contextlib.asynccontextmanager
    async def resources(app: FastAPI, _: Runtime) -> AsyncIterator[None]:
        app.state.service_client = service_client(settings)
        try:
            yield
        finally:
            await app.state.service_client.close()

    feeds = feeds_of(settings)
    definition = ServiceDefinition(
        title="backan-dx gateway",
        description=DESCRIPTION,
        migrations=[MIGRATIONS],
        # The owners declare these topics too; declaring them here as well (it only creates missing ones) lets
        # the gateway start first without its consumers waiting on topics the broker will not auto-create.
        topics=[TopicSpec(feed.topic) for feed in feeds],
        routers=[view_router(settings), forwarding_router(CAMPAIGN_ROUTES + HOUSEHOLD_ROUTES + DTI_ROUTES)],
        subscriptions=lambda _: subscriptions(feeds),
        domain_errors={ViewNotFoundError: 404},
        resources=resources,
        idempotency=False,  # the services keep Idempotency-Key, per caller: the gateway scopes keys by subject
    )
    app = create_service_app(definition, settings)
    app.state.token_verifier = token_verifier(settings)
    return app
