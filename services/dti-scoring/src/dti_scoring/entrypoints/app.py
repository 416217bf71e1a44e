"""The HTTP entry point of dti-scoring: `uvicorn --factory dti_scoring.entrypoints.app:create_app`."""

from fastapi import FastAPI

from backan_shared.service_app import ServiceDefinition, create_service_app
from backan_shared.topics import TopicSpec
from dti_scoring.adapters.read_models import MIGRATIONS
from dti_scoring.domain.errors import (
    InvalidInputError,
    SelfReviewError,
    StateConflictError,
    UnknownAssessmentError,
    UnknownFrameworkError,
    UnknownSubmissionError,
)
from dti_scoring.entrypoints.indicator_feeds import indicator_feeds
from dti_scoring.entrypoints.routes import dti_router
from dti_scoring.settings import Settings

# The most specific class a raised error inherits from decides its status.
DOMAIN_ERRORS: dict[type[Exception], int] = {
    InvalidInputError: 422,
    StateConflictError: 409,
    UnknownAssessmentError: 404,
    UnknownFrameworkError: 404,
    # a submission named in the path is a resource that is not there
    UnknownSubmissionError: 404,
    # four eyes: the caller is known and the request well formed, but this caller may not do it
    SelfReviewError: 403,
}


def definition(settings: Settings) -> ServiceDefinition:
    """dti-scoring as the shared composition root needs it: read models, topic, routes, the consumers that feed
    indicators, error statuses."""
    return ServiceDefinition(
        title="dti-scoring",
        description="Digital Transformation Index: criterion submissions, review, scoring and rankings.",
        migrations=[MIGRATIONS],
        topics=[TopicSpec(settings.dti_topic)],
        routers=[dti_router(settings)],
        subscriptions=indicator_feeds,
        domain_errors=DOMAIN_ERRORS,
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app, built from `settings` (from the environment if none are given); nothing connects until started."""
    settings = settings or Settings()  # type: ignore[call-arg]
    return create_service_app(definition(settings), settings)
