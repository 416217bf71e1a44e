"""Benchmark results: one table for people, one JSON file for machines (bench/results/latest.json)."""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime

from harness.paths import ROOT

RESULTS = ROOT / "bench" / "results" / "latest.json"


@dataclass
class Results:
    metrics: dict[str, dict[str, float | str]] = field(default_factory=dict)

    def record(self, name: str, value: float, unit: str) -> None:
        self.metrics[name] = {"value": round(value, 3), "unit": unit}

    def ratio(self, name: str, numerator: str, denominator: str) -> None:
        bottom = float(self.metrics[denominator]["value"])
        self.record(name, float(self.metrics[numerator]["value"]) / bottom if bottom else 0.0, "ratio")

    def table(self) -> str:
        rows = [f"{'metric':<24} {'value':>14}  unit", "-" * 48]
        rows += [f"{name:<24} {m['value']:>14}  {m['unit']}" for name, m in self.metrics.items()]
        return "\n".join(rows)

    def write(self, mode: str) -> None:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "metrics": self.metrics,
            "run": {
                "mode": mode,
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()} {platform.system()} {platform.release()}",
                "python": platform.python_version(),
            },
        }
        RESULTS.write_text(json.dumps(document, indent=2) + "\n")
