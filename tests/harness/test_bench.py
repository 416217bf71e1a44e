"""`./dx bench` at a tiny scale, on the real PostgreSQL and Kafka: every measurement runs and reports, and the
bench's own services, databases and topics are gone afterwards. No timing thresholds: how fast is the
benchmark's answer to give, not a test's."""

import asyncio
import json
from pathlib import Path

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from harness.bench.run import Scale, run_benchmarks
from harness.kafka import KafkaCluster
from harness.paths import PIDS
from harness.postgres import PostgresServer

pytestmark = pytest.mark.infra

TINY = Scale(
    "tiny",
    append_seconds=0.5,
    command_seconds=1,
    propagation_seconds=1,
    households=80,
    import_bound_seconds=20,
    propagation_rate=20,
    settle_seconds=5,
    import_rows=200,
)
# fmt: off
METRICS = (
    "append_eps", "raw_append_eps", "peer_append_eps", "append_vs_raw", "append_vs_peer",
    "command_rps", "command_p50_ms", "command_p99_ms",
    "gateway_command_rps", "gateway_command_p50_ms", "gateway_command_p99_ms", "gateway_vs_direct",
    "propagation_p50_ms", "propagation_p99_ms", "rebuild_eps", "replay_eps", "raw_consume_eps", "replay_vs_raw",
    "rss_mb_campaign_ledger", "rss_mb_household_registry", "rss_mb_dti_scoring", "rss_mb_gateway",
)
# fmt: on


async def leftovers(admin_url: str, bootstrap: str, run_id: str) -> list[str]:
    conn = await asyncpg.connect(admin_url)
    try:
        rows = await conn.fetch("SELECT datname FROM pg_database WHERE datname LIKE $1", f"bench_%_{run_id}")
    finally:
        await conn.close()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        topics = [topic for topic in await admin.list_topics() if topic.startswith(f"bench-{run_id}.")]
    finally:
        await admin.close()
    return [row["datname"] for row in rows] + topics


def test_a_tiny_bench_reports_every_metric_and_leaves_nothing_behind(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path: Path
) -> None:
    output = tmp_path / "latest.json"
    run_benchmarks(PostgresServer(postgres_admin_url, False), KafkaCluster(kafka_bootstrap, False), TINY, output=output)

    document = json.loads(output.read_text())
    metrics = document["metrics"]
    assert {name: metrics[name]["value"] > 0 for name in METRICS} == dict.fromkeys(METRICS, True)
    assert metrics.get("bulk_import_s", {}).get("value", 0) > 0 or document["not_measured"]["bulk_import_s"]
    assert document["run"]["mode"] == "tiny"

    run_id = document["run"]["run_id"]
    assert asyncio.run(leftovers(postgres_admin_url, kafka_bootstrap, run_id)) == []
    assert list(PIDS.glob(f"bench-{run_id}-*.pid")) == []
