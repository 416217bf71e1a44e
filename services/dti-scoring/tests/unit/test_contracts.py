"""The DTI contracts dti-scoring publishes: integration event payloads and REST bodies, with valid examples."""

import json

import pytest
from pydantic import BaseModel

from backan_shared.api import dti as api
from backan_shared.api import dti_frameworks
from backan_shared.contracts import INTEGRATION_EVENTS
from backan_shared.contracts import dti as contracts

REST_MODELS = [
    model
    for module in (api, dti_frameworks)
    for model in vars(module).values()
    if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == module.__name__
]
PAYLOADS = [model for model in INTEGRATION_EVENTS.types().values() if model.__module__ == contracts.__name__]


def test_the_dti_event_types_are_registered_with_versioned_names() -> None:
    registered = {name for name, model in INTEGRATION_EVENTS.types().items() if model in PAYLOADS}
    assert registered == {
        "vn.backan.dti.assessment-opened.v1",
        "vn.backan.dti.submission-recorded.v1",
        "vn.backan.dti.submission-reviewed.v1",
        "vn.backan.dti.assessment-finalised.v1",
        "vn.backan.dti.assessment-reopened.v1",
    }


@pytest.mark.parametrize("model", REST_MODELS + PAYLOADS, ids=lambda model: model.__name__)
def test_every_example_is_valid_against_its_own_model(model: type[BaseModel]) -> None:
    for example in model.model_json_schema().get("examples", []):
        model.model_validate_json(json.dumps(example))


def test_the_request_and_payload_models_a_partner_sees_have_examples() -> None:
    with_examples = {m.__name__ for m in REST_MODELS + PAYLOADS if m.model_json_schema().get("examples")}
    assert {"AssessmentCreate", "SubmissionCreate", "ReviewCreate", "ReopenCreate", "AssessmentPublic"} <= with_examples
    assert {payload.__name__ for payload in PAYLOADS} <= with_examples


@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda model: model.__name__)
def test_payloads_carry_no_free_text_or_personal_fields(payload: type[BaseModel]) -> None:
    fields = set(payload.model_json_schema(mode="serialization")["properties"])
    assert not fields & {"reason", "evidence", "evidence_url", "name", "full_name", "national_id", "phone"}


def test_points_are_json_numbers_in_the_published_schema() -> None:
    schema = contracts.DtiAssessmentFinalised.model_json_schema(mode="serialization")
    assert schema["properties"]["score"]["type"] == "number"
