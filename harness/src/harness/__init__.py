"""The ./dx harness: real PostgreSQL, real Kafka and the four services on one machine."""
