"""SQLite for the asyncio engine, run on the event loop thread (URLs `sqlite:///…`).

Why: aiosqlite runs every call (cursor, execute, fetch, close) in its own thread and wakes the
loop with each result. The bot's statements take tens of microseconds and each hand-off costs
more than the statement: at saturation that was the bot's main cost (bench 2a, bench/RESULTS.md,
ninth pass). Here the standard library's sqlite3 runs each statement directly, inside a
coroutine that SQLAlchemy awaits as it awaits any asyncio driver's.

How, through public interfaces only: the dialect is SQLAlchemy's pysqlite dialect declared
`is_async` (a documented `Dialect` attribute), registered as `sqlite.loop` (the documented dialect
registry); the driver below implements the `AsyncIODBAPIConnection` / `AsyncIODBAPICursor`
protocols of `sqlalchemy.connectors.asyncio`, whose generic adapter classes SQLAlchemy's own
asyncio dialects are built on. The driver is this module's own class, so nothing imitates
another library's private names (the earlier `sqlite_loop.py` imitated aiosqlite's).

What makes it safe is how lock waits are done. SQLite's busy handler sleeps inside the C call
while another connection holds the write lock; on the loop thread that sleep would freeze the
whole bot, including the task that holds the lock and needs the loop to finish. So these
connections have no busy timeout (`PRAGMA busy_timeout=0`). When a statement finds the database
locked outside a write transaction (in WAL mode that is where it happens: the first write of a
transaction, or rarely a read during a checkpoint), the empty transaction the driver has just
opened is rolled back and the statement is tried again after an `asyncio.sleep`, backing off,
for up to `busy_timeout_s` in all, as `PRAGMA busy_timeout` would. Other tasks run meanwhile.

A long query (a city-wide summary) does hold the loop while SQLite computes it; those take
milliseconds to a few hundred at 5,000 units, most of it Python building the result, which
happens on the loop thread with aiosqlite too."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import pool
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL

BUSY_TIMEOUT_S = 10.0
_FIRST_WAIT_S, _MAX_WAIT_S = 0.001, 0.05
_T = TypeVar("_T")


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)  # SQLITE_BUSY and its extended codes
    return (code & 0xFF) == sqlite3.SQLITE_BUSY if code is not None else "locked" in str(error)


class LoopDriverConnection:
    """An asyncio face on one sqlite3 connection: each call runs at once on the loop thread."""

    def __init__(self, conn: sqlite3.Connection, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.conn = conn
        self.busy_timeout_s = busy_timeout_s  # the lock wait, as PRAGMA busy_timeout would

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    async def run(self, call: Callable[..., _T], *args: Any) -> _T:
        """`call(*args)` now, or once the write lock is free if SQLite reports it busy."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.busy_timeout_s
        wait = _FIRST_WAIT_S
        while True:
            in_transaction = self.conn.in_transaction
            try:
                return call(*args)
            except sqlite3.OperationalError as error:
                # Inside a transaction that has written, a retry could not be told apart from
                # a changed snapshot: let it fail as SQLite reports it.
                if in_transaction or not _is_busy(error):
                    raise
                if self.conn.in_transaction:
                    self.conn.rollback()  # the implicit BEGIN before this write; nothing in it
                if loop.time() + wait > deadline:
                    raise
            await asyncio.sleep(wait)
            wait = min(wait * 2, _MAX_WAIT_S)

    def cursor(self, *_args: Any, **_kwargs: Any) -> LoopDriverCursor:
        return LoopDriverCursor(self, self.conn.cursor())

    async def commit(self) -> None:
        await self.run(self.conn.commit)

    async def rollback(self) -> None:
        self.conn.rollback()

    async def close(self) -> None:
        self.conn.close()


class LoopDriverCursor:
    """An asyncio face on one sqlite3 cursor."""

    def __init__(self, owner: LoopDriverConnection, cursor: sqlite3.Cursor) -> None:
        self.owner, self.cursor = owner, cursor
        self.arraysize = cursor.arraysize

    async def __aenter__(self) -> LoopDriverCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.cursor.close()

    @property
    def description(self) -> Any:
        return self.cursor.description

    @property
    def rowcount(self) -> int:
        return self.cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self.cursor.lastrowid

    async def execute(self, sql: str, parameters: Any = None) -> LoopDriverCursor:
        await self.owner.run(self.cursor.execute, sql, () if parameters is None else parameters)
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> LoopDriverCursor:
        # A generator could not be replayed after a busy wait.
        await self.owner.run(self.cursor.executemany, sql, list(parameters))
        return self

    async def fetchone(self) -> Any:
        return self.cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self.cursor.fetchmany(self.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self.cursor.fetchall()

    async def close(self) -> None:
        self.cursor.close()

    async def setinputsizes(self, *sizes: Any) -> None:
        """Nothing to do for SQLite (PEP 249 allows a no-op)."""

    def setoutputsize(self, size: Any, column: Any = None) -> None:
        """Nothing to do for SQLite (PEP 249 allows a no-op)."""

    async def nextset(self) -> None:
        return None


class SQLiteLoopConnection(AsyncAdapt_dbapi_connection):
    """What SQLAlchemy holds: its generic asyncio adapter, plus what the SQLite dialect asks of
    a connection (isolation level, functions) and a close that needs no event loop (the pool
    may close a connection from a garbage collection)."""

    @property
    def driver(self) -> LoopDriverConnection:
        return self.driver_connection  # type: ignore[no-any-return]

    @property
    def isolation_level(self) -> str | None:
        return self.driver.conn.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self.driver.conn.isolation_level = value  # type: ignore[assignment]  # "" or None

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        self.driver.conn.create_function(*args, **kwargs)

    def rollback(self) -> None:
        self.driver.conn.rollback()

    def close(self) -> None:
        self.driver.conn.close()

    def terminate(self) -> None:
        self.close()  # no thread or socket to stop: closing is all there is


class LoopDBAPI:
    """The DBAPI module the dialect sees: sqlite3's names, and a `connect` that answers with
    the adapted connection above."""

    paramstyle = "qmark"

    def __init__(self) -> None:
        for name in ("DatabaseError", "Error", "IntegrityError", "NotSupportedError",
                     "OperationalError", "ProgrammingError", "InterfaceError", "InternalError",
                     "DataError", "Warning", "sqlite_version", "sqlite_version_info",
                     "PARSE_COLNAMES", "PARSE_DECLTYPES", "Binary"):
            setattr(self, name, getattr(sqlite3, name))

    def connect(self, *args: Any, **kwargs: Any) -> SQLiteLoopConnection:
        kwargs["timeout"] = 0  # lock waits are LoopDriverConnection.run's, never the C handler's
        kwargs["check_same_thread"] = False  # the pool may close it from another thread
        driver = LoopDriverConnection(sqlite3.connect(*args, **kwargs))
        # The protocol's `__getattr__` is for drivers with dynamic attributes; ours has none.
        return SQLiteLoopConnection(self, driver)  # type: ignore[arg-type]


class SQLiteLoopDialect(SQLiteDialect_pysqlite):
    """pysqlite for `create_async_engine`: the statements run on the event loop thread."""

    driver = "loop"
    is_async = True
    supports_statement_cache = True
    supports_server_side_cursors = False

    @classmethod
    def import_dbapi(cls) -> Any:
        return LoopDBAPI()

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        # A file keeps a queue of connections; a memory database is one shared connection.
        database = url.database or ""
        in_memory = database in ("", ":memory:") or "mode=memory" in str(url)
        return pool.StaticPool if in_memory else pool.AsyncAdaptedQueuePool

    def get_driver_connection(self, connection: Any) -> Any:
        return connection.driver_connection

    def do_terminate(self, dbapi_connection: Any) -> None:
        dbapi_connection.terminate()


registry.register("sqlite.loop", __name__, "SQLiteLoopDialect")
