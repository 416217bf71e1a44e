"""What a read-model family hands the feeds: one handler per integration event payload it reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import BaseModel

PayloadHandler = Callable[[asyncpg.Connection, Any, datetime], Awaitable[None]]
"""Applies one event's payload in the caller's transaction; the datetime is the event's own time (`ce_time`)."""

Handlers = Mapping[type[BaseModel], PayloadHandler]
