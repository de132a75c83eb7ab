"""A plan sent to the bot as a Word file (issue 15), end to end over the real python-telegram-bot
stack and the fake Bot API: the same preview and confirmation as `plan import`, the declared
size checked before any download, bad files refused with their place, nothing half-imported;
a channel that cannot send documents (Zalo) is pointed to the web desk or the command line."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import func, select

from bot.app import App
from core import texts
from core.ports import FixedClock
from core.texts import plans as t
from core.texts import roster as roster_texts
from core.types import Attachment, ChatRef, Platform, Role
from handlers import uploads
from services import plan_import
from storage import dialogs
from storage.models import Plan, Task
from tests.factories import Talk, make_person
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo
from tests.telegram_harness import TgUser, fake, open_bench
from tests.test_plan_import import seed_text, write_docx
from tests.zalo_harness import ZaloUser, new_invite, open_rig

__all__ = ["fake"]
ADMIN_CHAT = 6660001


def docx_bytes(tmp_path: Path, text: str, name: str = "plan.docx") -> bytes:
    return write_docx(text, tmp_path / name).read_bytes()


async def plans_and_tasks(app: App) -> tuple[list[str], int]:
    async with app.deps.sessions() as s:
        numbers = list(await s.scalars(select(Plan.number).order_by(Plan.id)))
        tasks = await s.scalar(select(func.count()).select_from(Task))
    return numbers, int(tasks or 0)


async def test_an_admin_sends_the_plan_docx_previews_and_confirms(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: the 2026 plan as the ward types it (the seed with a new number and date)
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        await make_person(bench.app, Role.ADMIN, unit="VHXH", platform=Platform.TELEGRAM,
                          account=str(ADMIN_CHAT))
        admin = TgUser(bench, ADMIN_CHAT)
        text = seed_text().replace("Số: 25 /KH-UBND", "Số: 30 /KH-UBND")
        content = docx_bytes(tmp_path, text)
        # execute
        asked = await admin.say("/nhapkehoach")
        preview = await admin.document(content, "Ke hoach 30.docx")
        before = await plans_and_tasks(bench.app)
        done = await admin.press(t.CHAT_YES)
        after = await plans_and_tasks(bench.app)
        # verify: the file went through getFile and the download, then the preview and buttons
        assert "tối đa 5 MB" in asked
        assert len(fake.calls_of("getFile")) == 1 and len(fake.calls_of("<download>")) == 1
        assert "30/KH-UBND" in preview and "23 nhiệm vụ" in preview
        assert "1.1." in preview and t.CHAT_CONFIRM in preview
        assert before == (["25/KH-UBND"], 23)  # nothing saved before the confirmation
        assert "Đã nhập kế hoạch 30/KH-UBND" in done and "23 nhiệm vụ" in done
        assert after == (["25/KH-UBND", "30/KH-UBND"], 46)
        # the upload is not kept
        assert not [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]
    finally:
        await bench.close()


async def test_bad_plan_files_are_refused_with_the_place_and_nothing_is_imported(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        await make_person(bench.app, Role.ADMIN, unit="VHXH", platform=Platform.TELEGRAM,
                          account=str(ADMIN_CHAT))
        admin = TgUser(bench, ADMIN_CHAT)
        duplicate = seed_text().replace("Số: 25 /KH-UBND", "Số: 31 /KH-UBND").replace(
            "1.3. Tổ chức sơ kết", "1.2. Tổ chức sơ kết")
        # execute
        await admin.say("/nhapkehoach")
        before_pdf = len(fake.calls_of("getFile"))
        pdf = await admin.document(b"%PDF-1.4 not a plan", "ke-hoach.pdf", "application/pdf")
        after_pdf = len(fake.calls_of("getFile"))
        malformed = await admin.document(docx_bytes(tmp_path, duplicate), "ke-hoach-31.docx")
        await admin.say("/nhapkehoach")
        downloads = len(fake.calls_of("getFile"))
        too_big = await admin.document(b"x" * (plan_import.MAX_PLAN_BYTES + 1), "lon.docx")
        downloads_after = len(fake.calls_of("getFile"))
        await admin.say("/nhapkehoach")
        not_word = await admin.document(b"PK\x03\x04 broken", "hong.docx")
        # verify
        # a .pdf is refused from its name, before a download; the flow still waits for a file
        assert pdf == t.CHAT_WRONG_TYPE.format(name="ke-hoach.pdf") and after_pdf == before_pdf
        assert "ke-hoach-31.docx" in malformed and "đoạn " in malformed
        assert "mã nhiệm vụ 1.2 bị trùng" in malformed and "Chưa nhập gì" in malformed
        assert too_big == t.CHAT_TOO_LARGE.format(limit="5")
        assert downloads_after == downloads  # refused from the declared size
        assert t.NOT_DOCX in not_word and "hong.docx" in not_word
        assert await plans_and_tasks(bench.app) == (["25/KH-UBND"], 23)
        assert not [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]
    finally:
        await bench.close()


async def test_zalo_admins_are_pointed_to_the_web_desk_or_the_command_line(app: App) -> None:
    await make_person(app, Role.ADMIN, unit="VHXH", platform=Platform.ZALO, account="z-admin")
    _, head = await make_person(app, Role.UNIT_HEAD, unit="VP", platform=Platform.TELEGRAM)
    admin = Talk(app, "z-admin", Platform.ZALO)
    await admin.say("/nhapkehoach")
    assert admin.text == t.CHAT_NO_DOCUMENTS and "/web" in admin.text
    unit_head = Talk(app, head, Platform.TELEGRAM)
    await unit_head.say("/nhapkehoach")
    assert unit_head.text == texts.FORBIDDEN


async def test_a_word_file_sent_outside_a_flow_points_admins_to_the_import(app: App) -> None:
    _, admin_account = await make_person(app, Role.ADMIN, unit="VHXH")
    _, head_account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    admin, head = Talk(app, admin_account), Talk(app, head_account)
    await admin.send_file(Attachment("document", "file-1", "Kế hoạch 2026.docx", 2000))
    await head.send_file(Attachment("document", "file-2", "Kế hoạch 2026.docx", 2000))
    assert admin.text == t.CHAT_FILE_HINT and "/nhapkehoach" in admin.text
    assert head.text == texts.FILE_OUTSIDE_FLOW


def test_uploads_are_named_as_sent_and_abandoned_ones_pruned(tmp_path: Path) -> None:
    # setup: two downloads as the engine saves them (random names)
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    (evidence / "a1b2.docx").write_bytes(b"plan")
    (evidence / "c3d4.xlsx").write_bytes(b"roster")
    # execute
    plan = uploads.keep(evidence / "a1b2.docx", "Kế hoạch 30 (KH).docx")
    roster = uploads.keep(evidence / "c3d4.xlsx", "../../danh sách.xlsx")
    uploads.forget(plan)
    old = time.time() - 3600
    os.utime(roster.parent, (old, old))
    uploads.prune(evidence, 600)
    # verify: a safe name inside its own folder; nothing left behind
    assert plan.name == "Kế-hoạch-30--KH-.docx" and roster.name == "danh-sách.xlsx"
    assert roster.parent.parent == evidence / uploads.UPLOADS
    assert not [p for p in evidence.rglob("*") if p.is_file()]


async def test_on_zalo_the_imports_point_to_the_web_desk_end_to_end(
        db_url: str, tmp_path: Path, clock: FixedClock, fake_zalo: FakeZalo) -> None:
    rig = await open_rig(db_url, tmp_path, clock, fake_zalo)
    try:
        user = ZaloUser(rig, "zalo-admin")
        await user.say(f"/dangky {await new_invite(rig.app, Role.ADMIN, unit='VHXH')}")
        # execute
        plan = await user.say("/nhapkehoach")
        await user.say("/danhsach")
        roster_file = await user.say("5")
        # verify: the answers arrived through the Zalo Bot API, nothing is waited for
        assert plan == [t.CHAT_NO_DOCUMENTS]
        assert roster_file == [roster_texts.CHAT_ROSTER_NO_DOCUMENTS]
        async with rig.app.deps.sessions() as s:
            state = await dialogs.load(s, ChatRef(Platform.ZALO, "zalo-admin"))
        assert not state.active
    finally:
        await rig.close()
