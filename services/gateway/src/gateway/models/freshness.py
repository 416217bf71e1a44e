"""How fresh a composed answer is: the time of the newest event applied from each source."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from backan_shared.api.examples import examples

AS_OF_EXAMPLE = {"campaign": "2023-08-20T03:15:00Z", "household": "2023-09-01T08:00:00Z", "dti": "2024-02-01T08:00:00Z"}


class AsOf(BaseModel):
    """The time of the newest event applied from each source; null for a source nothing came from yet."""

    model_config = examples(AS_OF_EXAMPLE)

    campaign: datetime | None
    household: datetime | None
    dti: datetime | None
