"""Settings of campaign-ledger, read from the environment (see the README's configuration table)."""

from pydantic import Field

from backan_shared.contracts import campaign, household
from backan_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    """What campaign-ledger needs beyond the shared settings: the topics it publishes to and reads."""

    service_name: str = "campaign-ledger"
    campaign_topic: str = Field(
        default=campaign.TOPIC, description="the topic the campaign's integration events are published on"
    )
    household_topic: str = Field(
        default=household.TOPIC, description="the household registry's topic, read to learn which households exist"
    )
    household_consumer_group: str = Field(
        default="campaign-ledger.known-households",
        description="consumer group that records the households the registry publishes, per commune",
    )
