"""The Alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

import asyncio

from alembic import command
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


async def test_upgrade_freezes_old_submissions_at_their_time(db_url: str) -> None:
    """0003 on a database with submissions: each entry of a unit that submitted gets the latest
    version saved at or before the unit's latest submission; drafts stay unsubmitted."""
    # setup: the schema of 0001 with one plan, two units, entries and one submission
    cfg = db.alembic_config(db_url)
    if db_url.startswith("sqlite"):
        db._ensure_sqlite_folder(db_url)
    await asyncio.to_thread(command.upgrade, cfg, "0001")
    engine = db.make_engine(db_url)
    t = "'2025-11-{d} 02:00:00+00:00'"
    try:
        async with engine.begin() as conn:
            for sql in (
                "INSERT INTO plans (id, number, title, issued_on, issuer, place, meta) VALUES "
                "(1, 'P', 'T', '2025-08-13', 'I', 'X', '{}')",
                "INSERT INTO sections (id, plan_id, code, title, position) VALUES "
                "(1, 1, '1', 'S', 1)",
                "INSERT INTO tasks (id, plan_id, section_id, code, short_title, full_text, "
                "position) VALUES (1, 1, 1, '1.1', 'a', 'a', 1)",
                "INSERT INTO periods (id, plan_id, code, kind, title, due_before) VALUES "
                "(1, 1, 'NAM', 'annual', 'năm', '2025-12-01')",
                "INSERT INTO units (id, code, name, active) VALUES (1, 'A', 'A', true), "
                "(2, 'B', 'B', true)",
                "INSERT INTO entries (id, period_id, unit_id, task_id, version, status, result,"
                " difficulties, proposals, evidence, updated_at) VALUES "
                f"(1, 1, 1, 1, 3, 'done', 'v3', '', '', '[]', {t.format(d=22)}),"
                f"(2, 1, 2, 1, 1, 'done', 'draft', '', '', '[]', {t.format(d=20)})",
                "INSERT INTO entry_versions (entry_id, version, status, result, difficulties,"
                " proposals, evidence, created_at) VALUES "
                f"(1, 1, 'done', 'v1', '', '', '[]', {t.format(d=18)}),"
                f"(1, 2, 'done', 'v2', '', '', '[]', {t.format(d=19)}),"
                f"(1, 3, 'done', 'v3', '', '', '[]', {t.format(d=22)}),"
                f"(2, 1, 'done', 'draft', '', '', '[]', {t.format(d=20)})",
                "INSERT INTO submissions (period_id, unit_id, submitted_at, late) VALUES "
                f"(1, 1, {t.format(d=18)}, false), (1, 1, {t.format(d=21)}, false)",
            ):
                await conn.exec_driver_sql(sql)
    finally:
        await engine.dispose()
    # execute
    await db.upgrade(db_url)
    # verify
    engine = db.make_engine(db_url)
    try:
        async with engine.connect() as conn:
            rows = (await conn.exec_driver_sql(
                "SELECT id, version, submitted_version FROM entries ORDER BY id")).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [(1, 3, 2), (2, 1, None)]
