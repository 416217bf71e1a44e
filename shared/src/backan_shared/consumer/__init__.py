"""The consumer runner: applies a topic's events to PostgreSQL exactly once, on top of at-least-once Kafka.

A subscription's handler takes a batch of events, in the runner's transaction, with their processed-event
records (`processed_events`); the offsets are committed only after that transaction (`runner`). The records a
poll brings of one partition are one batch (under load a poll brings many, and a commit and a round trip each
were most of a consumer's cost); if it fails, each record is applied alone, a batch of one through the same
path (`applying`), and one that keeps failing `max_attempts` times goes to `<topic>.dlq` (`dead_letters`). A
failure the event is not at fault for costs it no attempt (`failures`). Each batch is applied in a
`process <topic>` span (`tracing`).
"""

from backan_shared.consumer.runner import ConsumerRunner
from backan_shared.consumer.subscription import Handler, Subscription

__all__ = ["ConsumerRunner", "Handler", "Subscription"]
