"""SQLite on the event loop thread (storage/sqlite_loop.py): no worker thread, and lock waits
that let the loop run instead of freezing it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import db, sqlite_loop


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = db.make_engine(f"sqlite+aiosqlite:///{tmp_path / 'loop.db'}")

    @event.listens_for(engine.sync_engine, "connect")
    def thread_function(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.create_function("thread_id", 0, threading.get_ident)

    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine
    await engine.dispose()


def other_writer(tmp_path: Path) -> sqlite3.Connection:
    """Another process's connection, holding the write lock until it commits."""
    conn = sqlite3.connect(tmp_path / "loop.db", isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO notes (body) VALUES ('from the other process')")
    return conn


async def test_statements_run_on_the_event_loop_thread(engine: AsyncEngine) -> None:
    # execute
    async with engine.connect() as conn:
        ran_on = (await conn.execute(text("SELECT thread_id()"))).scalar_one()
    # verify
    assert ran_on == threading.get_ident()


async def test_a_locked_database_is_waited_for_without_freezing_the_loop(
        engine: AsyncEngine, tmp_path: Path) -> None:
    # setup
    holder = other_writer(tmp_path)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    async def write() -> None:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO notes (body) VALUES ('from the bot')"))

    # execute: the bot writes while the other connection holds the lock for 0.3 s
    ticking = asyncio.create_task(ticker())
    writing = asyncio.create_task(write())
    await asyncio.sleep(0.3)
    assert not writing.done()  # still waiting for the lock...
    holder.execute("COMMIT")
    await asyncio.wait_for(writing, 5)
    ticking.cancel()
    # verify: ...while the loop kept running; then both rows are there
    assert ticks >= 20
    async with engine.connect() as conn:
        bodies = (await conn.execute(text("SELECT body FROM notes ORDER BY id"))).scalars()
        assert list(bodies) == ["from the other process", "from the bot"]
    holder.close()


async def test_two_tasks_writing_in_one_process_do_not_deadlock(engine: AsyncEngine) -> None:
    # setup: a transaction that writes, then awaits something slow before it commits (with a
    # busy handler sleeping on the loop thread, the second writer would freeze the first)
    async def slow_writer() -> None:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO notes (body) VALUES ('slow')"))
            await asyncio.sleep(0.2)

    async def quick_writer() -> None:
        await asyncio.sleep(0.05)
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO notes (body) VALUES ('quick')"))

    # execute
    await asyncio.wait_for(asyncio.gather(slow_writer(), quick_writer()), 5)
    # verify: the quick one waited for the slow one's commit
    async with engine.connect() as conn:
        bodies = (await conn.execute(text("SELECT body FROM notes ORDER BY id"))).scalars()
        assert list(bodies) == ["slow", "quick"]


async def test_the_wait_gives_up_like_a_busy_timeout(engine: AsyncEngine, tmp_path: Path) -> None:
    # setup: an engine on the same file that waits 0.2 s at most
    path = str(tmp_path / "loop.db")
    impatient = db.make_engine(f"sqlite+aiosqlite:///{path}",
                               async_creator=sqlite_loop.creator(path, busy_timeout_s=0.2))
    holder = other_writer(tmp_path)
    try:
        # execute and verify: SQLite's own error, after about the timeout
        started = asyncio.get_running_loop().time()
        with pytest.raises(OperationalError, match="database is locked"):
            async with impatient.begin() as conn:
                await conn.execute(text("INSERT INTO notes (body) VALUES ('too late')"))
        assert asyncio.get_running_loop().time() - started >= 0.15
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # and nothing was half-written: the connection is usable again
    async with impatient.begin() as conn:
        await conn.execute(text("INSERT INTO notes (body) VALUES ('later')"))
        count = (await conn.execute(text("SELECT count(*) FROM notes"))).scalar_one()
    await impatient.dispose()
    assert count == 1
