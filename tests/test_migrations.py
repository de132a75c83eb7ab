"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from storage import db
from storage.models import Base


async def test_migrations_match_models(db_url: str) -> None:
    # setup
    await db.upgrade(db_url)
    engine = db.make_engine(db_url)
    try:
        # execute
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    # verify
    assert diff == []
    assert set(Base.metadata.tables) <= tables


async def test_upgrade_twice_is_harmless(sqlite_url: str) -> None:
    await db.upgrade(sqlite_url)
    await db.upgrade(sqlite_url)
    engine = db.make_engine(sqlite_url)
    try:
        async with engine.connect() as conn:
            version = (await conn.exec_driver_sql("SELECT version_num FROM alembic_version")).all()
    finally:
        await engine.dispose()
    assert len(version) == 1
