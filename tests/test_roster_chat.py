"""Roster actions in chat for admins (issue 15): /danhsach deactivates and reactivates a unit, a
tổ dân phố or a person, hands a unit to a new head (the old head keeps access until the new one
registers), and makes invite codes for everybody not registered yet, handed over as an .xlsx
document (Telegram, through the fake Bot API) or a signed link (Zalo)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from openpyxl import load_workbook
from sqlalchemy import select

from bot.app import App, open_app
from bot.commands import main
from bot.web import build_web_app
from bot.web_downloads import download_routes
from core.ports import FixedClock
from core.texts import roster as t
from core.types import Platform, Role, Status
from services import reports, rounds
from storage import roster
from storage.entries import EntryDraft
from storage.models import Delivery, Invite, Person, ResidentialGroup, Task, Unit
from tests.conftest import make_settings
from tests.factories import Talk, make_person
from tests.fake_telegram import FakeTelegram
from tests.telegram_harness import TgUser, fake, open_bench
from tests.test_roster_admin import REAL_ROSTER, write_xlsx

__all__ = ["fake"]


async def unregistered(app: App, name: str, unit: str) -> None:
    """A person of the roster without any messenger account yet."""
    async with app.deps.sessions.begin() as s:
        row = await roster.unit_by_code(s, unit)
        assert row is not None
        s.add(Person(name=name, role=Role.UNIT_HEAD.value, unit_id=row.id,
                     created_at=app.deps.clock.now()))


async def test_a_unit_handed_to_a_new_head_keeps_the_old_one_until_registration(
        app: App) -> None:
    # setup: VP's head has written an entry; an admin hands VP over in chat
    old_id, old_account = await make_person(app, Role.UNIT_HEAD, unit="VP",
                                            name="Trần Văn Cũ")
    _, admin_account = await make_person(app, Role.ADMIN, unit="VHXH")
    async with app.deps.sessions.begin() as s:
        period = await rounds.find_round(s, "NAM-2025")
        vp = await roster.unit_by_code(s, "VP")
        task = await s.scalar(select(Task.id).order_by(Task.position))
        assert vp is not None and task is not None
        await reports.save_entry(s, period, unit_id=vp.id, task_id=task, author_id=old_id,
                                 draft=EntryDraft(Status.DONE.value, "Đã làm"),
                                 now=app.deps.clock.now())
    admin, old = Talk(app, admin_account), Talk(app, old_account)
    # execute
    await admin.say("/danhsach")
    await admin.say("3")
    await admin.say("Văn phòng HĐND và UBND")
    await admin.say("Lê Thị Mới")
    handed = admin.text
    code = next(w for w in handed.replace(",", " ").split() if len(w) == 10 and w.isupper())
    await old.say("/tiendo NAM-2025")
    before = old.text
    new = Talk(app, "new-vp")
    await new.say(f"/dangky {code}")
    registered = new.text
    await old.say("/tiendo NAM-2025")
    after = old.text
    await new.say("/tiendo NAM-2025")
    # verify
    assert "Lê Thị Mới" in handed and "Trần Văn Cũ" in handed
    assert "1/23" in before  # the old head still reports until the new one registers
    assert "Lê Thị Mới" in registered and "Trần Văn Cũ" in registered
    assert after == t.ACCOUNT_DEACTIVATED
    assert "1/23" in new.text  # the unit's report is the new head's now, history kept
    async with app.deps.sessions() as s:
        heads = list(await s.scalars(select(Person).where(Person.unit_id == vp.id)))
        notices = list(await s.scalars(select(Delivery).where(Delivery.kind == "notice")))
    assert {(p.name, p.active) for p in heads} == {("Trần Văn Cũ", False), ("Lê Thị Mới", True)}
    assert [(d.person_id, d.chat_id) for d in notices] == [(old_id, old_account)]
    assert "Lê Thị Mới" in notices[0].payload["text"]


def test_unit_handover_from_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    assert main(["units"]) == 0
    capsys.readouterr()
    done = main(["unit", "handover", "vp", "Lê Thị Mới"])
    printed = capsys.readouterr().out
    unknown = main(["unit", "handover", "KHONGCO", "Lê Thị Mới"])
    refused = capsys.readouterr().err
    nameless = main(["unit", "handover", "VP"])
    no_name = capsys.readouterr().err
    assert done == 0 and "Văn phòng HĐND và UBND" in printed and "Lê Thị Mới" in printed
    assert unknown == 2 and "KHONGCO" in refused
    assert nameless == 2 and t.HANDOVER_BAD_NAME in no_name


async def test_admins_deactivate_and_reactivate_in_chat(app: App) -> None:
    # setup
    person, account = await make_person(app, Role.UNIT_HEAD, unit="TTSNC",
                                        name="Phạm Thị Dung")
    _, admin_account = await make_person(app, Role.ADMIN, unit="VHXH")
    admin, dung = Talk(app, admin_account), Talk(app, account)
    # execute: a tổ dân phố off, a unit off and back on, a person found by name and off
    for answer in ("/danhsach", "1", "Tổ dân phố", "TDP01"):
        await admin.say(answer)
    group_off = admin.text
    for answer in ("/danhsach", "ngung su dung", "co quan", "Trung tâm Sự nghiệp công"):
        await admin.say(answer)
    unit_off = admin.text
    for answer in ("/danhsach", "2", "1"):
        await admin.say(answer)
    offered_back = [o.label for o in admin.options]
    await admin.say("TTSNC")
    unit_on = admin.text
    for answer in ("/danhsach", "1", "3", "khong ai"):
        await admin.say(answer)
    nobody = admin.text
    await admin.say("pham thi")
    await admin.say("1")
    person_off = admin.text
    await dung.say("/tiendo")
    # verify
    assert "Đã ngừng sử dụng tổ dân phố" in group_off and "TDP01" in group_off
    assert "Đã ngừng sử dụng cơ quan, đơn vị" in unit_off and "TTSNC" in unit_off
    assert offered_back == ["Trung tâm Sự nghiệp công (TTSNC)"]
    assert "Đã dùng lại" in unit_on
    assert "khong ai" in nobody and "Xin gõ lại" in nobody
    assert "Phạm Thị Dung" in person_off and t.PERSON_ACCOUNTS_OFF in person_off
    assert dung.text == t.ACCOUNT_DEACTIVATED
    async with app.deps.sessions() as s:
        group = await s.scalar(select(ResidentialGroup).where(ResidentialGroup.code == "TDP01"))
        unit = await s.scalar(select(Unit).where(Unit.code == "TTSNC"))
        someone = await s.get(Person, person)
    assert group is not None and not group.active
    assert unit is not None and unit.active
    assert someone is not None and not someone.active


async def test_bulk_invites_come_as_an_xlsx_document_on_telegram(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling",
                             export_dir=tmp_path / "exports")
    try:
        await unregistered(bench.app, "Ngô Văn Một", "VP")
        await unregistered(bench.app, "Đỗ Thị Hai", "TTSNC")
        await make_person(bench.app, Role.ADMIN, unit="VHXH", platform=Platform.TELEGRAM,
                          account="7770001")
        admin = TgUser(bench, 7770001)
        # execute
        await admin.say("/danhsach")
        await admin.press(t.CHAT_MENU_BULK)
        wrong = await admin.say("VP, KHONGCO")
        done = await admin.press(t.CHAT_BULK_ALL)
        # verify
        assert "KHONGCO" in wrong
        assert "Đã tạo 2 mã mời" in done
        sent = fake.calls_of("sendDocument")
        assert len(sent) == 1 and sent[0].files["document"][0] == "ma-moi.xlsx"
        content = sent[0].files["document"][1]
        rows = [list(r) for r in load_workbook(BytesIO(content)).worksheets[0]
                .iter_rows(values_only=True)]
        assert rows[0] == list(t.BULK_HEADERS)
        assert {r[0] for r in rows[1:]} == {"Ngô Văn Một", "Đỗ Thị Hai"}
        assert all(str(r[4]).startswith(f"https://t.me/{fake.username}?start=") for r in rows[1:])
    finally:
        await bench.close()


async def test_bulk_invites_on_zalo_come_as_a_signed_link_or_not_at_all(
        db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: one app with download links, one without
    linked = await open_app(make_settings(
        db_url, tmp_path, link_secret="a-link-secret-for-tests-0123456789",
        public_base_url="https://danvan.example.gov.vn", export_dir=tmp_path / "exports"), clock)
    try:
        await unregistered(linked, "Ngô Văn Một", "VP")
        _, account = await make_person(linked, Role.ADMIN, unit="VHXH", platform=Platform.ZALO)
        admin = Talk(linked, account, Platform.ZALO)
        # execute
        for answer in ("/danhsach", "4", "1"):
            await admin.say(answer)
        url = next(w for w in admin.text.split() if w.startswith("https://"))
        server = TestServer(build_web_app(linked.deps, [], download_routes(linked.deps)),
                            host="127.0.0.1", port=0)
        await server.start_server()
        try:
            path = url.removeprefix("https://danvan.example.gov.vn")
            async with aiohttp.ClientSession() as http, \
                    http.get(server.make_url(path)) as response:
                status, body = response.status, await response.read()
        finally:
            await server.close()
        # verify
        assert "Đã tạo 1 mã mời" in admin.text and admin.replies[-1].file is None
        assert status == 200
        rows = list(load_workbook(BytesIO(body)).worksheets[0].iter_rows(values_only=True))
        assert rows[1][0] == "Ngô Văn Một"
    finally:
        await linked.close()
    bare = await open_app(make_settings(db_url, tmp_path / "bare"), clock)
    try:
        await unregistered(bare, "Đỗ Thị Hai", "TTSNC")
        _, account = await make_person(bare, Role.ADMIN, unit="VHXH", platform=Platform.ZALO)
        admin = Talk(bare, account, Platform.ZALO)
        async with bare.deps.sessions() as s:
            before = len(list(await s.scalars(select(Invite))))
        for answer in ("/danhsach", "4"):
            await admin.say(answer)
        async with bare.deps.sessions() as s:
            codes = len(list(await s.scalars(select(Invite))))
        assert admin.text == t.CHAT_BULK_NO_LINK and codes == before
    finally:
        await bare.close()


async def test_a_roster_xlsx_sent_on_telegram_replaces_the_examples(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        await make_person(bench.app, Role.ADMIN, unit="VHXH", platform=Platform.TELEGRAM,
                          account="7770002")
        admin = TgUser(bench, 7770002)
        good = write_xlsx(tmp_path / "Danh sách tổ.xlsx", REAL_ROSTER).read_bytes()
        bad = write_xlsx(tmp_path / "thieu-cot.xlsx", [[1, "NX1", "Tổ dân phố Ngọc Xuyên 1"]],
                         header=["STT", "Mã", "Tên"]).read_bytes()
        # execute: a file with a missing column, then the real list with «ngừng sử dụng»
        await admin.say("/danhsach")
        await admin.press(t.CHAT_MENU_IMPORT)
        downloads = len(fake.calls_of("getFile"))
        csv = await admin.document(b"Ma,Ten\nNX1,To 1\n", "danh-sach.csv", "text/csv")
        csv_downloads = len(fake.calls_of("getFile")) - downloads
        refused = await admin.document(bad, "thieu-cot.xlsx")
        await admin.say("/danhsach")
        await admin.press(t.CHAT_MENU_IMPORT)
        preview = await admin.document(good, "Danh sách tổ.xlsx")
        choices = admin.labels()
        done = await admin.press(t.CHAT_IMPORT_REPLACE)
        # verify
        # a .csv is refused from its name, never downloaded; the step then takes the next file
        assert csv == t.CHAT_ROSTER_WRONG_TYPE.format(name="danh-sach.csv") and csv_downloads == 0
        assert "thieu-cot.xlsx" in refused and "Loại" in refused and t.NOT_CONFIRMED in refused
        assert "Danh sách tổ.xlsx" in preview and "NX1" in preview
        assert t.CHAT_UNLISTED.format(count=8) in preview and "TDP01" in preview
        assert choices == [t.CHAT_IMPORT_KEEP, t.CHAT_IMPORT_REPLACE, t.CHAT_IMPORT_NO]
        assert done.endswith(t.IMPORTED.format(added=2, changed=0, deactivated=8, people=3))
        async with bench.app.deps.sessions() as s:
            groups = {g.code: g.active for g in await s.scalars(select(ResidentialGroup))}
        assert groups["NX1"] and groups["NX2"] and not groups["TDP01"]
        assert not [p for p in (tmp_path / "evidence").rglob("*") if p.is_file()]
    finally:
        await bench.close()
