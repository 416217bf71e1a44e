"""How the harness shows long work: one line per step, with elapsed time, and a wait that says what it waits for."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


@contextmanager
def step(message: str) -> Iterator[None]:
    """Print a step as it starts and again with its duration when it ends."""
    started = time.monotonic()
    print(f"... {message}", file=sys.stderr, flush=True)
    try:
        yield
    except BaseException:
        print(f"FAIL {message} ({time.monotonic() - started:.1f}s)", file=sys.stderr, flush=True)
        raise
    print(f" ok  {message} ({time.monotonic() - started:.1f}s)", file=sys.stderr, flush=True)


class WaitTimeout(RuntimeError):
    """Something the harness waited for did not become true in time."""


def wait_until(what: str, check: Callable[[], bool], *, timeout: float, interval: float = 0.25) -> None:
    """Poll `check` until it holds, printing a dot every few seconds so a slow start is visibly alive."""
    deadline = time.monotonic() + timeout
    last_dot = time.monotonic()
    while not check():
        now = time.monotonic()
        if now > deadline:
            raise WaitTimeout(f"{what}: not ready after {timeout:.0f}s")
        if now - last_dot > 3:
            print(f"    still waiting for {what}…", file=sys.stderr, flush=True)
            last_dot = now
        time.sleep(interval)
