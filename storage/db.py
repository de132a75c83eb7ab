"""Engine and session factory; SQLite pragmas; migrations on demand.

SQLite (`sqlite:///file`) runs on the event loop thread through this project's own dialect,
`storage.sqlite_driver`: no thread hand-off per call, and lock waits that let the loop run
(bench/RESULTS.md, ninth pass). `sqlite+aiosqlite:///file` still selects SQLAlchemy's aiosqlite
dialect, every statement in aiosqlite's worker thread, where a lock wait sleeps in SQLite's busy
handler (`PRAGMA busy_timeout`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool

from storage.scoping import WardSession  # the ward criteria (issue 19)
from storage.sqlite_driver import BUSY_TIMEOUT_S, SQLiteLoopConnection

MIGRATIONS = Path(__file__).parent / "migrations"
# How long a SQLite write waits for another connection's write lock before "database is locked".
BUSY_TIMEOUT_MS = int(BUSY_TIMEOUT_S * 1000)


def sqlite_driver_url(url: str) -> str:
    """`sqlite:///…` (no driver named) means this project's loop driver; an asyncio engine
    could not use the synchronous pysqlite that SQLAlchemy would pick for it."""
    return "sqlite+loop" + url[len("sqlite"):] if url.startswith("sqlite:") else url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # The loop driver waits for a lock itself, letting the loop run; SQLite's own handler
    # would sleep on the loop thread. aiosqlite's thread may sleep in it.
    waits_itself = isinstance(dbapi_connection, SQLiteLoopConnection)
    cursor.execute(f"PRAGMA busy_timeout={0 if waits_itself else BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; safe in WAL mode
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:":
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _is_sqlite_file(url: str) -> bool:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return bool(path) and not path.startswith(":memory:") and "mode=memory" not in path


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine. SQLite gets WAL, a busy timeout, synchronous=NORMAL and foreign keys,
    and for a file a pool of kept connections (with aiosqlite too: before SQLAlchemy 2.0.38 its
    default was a new connection, and thread, per checkout)."""
    if url.startswith("sqlite"):
        url = sqlite_driver_url(url)
        _ensure_sqlite_folder(url)
        if _is_sqlite_file(url):
            kwargs.setdefault("poolclass", AsyncAdaptedQueuePool)
            # Sessions and connections end their own transactions (commit, or rollback on
            # close), so the pool's extra rollback on check-in would only cost one more
            # call per unit of work (bench 2a).
            kwargs.setdefault("pool_reset_on_return", None)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=WardSession)


def alembic_config(url: str, connect_args: dict[str, Any] | None = None) -> Config:
    cfg = Config(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = sqlite_driver_url(url)
    cfg.attributes["connect_args"] = connect_args or {}
    return cfg


async def upgrade(url: str, connect_args: dict[str, Any] | None = None) -> None:
    """Bring the schema to the newest migration (runs Alembic in a worker thread)."""
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
    cfg = alembic_config(url, connect_args)
    await asyncio.to_thread(command.upgrade, cfg, "head")


class WriteTurns:
    """SQLite has a single writer. The updates of this process take turns for their writes on
    an asyncio lock, each woken the moment the one before it commits, instead of polling in
    SQLite's busy handler, which sleeps 1, 2, 5, 10, 15 … ms between tries (bench 2a, eighth
    pass: the dialog write waited ~13 ms on average). A session that has already written holds
    SQLite's lock and goes on without a turn, so a turn is never awaited while holding that
    lock; writers that take no turn (the scheduler, the desk, another process) still wait in the
    busy handler as before. On PostgreSQL (many writers) a turn is nothing."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def turn(self, s: AsyncSession) -> AsyncIterator[None]:
        if s.get_bind().dialect.name != "sqlite" or await _writing(s):
            yield
            return
        async with self._lock:
            yield


async def _writing(s: AsyncSession) -> bool:
    """Whether the session's SQLite connection is in a transaction already: the driver opens
    one at the first write, so this session holds the write lock."""
    driver = (await (await s.connection()).get_raw_connection()).driver_connection
    return driver is not None and bool(driver.in_transaction)  # aiosqlite.Connection's own
