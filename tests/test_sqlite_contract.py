"""The engine `storage.db.make_engine` builds keeps SQLAlchemy's public contract (issue 14).

Every isolation level the backend supports through SQLAlchemy can be chosen per engine or per
connection; a write and a read work in it; the connection goes back to the pool and comes out
of it with the engine's default level again. Run on SQLite (the project's loop driver and
SQLAlchemy's aiosqlite) and PostgreSQL, and on every SQLAlchemy the pin in pyproject.toml allows
(see bench/RESULTS.md, fifth and ninth passes)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import db

LEVELS = {
    "sqlite": ["AUTOCOMMIT", "SERIALIZABLE", "READ UNCOMMITTED"],
    "postgresql": ["AUTOCOMMIT", "SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED"],
}
ALL_LEVELS = sorted({level for levels in LEVELS.values() for level in levels})


@pytest.fixture(params=["default driver", "aiosqlite"])
async def engine(db_url: str, request: pytest.FixtureRequest) -> AsyncIterator[AsyncEngine]:
    """The default drivers (SQLite on the event loop, asyncpg), and SQLAlchemy's aiosqlite."""
    if request.param == "aiosqlite":
        if not db_url.startswith("sqlite"):
            pytest.skip("aiosqlite is a SQLite driver")
        db_url = db_url.replace("sqlite:", "sqlite+aiosqlite:", 1)
    engine = db.make_engine(db_url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE notes (body TEXT)"))
    try:
        yield engine
    finally:
        await engine.dispose()


def skip_unless_supported(engine: AsyncEngine, level: str) -> None:
    if level not in LEVELS[engine.dialect.name]:
        pytest.skip(f"{engine.dialect.name} has no {level} through SQLAlchemy")


async def count_notes(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM notes"))).scalar_one()


async def assert_default_level_is_back(engine: AsyncEngine) -> None:
    """The pooled connection has the default level again: a rolled back write is gone."""
    async with engine.connect() as conn:
        await conn.execute(text("INSERT INTO notes (body) VALUES ('rolled back')"))
        await conn.rollback()
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    async with engine.connect() as conn:
        bodies = (await conn.execute(text("SELECT body FROM notes"))).scalars().all()
    assert "rolled back" not in bodies


@pytest.mark.parametrize("level", ALL_LEVELS)
async def test_an_engine_with_an_isolation_level_writes_reads_and_returns_it(
        engine: AsyncEngine, level: str) -> None:
    skip_unless_supported(engine, level)
    # setup
    chosen = engine.execution_options(isolation_level=level)
    # execute
    async with chosen.begin() as conn:
        await conn.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": level})
        inside = (await conn.execute(text("SELECT body FROM notes"))).scalars().all()
        if level != "AUTOCOMMIT":  # the server reports its own level under autocommit
            assert await conn.get_isolation_level() == level
    # verify: written, visible to the default engine, and the connection is back in the pool
    assert inside == [level]
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert await count_notes(engine) == 1
    await assert_default_level_is_back(engine)


@pytest.mark.parametrize("level", ALL_LEVELS)
async def test_a_connection_with_an_isolation_level_writes_reads_and_returns_it(
        engine: AsyncEngine, level: str) -> None:
    skip_unless_supported(engine, level)
    # execute: the level set on one connection, as a job that needs it would
    async with engine.connect() as conn:
        await conn.execution_options(isolation_level=level)
        await conn.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": level})
        await conn.commit()
        read = (await conn.execute(text("SELECT count(*) FROM notes"))).scalar_one()
        await conn.commit()
    # verify
    assert read == 1
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    await assert_default_level_is_back(engine)


async def test_the_default_level_is_the_backends_own(engine: AsyncEngine) -> None:
    # execute
    async with engine.connect() as conn:
        level = await conn.get_isolation_level()
    # verify: SQLite's only transactional level; PostgreSQL's server default
    expected = {"sqlite": "SERIALIZABLE", "postgresql": "READ COMMITTED"}
    assert level == expected[engine.dialect.name]
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
