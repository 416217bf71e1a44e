"""Believable DTI values for a commune: how far along it is (its strength) decides each indicator's value."""

from __future__ import annotations

import random
from typing import Any


def indicator_value(indicator: dict[str, Any], strength: float, rng: random.Random) -> bool | int | float:
    """A value of the indicator's type: stronger communes tick more boxes and reach higher ratios."""
    rule = indicator["rule"]
    nudged = min(max(strength + rng.uniform(-0.2, 0.15), 0.0), 1.0)
    kind = indicator["value_type"]
    if kind == "yes_no":
        return rng.random() < strength + 0.15
    if kind == "ratio":
        return round(max(nudged, 0.05), 2)
    if kind == "level":
        return round(nudged * (len(rule.get("fractions") or [0, 1]) - 1))
    steps = rule.get("steps") or [{"at_least": 10}]
    return int(nudged * max(step["at_least"] for step in steps) * 1.1)
