"""Everything a handler or job needs, built once in main() and passed down."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.ops import OpsState
from core.ports import Clock, FileFetcher, Messenger
from core.settings import Settings
from core.types import Platform
from core.workers import FileWorker


@dataclass
class Deps:
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    clock: Clock
    messengers: dict[Platform, Messenger] = field(default_factory=dict)
    fetchers: dict[Platform, FileFetcher] = field(default_factory=dict)
    bot_usernames: dict[Platform, str] = field(default_factory=dict)
    files: FileWorker = field(default_factory=FileWorker)  # renders exports off this process
    ops: OpsState = field(default_factory=OpsState)  # heartbeats for /healthz and /metrics
