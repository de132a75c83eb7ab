"""0008_wards on a database filled before wards existed: it becomes one ward, nothing lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from sqlalchemy import select

from bot.app import open_app
from core.ports import FixedClock
from core.types import Platform, Role
from storage import db, plans, roster, wards
from storage.models import BroadcastRecipient
from tests.conftest import make_settings
from tests.factories import Talk

T = "'2025-11-18 02:00:00+00:00'"
ROWS = (
    "INSERT INTO plans (id, number, title, issued_on, issuer, place, meta) VALUES "
    "(1, '25/KH-UBND', 'T', '2025-08-13', 'I', 'X', '{}')",
    "INSERT INTO sections (id, plan_id, code, title, position) VALUES (1, 1, 'I', 'S', 1)",
    "INSERT INTO tasks (id, plan_id, section_id, code, short_title, full_text, position) "
    "VALUES (1, 1, 1, '1', 'a', 'a', 1)",
    "INSERT INTO periods (id, plan_id, code, kind, title, due_before) VALUES "
    "(1, 1, 'NAM-2025', 'annual', 'Năm 2025', '2025-12-01')",
    "INSERT INTO units (id, code, name, active, note, example) VALUES "
    "(1, 'MTTQ', 'Ủy ban MTTQ', true, '', false)",
    "INSERT INTO residential_groups (id, code, name, active, note, example) VALUES "
    "(1, 'TDP1', 'Tổ dân phố 1', true, '', false)",
    "INSERT INTO people (id, name, role, unit_id, group_id, phone, active, created_at) VALUES "
    f"(1, 'Trưởng', 'unit_head', 1, NULL, '', true, {T}),"
    f"(2, 'Tổ trưởng', 'group_leader', NULL, 1, '', true, {T}),"
    f"(3, 'Quản trị', 'admin', NULL, NULL, '', true, {T})",
    "INSERT INTO accounts (id, person_id, platform, account_id, chat_id, display_name, "
    f"created_at) VALUES (1, 1, 'telegram', '111', '111', '', {T}),"
    f"(2, 2, 'zalo', 'z2', 'z2', '', {T})",
    "INSERT INTO invites (id, code_hash, role, unit_id, name, created_at, expires_at) VALUES "
    f"(1, 'h1', 'unit_head', 1, '', {T}, {T})",
    "INSERT INTO entries (id, period_id, unit_id, task_id, version, status, result, "
    "difficulties, proposals, evidence, author_id, updated_at, submitted_version) VALUES "
    f"(1, 1, 1, 1, 1, 'done', 'kết quả', '', '', '[]', 1, {T}, 1)",
    "INSERT INTO entry_versions (entry_id, version, status, result, difficulties, proposals, "
    f"evidence, author_id, created_at) VALUES (1, 1, 'done', 'kết quả', '', '', '[]', 1, {T})",
    "INSERT INTO submissions (period_id, unit_id, person_id, submitted_at, late) VALUES "
    f"(1, 1, 1, {T}, false)",
    "INSERT INTO report_sections (period_id, key, text, author_id, created_at) VALUES "
    f"(1, 'assessment', 'đánh giá', 3, {T})",
    "INSERT INTO broadcasts (id, text, file_path, file_name, file_kind, audience, group_ids, "
    "status, repeat, run_no, run_total, progress_mark, resends, remind_after_hours, "
    f"reminded_run, created_at) VALUES (1, 'thông báo', '', '', '', 'all_groups', '[]', "
    f"'done', '', 1, 1, 0, 0, 0, 0, {T})",
    "INSERT INTO broadcast_recipients (broadcast_id, run_no, person_id, channels) VALUES "
    "(1, 1, 2, 1)",
    "INSERT INTO deliveries (dedupe_key, kind, platform, chat_id, person_id, payload, status, "
    f"attempts, next_attempt_at, last_error, created_at, ref_id) VALUES ('b1-1-2', "
    f"'broadcast', 'zalo', 'z2', 2, '{{}}', 'sent', 1, {T}, '', {T}, 1)",
    "INSERT INTO dialogs (platform, chat_id, flow, step, data, options, updated_at) VALUES "
    f"('telegram', '111', 'report', 'status', '{{}}', '[]', {T})",
    "INSERT INTO calendar_overrides (day, kind, note) VALUES ('2025-11-21', 'off', 'nghỉ')",
    "INSERT INTO audit_log (at, person_id, action, detail) VALUES "
    f"({T}, 3, 'broadcast', '{{}}')",
)
TABLES = ("plans", "sections", "tasks", "periods", "units", "residential_groups", "people",
          "accounts", "invites", "entries", "entry_versions", "submissions", "report_sections",
          "broadcasts", "broadcast_recipients", "deliveries", "dialogs", "calendar_overrides",
          "audit_log")
OWNED = ("plans", "units", "residential_groups", "people", "invites", "broadcasts",
         "calendar_overrides")


async def _counts(url: str) -> dict[str, int]:
    engine = db.make_engine(url)
    try:
        async with engine.connect() as conn:
            return {t: (await conn.exec_driver_sql(f"SELECT count(*) FROM {t}")).scalar_one()
                    for t in TABLES}
    finally:
        await engine.dispose()


async def test_single_ward_database_becomes_ward_one(db_url: str, tmp_path: Path,
                                                     clock: FixedClock) -> None:
    # setup: a database at 0006 filled the way the bot wrote it before wards
    if db_url.startswith("sqlite"):
        db._ensure_sqlite_folder(db_url)
    await asyncio.to_thread(command.upgrade, db.alembic_config(db_url), "0006_web_sessions")
    engine = db.make_engine(db_url)
    try:
        async with engine.begin() as conn:
            for sql in ROWS:
                await conn.exec_driver_sql(sql)
    finally:
        await engine.dispose()
    before = await _counts(db_url)
    # execute
    await db.upgrade(db_url)
    # verify: every row is still there and belongs to the one ward
    assert await _counts(db_url) == before
    engine = db.make_engine(db_url)
    try:
        async with engine.connect() as conn:
            owners = {t: {r[0] for r in await conn.exec_driver_sql(
                f"SELECT DISTINCT ward_id FROM {t}")} for t in OWNED}
            version_periods = [r[0] for r in await conn.exec_driver_sql(
                "SELECT period_id FROM entry_versions")]
    finally:
        await engine.dispose()
    assert owners == {t: {1} for t in OWNED}
    assert version_periods == [1]  # each version took its entry's round
    # and reachable through today's code: the app starts without re-seeding, callers resolve
    app = await open_app(make_settings(db_url, tmp_path), clock)
    try:
        async with app.deps.sessions() as s:
            assert [w.code for w in await wards.all_wards(s)] == ["NAM-DO-SON"]
            head = await roster.caller_for(s, Platform.TELEGRAM, "111")
            leader = await roster.caller_for(s, Platform.ZALO, "z2")
            assert [p.code for p in await plans.all_periods(s)] == ["NAM-2025"]
            assert [u.code for u in await roster.list_units(s)] == ["MTTQ"]
        assert head is not None and head.role is Role.UNIT_HEAD and head.ward_id == 1
        # the head's chat still works on the old rows: the dialog, the entry, the submission
        talk = Talk(app, "111", Platform.TELEGRAM)
        await talk.say("/tiendo NAM-2025")
        progress = talk.text
        await Talk(app, "z2", Platform.ZALO).say("/danhan 1")  # the old broadcast, acknowledged
        async with app.deps.sessions() as s:
            acknowledged = await s.scalar(select(BroadcastRecipient.acknowledged_at))
        assert leader is not None and leader.group_id == 1 and leader.ward_id == 1
        # a second ward may reuse the same codes and plan number
        async with app.deps.sessions.begin() as s:
            second = await wards.add(s, "DS2", "Đồ Sơn 2", "phuong", clock.now())
            assert second.id == 2
    finally:
        await app.close()
    assert (await _counts(db_url))["plans"] == 1
    assert "Ủy ban MTTQ" in progress and "lỗi" not in progress, progress
    assert acknowledged is not None
