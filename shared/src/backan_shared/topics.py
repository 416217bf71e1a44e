"""Kafka topics: declared by the service that owns them at startup, never created implicitly."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from backan_shared.kafka_clients import KafkaCluster, client_options


@dataclass(frozen=True)
class TopicSpec:
    """A topic and its settings; integration topics keep every event forever (the gateway replays them)."""

    name: str
    partitions: int = 3
    replication_factor: int = 1
    config: dict[str, str] = field(default_factory=lambda: {"retention.ms": "-1"})

    @property
    def dead_letters(self) -> TopicSpec:
        return TopicSpec(f"{self.name}.dlq", self.partitions, self.replication_factor, dict(self.config))


async def declare_topics(cluster: KafkaCluster, topics: list[TopicSpec]) -> None:
    """Create the topics that do not exist yet; existing ones are left as they are."""
    admin = AIOKafkaAdminClient(**client_options(cluster))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in topics if t.name not in existing]
        if not missing:
            return
        with contextlib.suppress(TopicAlreadyExistsError):  # another replica declared it first
            await admin.create_topics(
                [NewTopic(t.name, t.partitions, t.replication_factor, topic_configs=t.config) for t in missing]
            )
    finally:
        await admin.close()
