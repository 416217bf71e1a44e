"""Settings of dti-scoring, read from the environment (see the README's configuration table)."""

from pydantic import Field

from backan_shared.contracts.dti import TOPIC
from backan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: str = "dti-scoring"
    dti_topic: str = Field(default=TOPIC, description="the Kafka topic of dti-scoring's integration events")
