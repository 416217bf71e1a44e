"""Background processes the harness owns: started detached, remembered by pid file, stopped as a group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import psutil

from harness.paths import LOGS, PIDS


def pid_file(name: str) -> Path:
    return PIDS / f"{name}.pid"


def running_pid(name: str) -> int | None:
    """The pid of a process the harness started under `name`, if it is still alive."""
    path = pid_file(name)
    if not path.exists():
        return None
    try:
        pid = int(path.read_text().strip())
    except ValueError:
        return None
    if psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
        return pid
    path.unlink(missing_ok=True)
    return None


def start(name: str, argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None) -> int:
    """Start `argv` in its own session, logging to .run/logs/NAME.log, and record its pid."""
    log = (LOGS / f"{name}.log").open("ab")
    proc = subprocess.Popen(
        list(argv),
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=dict(env) if env is not None else None,
        cwd=cwd,
        start_new_session=True,
    )
    pid_file(name).write_text(str(proc.pid))
    return proc.pid


def stop(name: str, *, timeout: float = 20.0) -> bool:
    """Stop the process group started under `name`: SIGTERM, then SIGKILL if it lingers."""
    pid = running_pid(name)
    if pid is None:
        return False
    group = [pid] + [child.pid for child in _children(pid)]
    _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(p) for p in group):
        time.sleep(0.1)
    if any(_alive(p) for p in group):
        _signal_group(pid, signal.SIGKILL)
        for p in group:
            _kill(p)
    pid_file(name).unlink(missing_ok=True)
    return True


def _children(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)
