"""An administrative unit as the composed views name it."""

from __future__ import annotations

from pydantic import BaseModel

SONG_CAU_EXAMPLE = {"code": "01837", "name": "Phường Sông Cầu", "level": "commune", "parent_code": "058", "pilot": True}


class UnitRef(BaseModel):
    """An administrative unit by its official code."""

    code: str
    name: str | None = None
    level: str | None = None
    parent_code: str | None = None
    pilot: bool = False
