"""Memory: each bench service's resident set size after the run, its worker processes included."""

from __future__ import annotations

import psutil

from harness import processes
from harness.bench.system import BenchSystem

MEBIBYTE = 1024 * 1024


def resident_mb(process_name: str) -> float:
    """RSS of the process the harness started under `process_name`, and its children, in MiB."""
    pid = processes.running_pid(process_name)
    if pid is None:
        raise RuntimeError(f"{process_name} is not running: its memory cannot be read")
    root = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / MEBIBYTE


def services_resident_mb(system: BenchSystem) -> dict[str, float]:
    """RSS of every bench service, keyed `rss_mb_<package>` (campaign_ledger, household_registry, …)."""
    return {f"rss_mb_{s.package}": resident_mb(s.name) for s in system.services.values()}
