"""Shared fixtures: a fresh database per test (SQLite always, PostgreSQL when configured)."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest

from bot.app import App, open_app
from core.ports import FixedClock
from core.settings import Settings, load_settings
from tests.fake_zalo import FakeZalo

os.environ.setdefault("PTB_TIMEDELTA", "1")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PG_URL = os.environ.get("TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgres"]


def _pg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def create_pg_database() -> str:
    """A new empty database on the test server; returns its SQLAlchemy URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(_pg_dsn(PG_URL))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_URL.rsplit("/", 1)[0] + f"/{name}"


async def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(_pg_dsn(PG_URL))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(params=BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database URL per test: a temp SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}"
        return
    if not PG_URL:
        pytest.skip("TEST_POSTGRES_URL is not set (CI sets it)")
    url = await create_pg_database()
    try:
        yield url
    finally:
        await drop_pg_database(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
def clock() -> FixedClock:
    # A working Monday in the middle of the 2025 annual round (deadline Fri 28/11/2025).
    return FixedClock(datetime(2025, 11, 17, 9, 0, tzinfo=TZ), TZ)


def make_settings(db: str, tmp_path: Path, **overrides: object) -> Settings:
    return load_settings(database_url=db, evidence_dir=tmp_path / "evidence", _env_file=None,
                         **overrides)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(db_url, tmp_path)


@pytest.fixture
async def app(settings: Settings, clock: FixedClock) -> AsyncIterator[App]:
    application = await open_app(settings, clock)
    try:
        yield application
    finally:
        await application.close()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Tests never read a developer's .env or real tokens."""
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "ZALO_", "DATABASE_URL", "PUBLIC_BASE_URL", "LINK_")):
            monkeypatch.delenv(key, raising=False)
    yield


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    """A command run in-process (`main([...])`) configures the root logger with a handler on
    the stderr of that moment (a test's capture, closed afterwards): put it back, so a later
    test neither writes to a closed stream nor loses pytest's own handlers."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
async def fake_zalo() -> AsyncIterator[FakeZalo]:
    """A loopback fake Zalo Bot API server for one test."""
    server = FakeZalo()
    await server.start()
    try:
        yield server
    finally:
        await server.close()
