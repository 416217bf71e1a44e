"""Indicator codes that code refers to by name, stable across framework versions of a level.

The first two are fed by events: dti-scoring submits their values itself, with provenance, for a reviewer to
approve like any other. They have the same code in the district and commune frameworks.
"""

from typing import Final

SMARTPHONE_HOUSEHOLD_SHARE: Final = "DS.01"
"""Share of households with a smartphone (tỷ lệ hộ gia đình có điện thoại thông minh), digital society, ratio;
fed by the household registry's and the smartphone campaign's events."""

DIGITISED_HOUSEHOLD_RECORDS_SHARE: Final = "DG.04"
"""Share of households whose records are digitised in the registry (tỷ lệ hộ gia đình có hồ sơ được số hóa),
digital government, ratio; fed by the household registry's events."""

VILLAGE_DIGITAL_TEAM_SHARE: Final = "DS.02"
"""Share of villages with a community digital technology team (tỷ lệ thôn có tổ công nghệ số cộng đồng),
digital society, ratio; submitted by the commune."""
