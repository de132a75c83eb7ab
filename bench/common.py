"""Helpers shared by the benchmark scripts (run by hand; never collected by pytest).

Each script imports this module first: it puts the repository on sys.path so that the project
and the loopback fakes in tests/ import from a plain `python bench/<script>.py`."""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

import asyncpg  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402

from bot.app import App  # noqa: E402
from core.types import Platform, Role  # noqa: E402
from storage.models import Account, Person, ResidentialGroup, Unit  # noqa: E402

PG_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


@contextlib.contextmanager
def temp_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="danvan-bench-") as name:
        yield Path(name)


def sqlite_url(folder: Path) -> str:
    """A SQLite file; BENCH_SQLITE_DRIVER=sqlite+aiosqlite measures SQLAlchemy's aiosqlite
    instead of the default driver on the event loop (storage/sqlite_driver.py)."""
    return f"{os.environ.get('BENCH_SQLITE_DRIVER', 'sqlite')}:///{folder / 'bench.db'}"


@contextlib.asynccontextmanager
async def pg_database() -> AsyncIterator[str]:
    """A fresh database on the local PostgreSQL server, dropped afterwards."""
    dsn = PG_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


async def bulk_people(app: App, role: Role, count: int, *, platform: Platform,
                      first_chat: int, unit_ids: list[int] | None = None,
                      with_groups: bool = False) -> list[int]:
    """`count` registered people with one account each (chat ids first_chat, first_chat+1, …),
    inserted in bulk with SQLAlchemy core; returns the chat ids."""
    now = datetime.now(UTC)
    async with app.deps.sessions.begin() as s:
        group_ids = list(await s.scalars(select(ResidentialGroup.id))) if with_groups else []
        first_id = int(await s.scalar(select(Person.id).order_by(Person.id.desc()).limit(1))
                       or 0) + 1
        people, accounts = [], []
        for i in range(count):
            pid = first_id + i
            people.append(dict(id=pid, name=f"Người thử {first_chat + i}", role=role.value,
                               unit_id=unit_ids[i % len(unit_ids)] if unit_ids else None,
                               group_id=group_ids[i % len(group_ids)] if group_ids else None,
                               phone="", active=True, created_at=now))
            accounts.append(dict(person_id=pid, platform=platform.value,
                                 account_id=str(first_chat + i), chat_id=str(first_chat + i),
                                 display_name="", created_at=now))
        for start in range(0, count, 2000):
            await s.execute(insert(Person), people[start:start + 2000])
            await s.execute(insert(Account), accounts[start:start + 2000])
        if app.settings.database_url.startswith("postgresql"):
            await s.execute(text("SELECT setval('people_id_seq', (SELECT max(id) FROM people))"))
    return [first_chat + i for i in range(count)]


async def bulk_units(app: App, count: int, prefix: str = "DV") -> list[int]:
    """`count` extra active units; returns their ids."""
    if count <= 0:
        return []
    async with app.deps.sessions.begin() as s:
        await s.execute(insert(Unit), [dict(code=f"{prefix}{i:05d}", name=f"Đơn vị số {i:05d}",
                                            active=True) for i in range(count)])
        return list(await s.scalars(select(Unit.id).where(Unit.code.like(f"{prefix}%"))
                                    .order_by(Unit.id)))


def percentile(values: list[float], q: float) -> float:
    """q in [0, 100]; linear interpolation (statistics.quantiles, inclusive)."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[min(max(round(q) - 1, 0), 98)]


def machine() -> str:
    return f"{os.cpu_count()} CPU, Python {sys.version.split()[0]}"
