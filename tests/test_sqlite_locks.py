"""SQLite lock waits, with both drivers `storage.db.make_engine` offers: the default one on the
event loop (`sqlite:///`, storage/sqlite_driver.py), which waits for a lock with asyncio sleeps,
and SQLAlchemy's aiosqlite (`sqlite+aiosqlite:///`), which waits in its worker thread. Either
way the event loop keeps running while a writer waits for another connection's lock; past the
busy timeout it gets SQLite's error, the user a clear answer, and nothing is half-written."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App
from core import texts
from core.settings import Settings
from core.types import Role
from storage import db
from storage.models import InboundEvent
from storage.sqlite_driver import SQLiteLoopConnection
from tests.conftest import make_settings
from tests.factories import Talk, make_person

DRIVERS = ["sqlite", "sqlite+aiosqlite"]


def short_busy_timeout(engine: AsyncEngine, ms: int) -> None:
    """New connections of `engine` wait `ms` for a lock (set after make_engine's own pragmas)."""

    @event.listens_for(engine.sync_engine, "connect")
    def busy_timeout(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, SQLiteLoopConnection):  # waits in asyncio, not in C
            dbapi_connection.driver.busy_timeout_s = ms / 1000
            return
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={ms}")
        cursor.close()


@pytest.fixture(params=DRIVERS)
def driver(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def engine(tmp_path: Path, driver: str) -> AsyncIterator[AsyncEngine]:
    engine = db.make_engine(f"{driver}:///{tmp_path / 'locks.db'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine
    await engine.dispose()


def other_writer(path: Path) -> sqlite3.Connection:
    """Another process's connection, holding the write lock until it commits."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO notes (body) VALUES ('from the other process')")
    return conn


class Ticker:
    """Counts event-loop turns every 5 ms: it stops counting if the loop is blocked."""

    def __init__(self) -> None:
        self.ticks = 0
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            self.ticks += 1
            await asyncio.sleep(0.005)

    def stop(self) -> int:
        self._task.cancel()
        return self.ticks


async def test_the_engine_has_the_pragmas_and_a_kept_pool(engine: AsyncEngine) -> None:
    # execute
    async with engine.connect() as conn:
        mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar_one()
        timeout = (await conn.execute(text("PRAGMA busy_timeout"))).scalar_one()
        synchronous = (await conn.execute(text("PRAGMA synchronous"))).scalar_one()
        foreign_keys = (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one()
    # verify: the loop driver's own wait replaces SQLite's, which would sleep on the loop
    waits_in_sqlite = 0 if engine.dialect.driver == "loop" else db.BUSY_TIMEOUT_MS
    assert (mode, timeout, synchronous, foreign_keys) == ("wal", waits_in_sqlite, 1, 1)
    assert type(engine.pool).__name__ == "AsyncAdaptedQueuePool"


async def test_a_locked_database_is_waited_for_without_freezing_the_loop(
        engine: AsyncEngine, tmp_path: Path) -> None:
    # setup
    holder = other_writer(tmp_path / "locks.db")

    async def write() -> None:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO notes (body) VALUES ('from the bot')"))

    # execute: the bot writes while the other connection holds the lock for 0.3 s
    ticker = Ticker()
    writing = asyncio.create_task(write())
    await asyncio.sleep(0.3)
    assert not writing.done()  # still waiting for the lock...
    holder.execute("COMMIT")
    await asyncio.wait_for(writing, 5)
    ticks = ticker.stop()
    holder.close()
    # verify: ...while the loop kept running; then both rows are there
    assert ticks >= 20
    async with engine.connect() as conn:
        bodies = (await conn.execute(text("SELECT body FROM notes ORDER BY id"))).scalars()
        assert list(bodies) == ["from the other process", "from the bot"]


async def test_two_tasks_writing_in_one_process_do_not_deadlock(engine: AsyncEngine) -> None:
    # setup: a transaction that writes, then awaits something slow before it commits
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
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_the_wait_gives_up_after_the_busy_timeout(engine: AsyncEngine, driver: str,
                                                         tmp_path: Path) -> None:
    # setup: an engine on the same file that waits 0.2 s at most
    path = tmp_path / "locks.db"
    impatient = db.make_engine(f"{driver}:///{path}")
    short_busy_timeout(impatient, 200)
    holder = other_writer(path)
    ticker = Ticker()
    try:
        # execute and verify: SQLite's own error, after about the timeout, the loop running
        started = asyncio.get_running_loop().time()
        with pytest.raises(OperationalError, match="database is locked"):
            async with impatient.begin() as conn:
                await conn.execute(text("INSERT INTO notes (body) VALUES ('too late')"))
        assert asyncio.get_running_loop().time() - started >= 0.15
        assert ticker.stop() >= 10
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # and nothing was half-written: the connection is back in the pool and usable again
    assert impatient.pool.checkedout() == 0  # type: ignore[attr-defined]
    async with impatient.begin() as conn:
        await conn.execute(text("INSERT INTO notes (body) VALUES ('later')"))
        count = (await conn.execute(text("SELECT count(*) FROM notes"))).scalar_one()
    await impatient.dispose()
    assert count == 1


@pytest.fixture
def settings(driver: str, tmp_path: Path) -> Settings:
    return make_settings(f"{driver}:///{tmp_path / 'bot.db'}", tmp_path)


async def test_a_message_that_waits_too_long_for_the_lock_gets_a_clear_answer(
        app: App, tmp_path: Path) -> None:
    # setup: a unit head; then the bot's connections wait 0.2 s at most, and another process
    # holds the write lock
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    short_busy_timeout(app.engine, 200)
    await app.engine.dispose()  # new connections, with the short timeout
    path = tmp_path / "bot.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        # execute
        replies = await asyncio.wait_for(talk.say("/baocao NAM-2025", native_id="late"), 5)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    # verify: told that nothing was saved; nothing kept; the next message is answered
    assert [r.text for r in replies] == [texts.INTERNAL_ERROR]
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(InboundEvent)
                              .where(InboundEvent.native_id == "late")) == 0
    await talk.say("/baocao NAM-2025", native_id="again")
    assert texts.INTERNAL_ERROR not in talk.text
    assert app.engine.pool.checkedout() == 0  # type: ignore[attr-defined]


async def test_write_turns_queue_new_writers_but_not_one_already_writing(
        engine: AsyncEngine) -> None:
    # setup: one session holds this process's write turn (it has not written yet)
    sessions = db.make_sessions(engine)
    turns = db.WriteTurns()
    async with sessions() as holder, sessions() as waiting, sessions() as writing:
        await holder.execute(text("SELECT 1"))
        async with turns.turn(holder):
            await waiting.execute(text("SELECT 1"))
            await writing.execute(text("INSERT INTO notes (body) VALUES ('first write')"))

            async def enter(s: Any) -> None:
                async with turns.turn(s):
                    pass

            # execute and verify: a session that has not written waits for the turn; one that
            # holds SQLite's write lock already goes on (waiting would be a deadlock)
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(enter(waiting), 0.2)
            await asyncio.wait_for(enter(writing), 2)
            await writing.commit()
        await asyncio.wait_for(enter(waiting), 2)  # the turn is free again
