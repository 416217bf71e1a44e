"""`./dx up`, `status` and `down` on a fresh run folder and free ports, beside the suite's own infrastructure."""

import asyncio
import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from harness.kafka_topics import topic_names

pytestmark = pytest.mark.infra

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _free_ports() -> dict[str, str]:
    """Ports nobody listens on now, for the system this module starts (Kafka's controller takes the next one)."""
    while True:
        kafka = _free_port()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", kafka + 1)) != 0:
                break
    names = ["DX_POSTGRES_PORT", "GATEWAY_PORT", "CAMPAIGN_LEDGER_PORT", "HOUSEHOLD_REGISTRY_PORT", "DTI_SCORING_PORT"]
    return {"DX_KAFKA_PORT": str(kafka), **{name: str(_free_port()) for name in names}}


PORTS = _free_ports()
GATEWAY = f"http://127.0.0.1:{PORTS['GATEWAY_PORT']}"
KAFKA = f"127.0.0.1:{PORTS['DX_KAFKA_PORT']}"
PARTS = ["postgres", "kafka", "campaign-ledger", "household-registry", "dti-scoring", "gateway"]


def dx(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["./dx", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def status_table(env: dict[str, str]) -> dict[str, tuple[str, str]]:
    lines = dx("status", env=env).stdout.splitlines()
    return {name: (address, state) for name, address, state in (line.split() for line in lines)}


def read_overview(env: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    token = dx("token", "--scope", "read", env=env).stdout.strip()
    answer = httpx.get(f"{GATEWAY}/v1/overview", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    overview: dict[str, Any] = answer.json()
    return overview


def test_up_starts_every_part_healthy_status_says_so_and_down_leaves_no_process(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS")}
    env.update(PORTS, DX_RUN_DIR=str(tmp_path / "run"))
    try:
        up = dx("up", env=env)
        assert up.returncode == 0, up.stderr
        assert GATEWAY in up.stdout

        table = status_table(env)
        assert table["gateway"] == (GATEWAY, "healthy")
        assert table["kafka"] == (KAFKA, "running")
        assert all(table[part][1] in ("healthy", "running") for part in PARTS)
        pids = {p.stem: int(p.read_text()) for p in (tmp_path / "run" / "pids").glob("*.pid")}
        assert set(pids) >= {"kafka", "campaign-ledger", "household-registry", "dti-scoring", "gateway"}

        declared = asyncio.run(topic_names(KAFKA))
        assert {"campaign.events.v1", "household.events.v1", "dti.events.v1"} <= declared
        assert "campaign.events.v1.dlq" in declared

        overview = read_overview(env, tmp_path)
        assert overview["campaign"]["pledged_vnd"] == 750_000_000
        assert overview["campaign"]["phones_allocated"] == 400
        assert overview["campaign"]["phones_delivered"] > 0
        assert len(overview["dti"]["ranking"]) == 8
        assert len({entry["score"] for entry in overview["dti"]["ranking"]}) > 1, "pilot scores should differ"
        assert 20 < overview["poverty"]["province"]["poverty_rate"] < 30

        again = dx("up", env=env)
        assert again.returncode == 0, again.stderr
        assert {p.stem: int(p.read_text()) for p in (tmp_path / "run" / "pids").glob("*.pid")} == pids
        assert read_overview(env, tmp_path)["campaign"] == overview["campaign"], "a second up loaded the demo twice"
    finally:
        down = dx("down", env=env)
    assert down.returncode == 0, down.stderr
    assert all(state == "stopped" for _, state in status_table(env).values())
    alive = [pid for pid in pids.values() if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    assert not alive, f"processes left behind: {alive}"
    postmaster = tmp_path / "run" / "postgres" / "data" / "postmaster.pid"
    assert not postmaster.exists()


def test_up_on_a_system_with_the_users_own_data_skips_what_clashes_says_so_and_runs_twice(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS")}
    env.update(PORTS, DX_RUN_DIR=str(tmp_path / "run"))
    try:
        assert dx("up", "--no-demo", env=env).returncode == 0
        token = dx("token", "--scope", "dti:submit", env=env).stdout.strip()
        own = httpx.post(
            f"{GATEWAY}/v1/dti/assessments",
            json={"unit_code": "02071", "level": "commune", "year": 2023},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert own.status_code == 201, own.text

        up = dx("up", env=env)
        assert up.returncode == 0, up.stderr
        assert "skipped the demo's DTI assessment of Xã Nghĩa Tá for 2023" in up.stderr
        overview = read_overview(env, tmp_path)
        assert "02071" not in {entry["unit_code"] for entry in overview["dti"]["ranking"]}
        assert len(overview["dti"]["ranking"]) == 7
        assert overview["campaign"]["phones_allocated"] == 400

        again = dx("up", env=env)
        assert again.returncode == 0, again.stderr
        assert read_overview(env, tmp_path)["campaign"] == overview["campaign"]
    finally:
        assert dx("down", env=env).returncode == 0
