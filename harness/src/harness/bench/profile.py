"""Profiling the command path (`./dx bench --profile`): where a service spends its CPU, and where it waits.

py-spy (when it is on PATH) samples the running service from outside, with no code change or restart, and
writes a speedscope file (bench/results/profile-<service>.json, to open at speedscope.app); the bench sums the
samples by the library on top of the stack and by our own functions anywhere in it. Idle time is left out by
py-spy, so a service that is slow but rarely on the CPU is waiting: on PostgreSQL, which the bench samples
too (pg_stat_activity of the service's database: which statement waits for what).
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import signal
import subprocess
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from harness import processes
from harness.bench.results import RESULTS
from harness.progress import say

SAMPLES_PER_SECOND = 200
WAIT_SAMPLES_PER_SECOND = 20
TOP = 8
OUR_PACKAGES = ("backan_shared", "campaign_ledger", "household_registry", "dti_scoring", "gateway")
_LIBRARIES = (re.compile(r"site-packages/(\w+)"), re.compile(r"/src/(\w+)/"), re.compile(r"/lib/python3\.\d+/(\w+)"))


@dataclass
class Profile:
    """One service's samples over one phase: CPU (py-spy) and database waits (pg_stat_activity)."""

    service: str
    phase: str
    seconds: float = 0.0
    waits: Counter[str] = field(default_factory=Counter)

    @property
    def path(self) -> Path:
        return RESULTS.parent / f"profile-{self.service}-{self.phase}.json"


def available() -> bool:
    return shutil.which("py-spy") is not None


@asynccontextmanager
async def profiled(
    process_name: str, admin_url: str, database: str, service: str, phase: str
) -> AsyncIterator[Profile]:
    """Sample the process's CPU and its database's waits while the block (the bench's `phase`) runs."""
    found = Profile(service, phase)
    recorder = _start_py_spy(process_name, found.path)
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_waits(admin_url, database, found.waits, stop))
    started = time.monotonic()
    try:
        yield found
    finally:
        found.seconds = time.monotonic() - started
        stop.set()
        await sampler
        recorder.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
        await asyncio.to_thread(recorder.wait, 60)


def _start_py_spy(process_name: str, output: Path) -> subprocess.Popen[bytes]:
    pid = processes.running_pid(process_name)
    spy = shutil.which("py-spy")
    if pid is None or spy is None:
        raise RuntimeError(f"cannot profile {process_name}: not running, or py-spy is not on PATH")
    command = [spy, "record", "--pid", str(pid), "--rate", str(SAMPLES_PER_SECOND), "--nonblocking"]
    return subprocess.Popen([*command, "--format", "speedscope", "--output", str(output)], stdout=subprocess.DEVNULL)


async def _sample_waits(admin_url: str, database: str, waits: Counter[str], stop: asyncio.Event) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        while not stop.is_set():
            rows = await conn.fetch(
                """SELECT state, wait_event_type, wait_event, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS q
                   FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'""",
                database,
            )
            waits.update(_wait_label(row) for row in rows if row["state"] != "idle")
            await asyncio.sleep(1 / WAIT_SAMPLES_PER_SECOND)
    finally:
        await conn.close()


def _wait_label(row: asyncpg.Record) -> str:
    if row["state"] == "idle in transaction":
        return "idle in transaction (the service works between two statements)"
    if row["wait_event_type"] in (None, "Client"):
        return f"running: {row['q']}"
    return f"waiting for {row['wait_event_type']}:{row['wait_event']}: {row['q']}"


def library(file: str) -> str:
    """The package a source file belongs to (site-packages, our src folders) or the stdlib module."""
    for pattern in _LIBRARIES:
        found = pattern.search(file)
        if found:
            return found.group(1)
    return file


def _samples(document: dict[str, Any]) -> Iterator[tuple[list[dict[str, Any]], float]]:
    frames = document["shared"]["frames"]
    for profile in document["profiles"]:
        for stack, weight in zip(profile["samples"], profile["weights"], strict=True):
            if stack:  # from the root to the leaf: the leaf is where the time is spent
                yield [frames[index] for index in stack], weight


def _name(frame: dict[str, Any]) -> str:
    return f"{frame['name']} ({Path(str(frame.get('file', ''))).name}:{frame.get('line', '?')})"


def cpu_shares(path: Path) -> tuple[float, list[tuple[str, float]], list[tuple[str, float]]]:
    """(busy seconds, libraries by share of the leaf samples, our functions by share of the stacks they are in)."""
    by_library: defaultdict[str, float] = defaultdict(float)
    ours: defaultdict[str, float] = defaultdict(float)
    for stack, weight in _samples(json.loads(path.read_text())):
        by_library[library(str(stack[-1].get("file", "")))] += weight
        for name in {_name(f) for f in stack if library(str(f.get("file", ""))) in OUR_PACKAGES}:
            ours[name] += weight
    busy = sum(by_library.values())
    return busy, _largest(by_library, busy), _largest(ours, busy)


def _largest(weights: dict[str, float], total: float) -> list[tuple[str, float]]:
    ranked = sorted(weights.items(), key=lambda item: -item[1])[:TOP]
    return [(name, 100 * weight / (total or 1.0)) for name, weight in ranked]


def report(found: Profile) -> None:
    """Print where one profiled service spent its CPU time and what its database connections waited for."""
    busy, libraries, ours = cpu_shares(found.path)
    where = f"{found.service} during {found.phase}"
    say(f"profile of {where}: on the CPU {busy:.1f}s of {found.seconds:.1f}s ({found.path.name})")
    print("  CPU by library: " + ", ".join(f"{name} {share:.0f}%" for name, share in libraries))
    print("  CPU by our function (inclusive):")
    for name, share in ours:
        print(f"    {share:5.1f}%  {name}")
    total = sum(found.waits.values()) or 1
    print("  its database connections, sampled (share of busy connection samples):")
    for label, count in found.waits.most_common(TOP):
        print(f"    {100 * count / total:5.1f}%  {label}")
