"""Settings of dti-scoring, read from the environment (see the README's configuration table)."""

from pydantic import Field

from backan_shared.contracts import campaign, household
from backan_shared.contracts.dti import TOPIC
from backan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """What dti-scoring needs beyond the shared settings: its topic, and the topics and groups that feed it."""

    service_name: str = "dti-scoring"
    dti_topic: str = Field(default=TOPIC, description="the Kafka topic of dti-scoring's integration events")
    household_topic: str = Field(
        default=household.TOPIC, description="the household registry's topic, read to count each commune's households"
    )
    campaign_topic: str = Field(
        default=campaign.TOPIC, description="the smartphone campaign's topic, read to count households given a phone"
    )
    # Each consumer group has a name of its own: the harness hands every service the same environment, and two
    # services in one group would split a topic's partitions between them.
    household_feed_group: str = Field(
        default="dti-scoring.household-feed", description="consumer group that counts the registry's households"
    )
    campaign_feed_group: str = Field(
        default="dti-scoring.campaign-feed", description="consumer group that counts the campaign's deliveries"
    )
    assessment_feed_group: str = Field(
        default="dti-scoring.assessment-feed",
        description="consumer group that feeds the counts to assessments as they are opened or reopened",
    )
