"""Latency samples and what the bench reports of them: throughput and nearest-rank percentiles."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Latencies:
    """How long each successful request took (seconds), what went wrong with the others, over how long."""

    seconds: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        """Successful requests per second of the whole run."""
        return len(self.seconds) / self.elapsed if self.elapsed else 0.0

    def percentile_ms(self, q: float) -> float:
        """The nearest-rank q-th percentile in milliseconds (no interpolation: a real, observed latency)."""
        return percentile(self.seconds, q) * 1000

    def failure_note(self) -> str:
        """'' when everything succeeded, else which failures and how many."""
        return ", ".join(f"{count}× {why}" for why, count in self.failures.most_common())


def percentile(samples: list[float], q: float) -> float:
    """The nearest-rank q-th percentile (0 < q ≤ 100) of the samples; 0.0 of none."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]
