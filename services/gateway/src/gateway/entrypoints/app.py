"""The HTTP entry point of the gateway: `uvicorn --factory gateway.entrypoints.app:create_app`."""

from fastapi import FastAPI

from backan_shared.auth import TokenVerifier
from backan_shared.service_app import ServiceDefinition, create_service_app
from gateway.settings import Settings

DEFINITION = ServiceDefinition(
    title="backan-dx gateway",
    description="The one authenticated REST entry, with read models composed from every service's events.",
)


def token_verifier(settings: Settings) -> TokenVerifier:
    public_key = settings.jwt_public_key_file.read_text() if settings.jwt_public_key_file else None
    return TokenVerifier(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        public_key_pem=public_key,
        jwks_url=settings.jwks_url,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()  # type: ignore[call-arg]
    app = create_service_app(DEFINITION, settings)
    app.state.token_verifier = token_verifier(settings)
    return app
