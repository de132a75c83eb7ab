"""Backups (issue 20): a consistent copy while a broadcast is being delivered, restored into a
new directory with every row; a foreign or newer file refused; the daily backup's retention."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import open_app
from bot.commands.backup import backup, restore
from core.ports import FixedClock
from core.types import ChatRef, Reply, Role, SendResult
from services import backups
from services.broadcasts import sweep_broadcasts
from storage import entries, roster
from storage.models import Broadcast, Delivery, Entry, Submission
from tests.broadcast_helpers import admin_desk, compose, leaders, worker_for
from tests.conftest import make_settings
from tests.factories import make_person
from tests.fakes import FakeMessenger
from tests.zalo_harness import annual_period, seed_entries

TABLES: dict[str, Any] = {"entries": Entry, "submissions": Submission, "broadcasts": Broadcast,
          "deliveries": Delivery}


class SlowMessenger(FakeMessenger):
    def __init__(self, clock: FixedClock) -> None:
        super().__init__(clock)
        self.tenth = asyncio.Event()

    async def send(self, chat: ChatRef, reply: Reply) -> SendResult:
        await asyncio.sleep(0.01)  # a real network round trip: the backup runs meanwhile
        result = await super().send(chat, reply)
        if len(self.calls) >= 10:
            self.tenth.set()
        return result


def ids_in(path: Path) -> dict[str, set[int]]:
    with sqlite3.connect(path) as db:
        return {name: {r[0] for r in db.execute(f"SELECT id FROM {name}")} for name in TABLES}


async def test_backup_during_a_broadcast_restores_every_row(tmp_path: Path,
                                                            clock: FixedClock,
                                                            capsys: pytest.CaptureFixture[str],
                                                            ) -> None:
    # setup: entries, a submission, and a broadcast to 60 tổ trưởng being delivered
    live_db = tmp_path / "live" / "danvan.db"
    settings = make_settings(f"sqlite:///{live_db}", tmp_path)
    app = await open_app(settings, clock)
    try:
        head, _ = await make_person(app, Role.UNIT_HEAD, unit="VP")
        period_id, task_ids = await annual_period(app)
        await seed_entries(app, "VP", task_ids[:5], head)
        async with app.deps.sessions.begin() as s:
            unit = await roster.unit_by_code(s, "VP")
            assert unit is not None
            await entries.submit(s, period_id=period_id, unit_id=unit.id, person_id=head,
                                 now=clock.now(), late=False)
        await leaders(app, 60)
        _, admin, _, _ = await admin_desk(app, clock)
        await compose(admin, "Thông báo sao lưu.")
        await admin.say("Gửi ngay")
        await admin.say("Xác nhận")
        await sweep_broadcasts(app.deps)
        slow = SlowMessenger(clock)
        worker = worker_for(app, clock, slow)
        delivering = asyncio.create_task(worker.drain())
        # execute: back up in the middle of the delivery
        await asyncio.wait_for(slow.tenth.wait(), 10)
        out = tmp_path / "backup" / "danvan-backup.db"
        assert await backup(argparse.Namespace(out=out), settings) == 0
        sent_at_backup = len(slow.calls)
        await delivering
        async with app.deps.sessions() as s:
            live = {name: set((await s.scalars(select(model.id))).all())
                    for name, model in TABLES.items()}
    finally:
        await app.close()
    new_db = tmp_path / "new" / "danvan.db"
    new_settings = make_settings(f"sqlite:///{new_db}", tmp_path)
    code = await restore(argparse.Namespace(file=out, force=False), new_settings)
    # verify
    assert code == 0 and "Đã khôi phục" in capsys.readouterr().out
    assert 10 <= sent_at_backup < 60 + 1
    restored = ids_in(new_db)
    assert restored == live and len(restored["deliveries"]) >= 60
    assert len(restored["entries"]) == 5 and len(restored["submissions"]) == 1
    reopened = await open_app(new_settings, clock)  # the restored file serves as is
    await reopened.close()


async def test_restore_refuses_foreign_newer_and_existing(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          ) -> None:
    # setup: a real backup, a foreign SQLite file, one from a "newer" schema
    live_db = tmp_path / "danvan.db"
    settings = make_settings(f"sqlite:///{live_db}", tmp_path)
    await (await open_app(settings)).close()  # creates and migrates it
    good = tmp_path / "good.db"
    backups.backup(live_db, good)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE notes (id INTEGER)")
    newer = tmp_path / "newer.db"
    backups.backup(live_db, newer)
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_future'")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("không phải cơ sở dữ liệu")
    target = make_settings(f"sqlite:///{tmp_path / 'new' / 'x.db'}", tmp_path)
    # execute
    codes = [await restore(argparse.Namespace(file=f, force=False), target)
             for f in (foreign, newer, text_file)]
    refused = capsys.readouterr().err
    into_existing = await restore(argparse.Namespace(file=good, force=False), settings)
    # verify
    assert codes == [1, 1, 1] and into_existing == 1
    assert refused.count("không phải bản sao lưu") == 2 and "mới hơn" in refused
    assert not (tmp_path / "new" / "x.db").exists()


async def test_daily_backup_keeps_the_retention(tmp_path: Path) -> None:
    # setup: a database and backups of 10 and 2 days ago
    source = tmp_path / "db.sqlite"
    await (await open_app(make_settings(f"sqlite:///{source}", tmp_path))).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "danvan-2026-03-01.db").write_bytes(b"old")
    (folder / "danvan-2026-03-09.db").write_bytes(b"recent")
    # execute
    made = backups.daily_backup(source, folder, date(2026, 3, 11), keep_days=7)
    again = backups.daily_backup(source, folder, date(2026, 3, 11), keep_days=7)
    # verify
    assert made == folder / "danvan-2026-03-11.db" and again is None
    assert sorted(p.name for p in folder.iterdir()) == ["danvan-2026-03-09.db",
                                                        "danvan-2026-03-11.db"]
