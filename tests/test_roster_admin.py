"""A roster the officers keep (issue 15): .xlsx import with a preview and --replace, export,
deactivation, invites that never duplicate a person, invites for a whole roster."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from bot.app import App
from bot.commands import main
from core.texts import roster as t
from core.types import Role, Status
from services import invites as invite_service
from services import reminders, roster_admin
from storage import broadcasts, entries, plans, roster, summary
from storage.entries import EntryDraft
from storage.models import Account, Entry, Person, ResidentialGroup, Task, Unit
from tests.factories import Talk, make_person

HEADER = ["STT", "Mã", "Tên", "Loại", "Người phụ trách", "Ghi chú"]


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


REAL_ROSTER = [
    [1, "VHXH", "Phòng Văn hóa - Xã hội", "Cơ quan/đơn vị", "", ""],
    [2, "VP", "Văn phòng HĐND và UBND", "cơ quan, đơn vị", "", ""],
    [3, "NX1", "Tổ dân phố Ngọc Xuyên 1", "Tổ dân phố", "Phạm Văn Tổ", "thật"],
    [4, "NX2", "Tổ dân phố Ngọc Xuyên 2", "to dan pho", "Đỗ Thị Hải; Vũ Văn Nam", ""],
]


async def test_xlsx_import_with_replace_drops_examples_from_audience_and_summary(
        app: App, tmp_path: Path) -> None:
    # setup: a tổ trưởng of the example TDP01, a report of TTSNC (a unit the file drops)
    old_leader, _ = await make_person(app, Role.GROUP_LEADER, group="TDP01", name="Tổ trưởng cũ")
    ttsnc_head, _ = await make_person(app, Role.UNIT_HEAD, unit="TTSNC")
    async with app.deps.sessions.begin() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        task = await s.scalar(select(Task).order_by(Task.position))
        unit = await roster.unit_by_code(s, "TTSNC")
        assert task is not None and unit is not None
        await entries.save_entry(s, period_id=period.id, unit_id=unit.id, task_id=task.id,
                                 draft=EntryDraft(Status.DONE.value, "Đã làm", "", ""),
                                 author_id=ttsnc_head, now=app.deps.clock.now())
    path = write_xlsx(tmp_path / "danh-sach.xlsx", REAL_ROSTER)
    data = roster_admin.read_roster(path)
    # execute: the preview first, then the import
    async with app.deps.sessions() as s:
        preview = await roster_admin.plan_import(s, data, replace=True)
    async with app.deps.sessions.begin() as s:
        await roster_admin.apply_import(s, data, app.deps.clock.now(), replace=True)
    # verify: the preview said what would change
    assert {i.code for i in preview.added} == {"NX1", "NX2"}
    assert {i.code for i in preview.unlisted} == {"TTSNC", "KTHTDT", "TTPVHCC", "TDP01", "TDP02",
                                                   "TDP03", "TDP04", "TDP05"}
    assert preview.new_people == 3
    async with app.deps.sessions() as s:
        audience = await broadcasts.audience_people(s, "all_groups", [])
        assert sorted(p.name for p in audience) == ["Phạm Văn Tổ", "Vũ Văn Nam", "Đỗ Thị Hải"]
        assert [g.code for g in await roster.list_groups(s)] == ["NX1", "NX2"]
        state = await summary.period_summary(s, period.id, details=False)
        assert state is not None and {u.code for u in state.units} == {"VHXH", "VP"}
        gaps, count = await reminders.units_missing(s, period)
        assert count == 2 and {g.name for g in gaps} == {"Phòng Văn hóa - Xã hội",
                                                         "Văn phòng HĐND và UBND"}
        # history kept: the entry, the tổ, the person and their account are still there
        assert await s.scalar(select(func.count()).select_from(Entry)) == 1
        example = await s.scalar(select(ResidentialGroup).where(ResidentialGroup.code == "TDP01"))
        assert example is not None and not example.active
        assert (await s.get(Person, old_leader)) is not None
    _, admin = await make_person(app, Role.ADMIN, unit="VHXH")
    talk = Talk(app, admin)
    await talk.say("/tonghop")
    await talk.say("Báo cáo năm 2025")
    assert "Chưa nộp (2)" in talk.text and "Trung tâm Sự nghiệp công" not in talk.text


async def test_import_preview_counts_changes_and_is_idempotent(app: App, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [[1, "VP", "Văn phòng UBND phường", "đơn vị", "", ""]])
    data = roster_admin.read_roster(path)
    async with app.deps.sessions.begin() as s:
        first = await roster_admin.apply_import(s, data, app.deps.clock.now())
    async with app.deps.sessions() as s:
        again = await roster_admin.plan_import(s, data)
    assert [(i.code, i.old_name) for i in first.changed] == [("VP", "Văn phòng HĐND và UBND")]
    assert first.unlisted and not first.replace  # listed, not deactivated
    assert again.empty
    async with app.deps.sessions() as s:
        assert len(await roster.list_units(s)) == 5


@pytest.mark.parametrize(("rows", "header", "expected"), [
    ([[1, "X1", "Tổ 1", "tổ dân phố"]], ["STT", "Mã", "Tên"], "thiếu cột «Loại»"),
    ([[1, "X1", "", "tổ dân phố", "", ""]], None, "Dòng 2, cột «Tên» (C): tên trống"),
    ([[1, "", "Tổ 1", "tổ dân phố", "", ""]], None, "Dòng 2, cột «Mã» (B): mã trống"),
    ([[1, "X1", "Tổ 1", "tổ dân phố", "", ""], [2, "x1", "Tổ 2", "tổ dân phố", "", ""]], None,
     "Dòng 3, cột «Mã» (B): mã «x1» trùng với dòng 2"),
    ([[1, "X1", "Tổ 1", "hội", "", ""]], None, "Dòng 2, cột «Loại» (D): «hội» không rõ loại"),
])
def test_bad_xlsx_names_row_and_column(tmp_path: Path, rows: list[list[object]],
                                       header: list[str] | None, expected: str) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", rows, header)
    with pytest.raises(roster_admin.RosterFileError) as caught:
        roster_admin.read_roster(path)
    assert expected in str(caught.value)


async def test_bad_files_import_nothing(app: App, tmp_path: Path) -> None:
    # a code that exists with another type: TDP01 is a tổ dân phố, the file says a unit
    other_type = roster_admin.read_roster(write_xlsx(tmp_path / "t.xlsx", [
        [1, "CA", "Công an phường", "cơ quan", "", ""],
        [2, "TDP01", "Tổ 1", "Cơ quan/đơn vị", "", ""]]))
    async with app.deps.sessions.begin() as s:
        with pytest.raises(roster_admin.RosterFileError) as caught:
            await roster_admin.apply_import(s, other_type, app.deps.clock.now(), replace=True)
    assert "mã «TDP01» đã có trong danh sách là tổ dân phố" in str(caught.value)
    # over the size limit: refused before it is read (this is not even a workbook)
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(roster_admin.RosterFileError) as too_big:
        roster_admin.read_roster(big, limit=4096)
    assert "quá lớn" in str(too_big.value) and "Chưa đọc tệp" in str(too_big.value)
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Unit)) == 5
        assert await roster.unit_by_code(s, "CA") is None


async def test_reinvited_name_reuses_the_person(app: App) -> None:
    ttl = timedelta(days=7)
    async with app.deps.sessions.begin() as s:
        vp = await roster.unit_by_code(s, "VP")
        assert vp is not None
        # two invites before anybody registers, typed differently
        one = await invite_service.invite_one(s, role="unit_head", unit_id=vp.id,
                                              name="Lê Thị Hoa", now=app.deps.clock.now(),
                                              ttl=ttl)
        two = await invite_service.invite_one(s, role="unit_head", unit_id=vp.id,
                                              name="le thi hoa", now=app.deps.clock.now(),
                                              ttl=ttl)
    assert one.reused is None and two.reused is None
    await Talk(app, "hoa-zalo").say(f"/dangky {one.code}")
    await Talk(app, "hoa-telegram").say(f"/dangky {two.code}")
    async with app.deps.sessions.begin() as s:
        third = await invite_service.invite_one(s, role="unit_head", unit_id=vp.id,
                                                name="LÊ THỊ HOA", now=app.deps.clock.now(),
                                                ttl=ttl)
        people = list(await s.scalars(select(Person).where(Person.unit_id == vp.id)))
        accounts = await s.scalar(select(func.count()).select_from(Account))
    assert len(people) == 1 and accounts == 2
    assert third.reused is not None and third.reused.id == people[0].id
    assert "không tạo người mới" in invite_service.reuse_note(third, "Văn phòng")


async def test_deactivated_person_is_told_and_reactivation_restores(app: App) -> None:
    person, account = await make_person(app, Role.UNIT_HEAD, unit="VP", name="Trần Văn Bình")
    async with app.deps.sessions.begin() as s:
        change = await roster_admin.set_active(s, "person", str(person), False,
                                               app.deps.clock.now())
    assert change.changed and "Đã ngừng sử dụng" in change.message()
    talk = Talk(app, account)
    await talk.say("/tiendo")
    assert talk.text == t.ACCOUNT_DEACTIVATED
    await talk.say("/dangky ABCDEFGHJK")
    assert talk.text == t.ACCOUNT_DEACTIVATED
    async with app.deps.sessions.begin() as s:
        await roster_admin.set_active(s, "person", str(person), True, app.deps.clock.now())
        with pytest.raises(roster_admin.NotFound):
            await roster_admin.set_active(s, "unit", "KHONGCO", False, app.deps.clock.now())
    await talk.say("/trogiup")
    assert "Trần Văn Bình" in talk.text


async def test_bulk_invites_for_300_people_write_an_xlsx(app: App, tmp_path: Path) -> None:
    # setup: 300 tổ dân phố with a tổ trưởng each, one of whom already registered
    rows: list[list[object]] = [[i, f"T{i:03d}", f"Tổ dân phố {i}", "Tổ dân phố",
                                 f"Tổ trưởng {i}", ""] for i in range(1, 301)]
    data = roster_admin.read_roster(write_xlsx(tmp_path / "to.xlsx", rows))
    async with app.deps.sessions.begin() as s:
        await roster_admin.apply_import(s, data, app.deps.clock.now(), replace=True)
        registered = await s.scalar(select(Person).where(Person.name == "Tổ trưởng 7"))
        assert registered is not None
        s.add(Account(person_id=registered.id, platform="zalo", account_id="z7", chat_id="z7",
                      display_name="", created_at=app.deps.clock.now()))
    out = tmp_path / "ma-moi.xlsx"
    # execute
    started = time.perf_counter()
    async with app.deps.sessions.begin() as s:
        made = await invite_service.invite_unregistered(s, now=app.deps.clock.now(),
                                                        ttl=timedelta(days=7))
        invite_service.write_invites_xlsx(made, out, telegram_username="@danvan_bot",
                                          tz=app.deps.settings.tz)
    elapsed = time.perf_counter() - started
    # verify
    assert len(made) == 299 and elapsed < 10
    sheet = load_workbook(out, read_only=True).worksheets[0]
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0] == list(t.BULK_HEADERS) and len(table) == 300
    first = table[1]
    assert first[0] == "Tổ trưởng 1" and first[1] == "Tổ dân phố 1"
    assert first[2] == "Tổ trưởng tổ dân phố"
    assert first[4] == f"https://t.me/danvan_bot?start={first[3]}"
    assert first[5] == f"/dangky {first[3]}" and first[6]
    assert len({r[3] for r in table[1:]}) == 299
    assert "Tổ trưởng 7" not in {r[0] for r in table[1:]}
    # a code from the sheet registers the very person of the roster
    talk = Talk(app, "zalo-t1")
    await talk.say(str(first[5]))
    assert "Tổ trưởng 1" in talk.text
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Person)) == 300
        only = await invite_service.invite_unregistered(s, now=app.deps.clock.now(),
                                                        ttl=timedelta(days=7),
                                                        group_codes=["t002", "T003"])
        assert [r.name for r in only] == ["Tổ trưởng 2", "Tổ trưởng 3"]
        with pytest.raises(invite_service.UnknownCodes):
            await invite_service.invite_unregistered(s, now=app.deps.clock.now(),
                                                     ttl=timedelta(days=7), unit_codes=["XX"])


def test_cli_import_asks_export_round_trips_and_deactivates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    path = write_xlsx(tmp_path / "r.xlsx", REAL_ROSTER)
    # without --yes and without a terminal: the preview, then nothing imported
    assert main(["roster", "import", str(path), "--replace"]) == 1
    out = capsys.readouterr()
    assert "Thêm mới (2)" in out.out and "sẽ ngừng sử dụng (8)" in out.out
    assert "--yes" in out.err
    assert main(["roster", "import", str(path), "--replace", "--yes"]) == 0
    assert "Đã nhập danh sách: thêm 2, thay đổi 0, ngừng sử dụng 8" in capsys.readouterr().out
    exported = tmp_path / "export.xlsx"
    assert main(["roster", "export", "--out", str(exported)]) == 0
    again = roster_admin.read_roster(exported)
    assert [u.code for u in again.units] == ["VHXH", "VP"]
    assert [g.code for g in again.groups] == ["NX1", "NX2"] and len(again.people) == 3
    assert main(["roster", "import", str(exported), "--replace", "--yes"]) == 0
    assert "Không có gì thay đổi" in capsys.readouterr().out
    assert main(["group", "deactivate", "nx2"]) == 0
    assert "Đã ngừng sử dụng tổ dân phố «Tổ dân phố Ngọc Xuyên 2» (NX2)" in \
        capsys.readouterr().out
    assert main(["units"]) == 0
    assert "NX2" not in capsys.readouterr().out
    invites_out = tmp_path / "moi.xlsx"
    assert main(["invite", "--all", "--groups", "NX1", "--out", str(invites_out)]) == 0
    assert "Đã tạo 1 mã mời" in capsys.readouterr().out
    bad = write_xlsx(tmp_path / "bad.xlsx", [[1, "X", "", "tổ dân phố", "", ""]])
    assert main(["roster", "import", str(bad), "--yes"]) == 1
    assert "Dòng 2, cột «Tên» (C): tên trống" in capsys.readouterr().err
