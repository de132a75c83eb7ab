"""Engine and session factory; SQLite pragmas; migrations on demand."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite_loop

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # No busy_timeout: lock waits are asynchronous (storage/sqlite_loop.py).
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:":
        Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; SQLite runs on the event loop thread (storage/sqlite_loop.py) with WAL
    and foreign keys."""
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        database = make_url(url).database or ":memory:"
        kwargs.setdefault("async_creator", sqlite_loop.creator(database))
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str, connect_args: dict[str, Any] | None = None) -> Config:
    cfg = Config(str(MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url
    cfg.attributes["connect_args"] = connect_args or {}
    return cfg


async def upgrade(url: str, connect_args: dict[str, Any] | None = None) -> None:
    """Bring the schema to the newest migration (runs Alembic in a worker thread)."""
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
    cfg = alembic_config(url, connect_args)
    await asyncio.to_thread(command.upgrade, cfg, "head")
