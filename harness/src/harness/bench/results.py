"""Benchmark results: one table for people, one JSON file for machines (bench/results/latest.json)."""

from __future__ import annotations

import json
import platform
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from harness.paths import ROOT

RESULTS = ROOT / "bench" / "results" / "latest.json"


@dataclass
class Results:
    metrics: dict[str, dict[str, float | str]] = field(default_factory=dict)
    not_measured: dict[str, str] = field(default_factory=dict)

    def record(self, name: str, value: float, unit: str) -> None:
        self.metrics[name] = {"value": round(value, 3), "unit": unit}

    def ratio(self, name: str, numerator: str, denominator: str) -> None:
        bottom = float(self.metrics[denominator]["value"])
        self.record(name, float(self.metrics[numerator]["value"]) / bottom if bottom else 0.0, "ratio")

    def skip(self, name: str, why: str) -> None:
        """A metric this run could not measure, and why (kept in the JSON, never a made-up value)."""
        self.not_measured[name] = why

    def table(self) -> str:
        rows = [f"{'metric':<28} {'value':>14}  unit", "-" * 52]
        rows += [f"{name:<28} {m['value']:>14}  {m['unit']}" for name, m in self.metrics.items()]
        rows += [f"{name:<28} {'—':>14}  not measured: {why}" for name, why in self.not_measured.items()]
        return "\n".join(rows)

    def write(self, mode: str, path: Path = RESULTS, details: Mapping[str, object] | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "metrics": self.metrics,
            "not_measured": self.not_measured,
            "run": {
                "mode": mode,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()} {platform.system()} {platform.release()}",
                "python": platform.python_version(),
                **(details or {}),
            },
        }
        path.write_text(json.dumps(document, indent=2) + "\n")
