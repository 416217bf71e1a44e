"""Support for the tests, in one place: waiting for what happens asynchronously (`eventually`), putting records
on a topic and reading them back (`producing`, `read_topic`, `consumed_to_end`), and a database of a test's own
(`temporary_database`).

The root `conftest.py` offers each as a fixture to every test in the repository. This lives in the harness, not
in `backan_shared`, because it asks Kafka through `harness.kafka_topics` and the services' images ship the
shared library but never the harness; nothing here imports pytest (a failed wait is an `AssertionError`).
"""

from harness.testing.databases import temporary_database
from harness.testing.polling import EVENTUALLY_SECONDS, eventually
from harness.testing.records import Produce, consumed_to_end, producing, read_topic

__all__ = [
    "EVENTUALLY_SECONDS",
    "Produce",
    "consumed_to_end",
    "eventually",
    "producing",
    "read_topic",
    "temporary_database",
]
