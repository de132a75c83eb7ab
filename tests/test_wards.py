"""Two wards on one deployment (issue 19): both report through chat, one sends its report to
the city late, the city's roll-up shows it; ward and city commands refuse what is not theirs."""

from __future__ import annotations

from argparse import Namespace
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.app import App
from bot.commands.city import show_rollup
from core import texts
from core.ports import FixedClock
from core.render import render_plain
from core.texts import city as ct
from core.types import ChatRef, Platform, Role
from scheduler import jobs
from services import broadcasts as bs
from services import city
from storage import roster
from storage.models import Broadcast, Delivery, WardReport
from tests.broadcast_helpers import compose, worker_for
from tests.conftest import TZ
from tests.factories import Talk
from tests.fakes import FakeMessenger
from tests.test_statement_count import recorded_statements
from tests.ward_helpers import (
    FIRST,
    add_ward,
    city_invite,
    fill,
    period_id,
    person_in,
    write_parts,
)


async def test_two_wards_report_one_sends_late_and_the_city_sees_it(
        app: App, clock: FixedClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # setup: two wards with the same unit codes, a head and an admin in each
    second = await add_ward(app)
    heads, admins = {}, {}
    for ward in (FIRST, second):
        heads[ward] = await person_in(app, ward, Role.UNIT_HEAD, unit="VP", name=f"Trưởng {ward}")
        admins[ward] = await person_in(app, ward, Role.ADMIN, name=f"Quản trị {ward}")
    code = await city_invite(app)
    city_talk = Talk(app, "city-1")
    await city_talk.say(f"/dangky {code}")
    assert "Cán bộ cấp thành phố" in city_talk.text and "/thanhpho" in city_talk.text
    # execute: both wards' units report and submit through chat, on time
    for ward in (FIRST, second):
        await fill(app, ward, "VP", heads[ward][0])
        head = Talk(app, heads[ward][1])
        await head.say("/nop NAM-2025")
        await head.say("nop")
        assert "(đúng hạn)" in head.text
    # the first ward writes its report and sends it on time; the second is not ready yet
    await write_parts(app, FIRST, admins[FIRST][0])
    admin_1, admin_2 = Talk(app, admins[FIRST][1]), Talk(app, admins[second][1])
    await admin_1.say("/trogiup")
    assert "/guithanhpho" in admin_1.text
    await admin_1.say("/guithanhpho NAM-2025")
    assert "Đã gửi Báo cáo năm 2025 của phường Nam Đồ Sơn" in admin_1.text
    assert "quá hạn" not in admin_1.text
    await admin_2.say("/guithanhpho NAM-2025")
    assert "chưa hoàn chỉnh" in admin_2.text
    await city_talk.say("/thanhpho")
    assert "Đã gửi đúng hạn (1): phường Nam Đồ Sơn" in city_talk.text
    assert "Chưa gửi (1): phường Đồ Sơn" in city_talk.text
    # after the deadline the second ward sends: late
    clock.set(datetime(2025, 12, 2, 9, 0, tzinfo=TZ))
    await write_parts(app, second, admins[second][0])
    await admin_2.say("/guithanhpho NAM-2025")
    assert "(quá hạn)" in admin_2.text
    await city_talk.say("/thanhpho NAM-2025")
    # verify: the roll-up shows one on time, one late, nobody missing, and the matrix
    assert "Đã gửi đúng hạn (1): phường Nam Đồ Sơn" in city_talk.text
    assert "Gửi muộn (1): phường Đồ Sơn" in city_talk.text
    assert "Chưa gửi (0)" in city_talk.text
    async with app.deps.sessions() as s:
        view = await city.rollup(s, app.settings, today=clock.today(), round_arg="NAM-2025")
    assert [(w.code, w.state) for w in view.wards] == [("NAM-DO-SON", "on_time"),
                                                        ("DOSON", "late")]
    for row in view.wards:  # each ward: its one unit's 23 tasks, all done, counted once
        assert sum(c["done"] for c in row.counts.values()) == 23
        assert f"• {row.title}: 1 3/0/0/0 · 2 7/0/0/0" in city_talk.text
    # the city downloads the late ward's own report (its name, its unit), in chat
    await city_talk.say("/baocaophuong DOSON NAM-2025")
    document = next(r.file for r in city_talk.replies if r.file is not None)
    body = "\n".join(p.text for p in Document(str(document.path)).paragraphs)
    assert "ĐỒ SƠN" in body.upper() and "NAM ĐỒ SƠN" not in body.upper()
    await city_talk.say("/baocaophuong NOPE")
    assert "Không có xã, phường mã «NOPE»" in city_talk.text
    # and the city's compilation from the terminal: `city rollup NAM-2025 --xlsx FILE`
    out = tmp_path / "thanhpho.xlsx"
    assert await show_rollup(Namespace(round="NAM-2025", xlsx=out, docx=None), app.settings) == 0
    assert "Gửi muộn (1): phường Đồ Sơn" in capsys.readouterr().out
    book = load_workbook(out, read_only=True)
    rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    matrix = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    book.close()
    assert rows[3][:3] == ["NAM-DO-SON", "phường Nam Đồ Sơn", "Đã gửi đúng hạn"]
    assert rows[4][:3] == ["DOSON", "phường Đồ Sơn", "Gửi muộn"]
    assert [r[0] for r in matrix[1:]] == ["phường Nam Đồ Sơn", "phường Đồ Sơn"]
    assert all(sum(r[1::4]) == 23 for r in matrix[1:])  # "Hoàn thành" of every section


async def test_a_change_after_sending_needs_a_resend(app: App, clock: FixedClock) -> None:
    # setup: the first ward sent its report
    await add_ward(app)
    head, head_account = await person_in(app, FIRST, Role.UNIT_HEAD, unit="VP")
    admin, admin_account = await person_in(app, FIRST, Role.ADMIN)
    await fill(app, FIRST, "VP", head)
    await Talk(app, head_account).say("/nop NAM-2025")
    await Talk(app, head_account).say("nop")
    await write_parts(app, FIRST, admin)
    admin_talk = Talk(app, admin_account)
    await admin_talk.say("/guithanhpho NAM-2025")
    await admin_talk.say("/guithanhpho NAM-2025")
    assert admin_talk.text == ct.NOTHING_NEW
    # execute: later, the admin rewrites a part; the city sees it changed; the admin resends
    clock.set(datetime(2025, 11, 18, 9, 0, tzinfo=TZ))
    await write_parts(app, FIRST, admin, marker="Sửa: ")
    city_talk = Talk(app, "city-2")
    await city_talk.say(f"/dangky {await city_invite(app)}")
    await city_talk.say("/thanhpho")
    changed = city_talk.text
    await admin_talk.say("/guithanhpho NAM-2025")
    await city_talk.say("/thanhpho")
    # verify
    assert "cần gửi lại: phường Nam Đồ Sơn" in changed
    assert "cần gửi lại" not in city_talk.text
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(WardReport)) == 2


async def test_city_and_ward_commands_refuse_each_other(app: App) -> None:
    # setup
    await add_ward(app)
    _, admin_account = await person_in(app, FIRST, Role.ADMIN)
    city_talk = Talk(app, "city-3")
    await city_talk.say(f"/dangky {await city_invite(app)}")
    admin = Talk(app, admin_account)
    # execute
    # (/thongbao is the city's too since its broadcasts: tests/test_city_broadcast.py)
    city_tries = [(await city_talk.say(f"/{c}"), c) for c in ("tonghop", "baocao", "guithanhpho",
                                                              "xuat", "moi")]
    await admin.say("/thanhpho")
    # verify: clear words, nothing written
    for replies, command in city_tries:
        assert [r.text for r in replies] == [texts.CITY_WARD_ONLY], command
    assert admin.text == texts.FORBIDDEN
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(WardReport)) == 0


async def test_the_city_rollup_costs_the_same_statements_for_more_wards(app: App) -> None:
    """A fixed number of statements whatever the number of wards (bench/city_wards.py times it
    at 120 wards)."""
    # setup
    async def statements_for_rollup() -> int:
        with recorded_statements(app) as statements:
            async with app.deps.sessions() as s:
                await city.rollup(s, app.settings, today=app.deps.clock.today())
        return len(statements)

    await add_ward(app, "W2", "Phường 2")
    # execute
    with_two = await statements_for_rollup()
    for number in range(3, 7):
        ward = await add_ward(app, f"W{number}", f"Phường {number}")
        head, _ = await person_in(app, ward, Role.UNIT_HEAD, unit="VP")
        await fill(app, ward, "VP", head)
    with_six = await statements_for_rollup()
    # verify
    assert with_six == with_two <= 8


async def test_a_ward_broadcast_reaches_its_own_group_leaders_only(app: App,
                                                                   clock: FixedClock) -> None:
    # setup: a tổ trưởng of the same tổ code in each ward; the second ward's admin announces
    second = await add_ward(app)
    _, first_leader = await person_in(app, FIRST, Role.GROUP_LEADER, group="TDP01")
    _, second_leader = await person_in(app, second, Role.GROUP_LEADER, group="TDP01")
    _, admin_account = await person_in(app, second, Role.ADMIN)
    fake = FakeMessenger(clock)
    worker = worker_for(app, clock, fake)
    admin = Talk(app, admin_account)
    # execute: compose, send now, confirm, deliver
    await compose(admin, "Họp tổ dân phố tối thứ Bảy.")
    await admin.say("1")
    await admin.say("1")
    await worker.drain()
    # verify: only the second ward's tổ trưởng got it, under the second ward's name
    assert [c.chat.chat_id for c in fake.calls] == [second_leader]
    assert "PHƯỜNG ĐỒ SƠN" in fake.calls[0].reply.text
    assert first_leader not in {c.chat.chat_id for c in fake.calls}


async def test_the_sweep_reminds_and_digests_each_ward_of_its_own(app: App,
                                                                  clock: FixedClock) -> None:
    # setup: the same unit code in both wards, a head of it and an admin in each
    second = await add_ward(app)
    people = {ward: (await person_in(app, ward, Role.UNIT_HEAD, unit="VP"),
                     await person_in(app, ward, Role.ADMIN))
              for ward in (FIRST, second)}
    periods = {ward: await period_id(app, ward) for ward in (FIRST, second)}
    # execute: a reminder day, then a digest day after the deadline
    clock.set(datetime(2025, 11, 21, 8, 0, tzinfo=TZ))
    await jobs.plan_reminders(app.deps)
    clock.set(datetime(2025, 12, 1, 9, 0, tzinfo=TZ))
    await jobs.plan_reminders(app.deps)
    async with app.deps.sessions() as s:
        rows = list(await s.scalars(select(Delivery).order_by(Delivery.id)))
    # verify: each person heard only of their own ward's round and units
    for ward, ((head, _), (admin, _)) in people.items():
        mine = [(r.kind, r.ref_id) for r in rows if r.person_id in (head, admin)]
        assert ("reminder", periods[ward]) in mine and ("digest", periods[ward]) in mine
        assert {ref for _, ref in mine} == {periods[ward]}
        digest = next(r for r in rows if r.person_id == admin and r.kind == "digest")
        assert "Còn 5/5 đơn vị chưa nộp" in digest.payload["text"]


def test_a_big_city_digest_shows_totals_instead_of_every_ward() -> None:
    # setup: 31 wards, each with 2 tasks done in section 1
    rows = [city.WardRow(n, f"W{n}", f"phường {n}", "missing",
                         counts={"1": Counter({"done": 2})}) for n in range(1, 32)]
    view = city.CityRollup(city.RoundKey("annual", 2025), "Năm 2025", date(2025, 12, 1),
                           [("1", "Mục 1")], rows, [city.RoundKey("annual", 2025)])
    # execute
    text = city.format_rollup(view)
    # verify
    assert "• Cả 31 xã, phường: 1 62/0/0/0" in text
    assert "• phường 1:" not in text and "--xlsx" in text


async def test_admins_of_wards_that_have_not_sent_are_reminded(app: App,
                                                               clock: FixedClock) -> None:
    # setup: the first ward sent its report, the second did not
    second = await add_ward(app)
    sender, sender_account = await person_in(app, FIRST, Role.ADMIN)
    late, _ = await person_in(app, second, Role.ADMIN)
    await write_parts(app, FIRST, sender)
    await Talk(app, sender_account).say("/guithanhpho NAM-2025")
    # execute: a reminder day (D−5) at 08:00, the sweep twice
    clock.set(datetime(2025, 11, 21, 8, 0, tzinfo=TZ))
    first = await city.remind_wards(app.deps)
    again = await city.remind_wards(app.deps)
    async with app.deps.sessions() as s:
        rows = list(await s.scalars(select(Delivery).where(Delivery.dedupe_key.like("city-%"))))
    # verify: the second ward's admin only, once
    assert (first, again) == (1, 0)
    assert [r.person_id for r in rows] == [late]
    assert "Thành phố chưa nhận được Báo cáo năm 2025" in rows[0].payload["text"]


async def test_a_single_ward_gets_no_city_reminder(app: App, clock: FixedClock) -> None:
    await person_in(app, FIRST, Role.ADMIN)
    clock.set(datetime(2025, 11, 21, 8, 0, tzinfo=TZ))
    assert await city.remind_wards(app.deps) == 0


async def test_zalo_cost_counts_the_sending_wards_own_name(app: App) -> None:
    # setup: a ward whose name is much longer than the deployment's WARD_NAME, a tổ trưởng on
    # Zalo, and a text that fits one Zalo message only under the short name
    second = await add_ward(app, "DAI", "Đại " + "Rất Dài " * 25)
    pid, _ = await person_in(app, second, Role.GROUP_LEADER, group="TDP01")
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        await roster.bind_account(s, pid, ChatRef(Platform.ZALO, "z-dai"), "z-dai", "tt", now)
        row = Broadcast(ward_id=second, text="x", audience="all_groups", group_ids=[],
                        file_path="", status="done", created_at=now)
        short = bs.message_for(row, Platform.ZALO, bs.ward_of(app.deps))
        row.text = "x" * (2000 - len(render_plain(short)) - 5)
        s.add(row)
        await s.flush()
        assert bs.zalo_parts(bs.message_for(row, Platform.ZALO, bs.ward_of(app.deps))) == 1
        # act
        plan = await bs.plan_run(s, app.deps, row)
    # assert: the run is priced with the ward's own (longer) header: two parts, not one
    assert plan.zalo_messages == 2
