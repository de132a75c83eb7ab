"""SQLite for the async engine, run on the event loop thread instead of a worker thread.

aiosqlite runs every call (cursor, execute, fetch, close) in its own thread and wakes the event
loop with the result. The bot's statements take tens of microseconds, and each of those thread
hand-offs costs more than the statement itself: at saturation they were over a third of the
bot's main-thread time (bench/conversation.py, bench/RESULTS.md). This module gives SQLAlchemy's
aiosqlite dialect, through its documented `async_creator` hook, a connection with aiosqlite's
awaitable API that makes the stdlib sqlite3 calls directly.

What makes that safe is how lock waits are done. SQLite's busy handler sleeps inside the C call
while another connection holds the write lock; on the loop thread that sleep would freeze the
whole bot, including the task that holds the lock and needs the loop to finish (a deadlock until
the timeout). So these connections have no busy timeout. When a statement finds the database
locked outside a write transaction (in WAL mode that is where it happens: the first write of a
transaction, or rarely a read during a checkpoint), the empty transaction the driver has just
opened is rolled back and the statement is retried after an `asyncio.sleep`, backing off, for up
to `BUSY_TIMEOUT_S` in all, as `PRAGMA busy_timeout` would. Other tasks run meanwhile.

A long query (a city-wide summary) does hold the loop while SQLite computes it; those take
milliseconds to a few hundred at 5,000 units, where most of the time is Python building the
result, which happens on the loop thread with aiosqlite too."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

BUSY_TIMEOUT_S = 10.0
_FIRST_WAIT_S, _MAX_WAIT_S = 0.001, 0.05
_T = TypeVar("_T")


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)  # SQLITE_BUSY and its extended codes
    return (code & 0xFF) == sqlite3.SQLITE_BUSY if code is not None else "locked" in str(error)


class LoopConnection:
    """The subset of `aiosqlite.Connection` that SQLAlchemy's aiosqlite dialect uses."""

    def __init__(self, conn: sqlite3.Connection, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self._connection: sqlite3.Connection | None = conn  # the dialect checks this attribute
        self.busy_timeout_s = busy_timeout_s

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError("no active connection")  # what aiosqlite raises; the dialect maps it
        return self._connection

    async def run(self, call: Callable[..., _T], *args: Any) -> _T:
        """`call(*args)` now, or after the write lock is free if SQLite reports it busy."""
        conn, loop = self._conn, asyncio.get_running_loop()
        deadline = loop.time() + self.busy_timeout_s
        wait = _FIRST_WAIT_S
        while True:
            in_transaction = conn.in_transaction
            try:
                return call(*args)
            except sqlite3.OperationalError as error:
                # Inside a transaction that already wrote, a retry could not be told apart from
                # a changed snapshot: let it fail as SQLite reports it.
                if in_transaction or not _is_busy(error):
                    raise
                if conn.in_transaction:
                    conn.rollback()  # the implicit BEGIN before this write; nothing in it yet
                if loop.time() + wait > deadline:
                    raise
            await asyncio.sleep(wait)
            wait = min(wait * 2, _MAX_WAIT_S)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> LoopCursor:
        return LoopCursor(self, self._conn.cursor())

    async def execute(self, sql: str, parameters: Any = ()) -> LoopCursor:
        cursor = self.cursor()
        await cursor.execute(sql, parameters)
        return cursor

    async def commit(self) -> None:
        await self.run(self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def stop(self) -> None:
        """Terminate (the pool's hard close): the same as close, there is no thread to stop."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class LoopCursor:
    """The subset of `aiosqlite.Cursor` that SQLAlchemy's adapter uses."""

    def __init__(self, owner: LoopConnection, cursor: sqlite3.Cursor) -> None:
        self._owner, self._cursor = owner, cursor

    async def __aenter__(self) -> LoopCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Any = ()) -> LoopCursor:
        await self._owner.run(self._cursor.execute, sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> LoopCursor:
        # A generator could not be replayed after a busy wait.
        await self._owner.run(self._cursor.executemany, sql, list(parameters))
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    @property
    def description(self) -> Sequence[Any] | None:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


def creator(database: str, busy_timeout_s: float = BUSY_TIMEOUT_S) -> Callable[[], Any]:
    """`async_creator` for create_async_engine: a new connection to this file (or :memory:)."""

    async def connect() -> LoopConnection:
        # timeout=0: no busy handler sleeping in C (see the module docstring). check_same_thread
        # off because the pool may close a connection from the thread that collects it.
        conn = sqlite3.connect(database, timeout=0, check_same_thread=False)
        return LoopConnection(conn, busy_timeout_s)

    return connect
