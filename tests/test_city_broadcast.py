"""The city's broadcasts (issue 19): to every ward's admins, unit heads, or the tổ trưởng of
chosen wards, through the same /thongbao flow, headed by the city; deactivated wards and people
left out; a ward admin can neither send to a city audience nor see the city's broadcasts."""

from __future__ import annotations

from argparse import Namespace
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.app import App, open_app
from bot.commands.broadcast import broadcast as cli_broadcast
from core.ports import FixedClock
from core.texts import broadcast as t
from core.types import ChatRef, Platform, Role
from scheduler.delivery import DeliveryWorker
from services import broadcasts as bs
from services import wards as ward_service
from storage import broadcasts as repo
from storage import roster
from storage.models import Broadcast, Delivery, Person
from storage.scoping import use_ward
from tests.broadcast_helpers import tick, worker_for
from tests.conftest import TZ, make_settings
from tests.factories import Talk
from tests.fake_telegram import FakeTelegram
from tests.fakes import FakeMessenger
from tests.run_harness import running_bot
from tests.ward_helpers import FIRST, add_ward, city_invite, person_in

HEADER = "📢 THÔNG BÁO CỦA UBND THÀNH PHỐ HẢI PHÒNG"
ROLES = (Role.ADMIN, Role.UNIT_HEAD, Role.GROUP_LEADER)


@dataclass
class City:
    """Two active wards and a deactivated third, each with an admin (Telegram), a unit head
    (Zalo), and tổ trưởng of TDP01 (Telegram) and TDP02 (Zalo); a registered city user."""

    second: int
    third: int
    accounts: dict[tuple[int, Role], list[str]]
    talk: Talk
    fakes: dict[Platform, FakeMessenger]
    worker: DeliveryWorker

    def of(self, role: Role, *wards: int) -> set[str]:
        return {a for ward in wards for a in self.accounts[(ward, role)]}

    def received(self) -> list[tuple[Platform, str, str]]:
        return [(platform, c.chat.chat_id, c.reply.text)
                for platform, fake in self.fakes.items() if platform is not Platform.SHELL
                for c in fake.calls]


async def city_with_wards(app: App, clock: FixedClock) -> City:
    second = await add_ward(app, "DOSON", "Đồ Sơn")
    third = await add_ward(app, "CU", "Phường Cũ")
    accounts: dict[tuple[int, Role], list[str]] = {}
    for ward in (FIRST, second, third):
        made = [(Role.ADMIN, None, None, Platform.TELEGRAM),
                (Role.UNIT_HEAD, "VP", None, Platform.ZALO),
                (Role.GROUP_LEADER, None, "TDP01", Platform.TELEGRAM),
                (Role.GROUP_LEADER, None, "TDP02", Platform.ZALO)]
        for role, unit, group, platform in made:
            _, account = await person_in(app, ward, role, unit=unit, group=group,
                                         platform=platform, name=f"{role.value} {ward} {group}")
            accounts.setdefault((ward, role), []).append(account)
    # a deactivated tổ trưởng (never reached) and one not registered yet (named in the preview)
    gone, _ = await person_in(app, FIRST, Role.GROUP_LEADER, group="TDP03", name="Đã nghỉ")
    async with app.deps.sessions.begin() as s:
        await s.execute(update(Person).where(Person.id == gone).values(active=False))
        s.add(Person(name="Chưa Đăng Ký", role=Role.GROUP_LEADER.value, ward_id=second,
                     created_at=app.deps.clock.now()))
        await ward_service.set_active(s, "CU", False)
    fakes = {p: FakeMessenger(clock) for p in (Platform.TELEGRAM, Platform.ZALO, Platform.SHELL)}
    worker = worker_for(app, clock, fakes[Platform.SHELL])
    app.deps.messengers.update(fakes)
    talk = Talk(app, "city-1")
    await talk.say(f"/dangky {await city_invite(app)}")
    assert "/thongbao – thông báo của thành phố" in talk.text, talk.text
    return City(second, third, accounts, talk, fakes, worker)


async def send_as_city(city: City, text: str, audience: str, wards: str = "") -> int:
    """/thongbao as the city: text, audience (menu number), wards, «Gửi ngay», «Xác nhận»."""
    await city.talk.say("/thongbao")
    assert "Soạn thông báo của thành phố" in city.talk.text
    await city.talk.say(text)
    assert [o.label for o in city.talk.options] == list(t.CITY_AUDIENCE_LABELS.values())
    await city.talk.say(audience)
    if wards:
        assert "DOSON – Đồ Sơn" in city.talk.text and "CU" not in city.talk.text
        await city.talk.say(wards)
    assert "XEM TRƯỚC" in city.talk.text, city.talk.text
    draft = int(city.talk.text.split("thông báo số ", 1)[1].split(" ", 1)[0])
    await city.talk.say("1")  # Gửi ngay
    await city.talk.say("1")  # Xác nhận
    return draft


@pytest.mark.parametrize(("audience", "wards", "role", "in_wards", "preview"), [
    ("1", "", Role.ADMIN, "both", "2 người ở 2 xã, phường"),
    ("2", "", Role.UNIT_HEAD, "both", "2 người ở 2 xã, phường"),
    ("3", "2", Role.GROUP_LEADER, "second", "3 người ở 1 xã, phường"),
    ("3", "tất cả", Role.GROUP_LEADER, "both", "5 người ở 2 xã, phường"),
])
async def test_each_city_audience_reaches_exactly_its_people(
        app: App, clock: FixedClock, audience: str, wards: str, role: Role, in_wards: str,
        preview: str) -> None:
    # setup
    city = await city_with_wards(app, clock)
    chosen = (FIRST, city.second) if in_wards == "both" else (city.second,)
    # execute
    draft = await send_as_city(city, "Hội nghị trực tuyến toàn thành phố sáng thứ Hai.",
                               audience, wards)
    shown = city.talk.replies
    await city.worker.drain()
    await tick(app, city.worker)
    received = city.received()
    # verify: each of the audience once, nobody else (not the deactivated ward nor person)
    assert sorted(chat for _, chat, _ in received) == sorted(city.of(role, *chosen))
    for platform, _, text in received:
        assert text.startswith(HEADER) and "UBND UBND" not in text
        assert "Hội nghị trực tuyến toàn thành phố" in text
        assert ("trả lời 1" in text) == (platform is Platform.ZALO)
    assert f"Đã đưa thông báo số {draft} vào hàng gửi" in shown[0].text
    async with app.deps.sessions() as s:
        row = await s.get(Broadcast, draft)
        assert row is not None and row.ward_id is None
    report = [c.reply.text for c in city.fakes[Platform.SHELL].calls]
    assert any(f"Kết quả gửi thông báo số {draft}" in r for r in report), report


async def test_the_preview_counts_wards_names_the_unregistered_and_prices_zalo(
        app: App, clock: FixedClock) -> None:
    # setup: a Zalo quota with 1 message left this month; the unit heads are on Zalo
    city = await city_with_wards(app, clock)
    app.deps.settings.zalo.monthly_quota = 1
    # execute: tổ trưởng of Đồ Sơn (one not registered), then unit heads beyond the quota
    await city.talk.say("/thongbao")
    await city.talk.say("Kiểm tra danh sách hộ nghèo.")
    await city.talk.say("Tổ trưởng tổ dân phố của các xã, phường được chọn")
    await city.talk.say("doson")
    groups_preview = city.talk.text
    await city.talk.say("/thongbao")
    await city.talk.say("Kiểm tra danh sách hộ nghèo.")
    await city.talk.say("2")
    heads_preview = city.talk.text
    await city.talk.say("1")  # Gửi ngay
    refused = city.talk.text
    # verify
    assert "3 người ở 1 xã, phường (Tổ trưởng tổ dân phố của: phường Đồ Sơn)" in groups_preview
    assert "1 người chưa đăng ký kênh nhắn tin nào: Chưa Đăng Ký" in groups_preview
    assert "Zalo: 1 tin nhắn (hạn mức tháng này còn 1 tin)" in groups_preview
    assert HEADER in groups_preview and "Gửi khi nào?" in groups_preview
    assert "Zalo: 2 tin nhắn (hạn mức tháng này còn 1 tin)" in heads_preview
    assert t.QUOTA_REFUSED.format(needed=2, remaining=1) in refused
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Delivery)) == 0


async def test_unknown_ward_is_named_and_the_step_waits(app: App, clock: FixedClock) -> None:
    # setup
    city = await city_with_wards(app, clock)
    await city.talk.say("/thongbao")
    await city.talk.say("Thông báo.")
    await city.talk.say("3")
    # execute: an unknown code, the deactivated ward's code, then a good one
    await city.talk.say("DOSON, KHONGCO")
    unknown = city.talk.text
    await city.talk.say("CU")
    deactivated = city.talk.text
    await city.talk.say("DOSON")
    # verify
    assert "Không tìm thấy xã, phường đang hoạt động: KHONGCO." in unknown
    assert "Không tìm thấy xã, phường đang hoạt động: CU." in deactivated
    assert "XEM TRƯỚC" in city.talk.text


async def test_a_ward_admin_cannot_send_to_a_city_audience(app: App, clock: FixedClock,
                                                           tmp_path: Path) -> None:
    # setup
    city = await city_with_wards(app, clock)
    admin = Talk(app, city.accounts[(FIRST, Role.ADMIN)][0], Platform.TELEGRAM)
    await admin.say("/thongbao")
    await admin.say("Họp tổ dân phố.")
    # execute: the city's audience typed at the audience step; then the service asked directly
    await admin.say("Cán bộ quản trị của tất cả xã, phường")
    refused = admin.text
    async with app.deps.sessions.begin() as s:
        use_ward(s, FIRST)
        row = await repo.create(s, text="x", audience="city_admins", group_ids=[],
                                created_by=None, now=app.deps.clock.now())
        with pytest.raises(bs.BroadcastRefused) as launched:
            await bs.launch(s, app.deps, row, app.deps.clock.now(), actor=None)
        await s.rollback()
    # verify: clear words, the menu still on offer, nothing queued
    assert refused.startswith("Chỉ cán bộ cấp thành phố mới gửi được thông báo tới «Cán bộ")
    assert [o.label for o in admin.options] == list(t.AUDIENCE_LABELS.values())
    assert "Chỉ cán bộ cấp thành phố" in str(launched.value)
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Delivery)) == 0
        assert await s.scalar(select(func.count()).select_from(Broadcast)
                              .where(Broadcast.audience.like("city%"))) == 0


async def test_city_and_ward_lists_stay_apart_and_acknowledgements_count(
        app: App, clock: FixedClock) -> None:
    # setup: the city announces to every ward's admins; the first ward's admin to its tổ trưởng
    city = await city_with_wards(app, clock)
    first_admin = Talk(app, city.accounts[(FIRST, Role.ADMIN)][0], Platform.TELEGRAM)
    second_admin = Talk(app, city.accounts[(city.second, Role.ADMIN)][0], Platform.TELEGRAM)
    city_id = await send_as_city(city, "Nộp báo cáo trước ngày 28/11.", "1")
    await first_admin.say("/thongbao")
    await first_admin.say("Họp tổ dân phố.")
    await first_admin.say("1")
    ward_id = int(first_admin.text.split("thông báo số ", 1)[1].split(" ", 1)[0])
    await first_admin.say("1")
    await first_admin.say("1")
    await city.worker.drain()
    # execute: the first ward's admin acknowledges the city's by typing "1"
    acked = await first_admin.say("1")
    await first_admin.say("/tinhtrang")
    ward_list = first_admin.text
    ward_tries = [await first_admin.say(f"/{c} {city_id}") for c in ("tinhtrang", "guilai")]
    await city.talk.say("/tinhtrang")
    city_list = city.talk.text
    await city.talk.say(f"/tinhtrang {city_id}")
    detail = city.talk.text
    await city.talk.say(f"/tinhtrang {ward_id}")
    city_on_ward = city.talk.text
    await city.talk.say(f"/guilai {city_id}")
    resent = city.talk.text
    await city.worker.drain()
    # verify
    assert t.ACK_THANKS.format(id=city_id) in acked[0].text
    assert f"Số {ward_id}," in ward_list and f"Số {city_id}," not in ward_list
    assert [r[0].text for r in ward_tries] == [t.NOT_FOUND.format(id=city_id)] * 2
    assert f"Số {city_id}," in city_list and f"Số {ward_id}," not in city_list
    assert "Người nhận: 2; đã gửi tới: 2; đã xác nhận: 1" in detail
    assert city_on_ward == t.NOT_FOUND.format(id=ward_id)
    assert t.RESENT.format(id=city_id, people=1, messages=1) == resent
    again = city.fakes[Platform.TELEGRAM].sent_to(second_admin.account)
    assert len(again) == 2 and again[1].text.startswith(t.RESEND_PREFIX + HEADER)
    async with app.deps.sessions() as s:  # a ward's session never sees the city's row
        use_ward(s, FIRST)
        assert await repo.get(s, city_id) is None and await repo.get(s, ward_id) is not None


async def test_the_city_schedules_edits_and_cancels_its_own(app: App, clock: FixedClock) -> None:
    # setup
    city = await city_with_wards(app, clock)
    admin = Talk(app, city.accounts[(FIRST, Role.ADMIN)][0], Platform.TELEGRAM)
    await city.talk.say("/thongbao")
    await city.talk.say("Lịch tiếp dân tuần sau.")
    await city.talk.say("2")
    draft = int(city.talk.text.split("thông báo số ", 1)[1].split(" ", 1)[0])
    await city.talk.say("2")  # Hẹn ngày giờ gửi
    await city.talk.say("05/12/2025 08:00")
    await city.talk.say("1")
    scheduled = city.talk.text
    # execute
    await city.talk.say("/lichgui")
    city_schedule = city.talk.text
    await admin.say("/lichgui")
    ward_schedule = admin.text
    await admin.say(f"/huytb {draft}")
    ward_cancel = admin.text
    await city.talk.say(f"/suatb {draft}")
    await city.talk.say("Lịch tiếp dân tuần sau (đã sửa).")
    edited = city.talk.text
    clock.set(datetime(2025, 12, 5, 8, 1, tzinfo=TZ))
    await tick(app, city.worker)
    # verify
    assert t.SCHEDULED.format(id=draft, when="08:00 05/12/2025") == scheduled
    assert f"Số {draft}" in city_schedule and t.CITY_AUDIENCE_LABELS["city_unit_heads"] \
        in city_schedule
    assert ward_schedule == t.SCHEDULED_NONE
    assert ward_cancel == t.NOT_FOUND.format(id=draft)
    assert edited.startswith(t.EDITED.format(id=draft, when="").split(";")[0])
    received = city.received()
    assert sorted(chat for _, chat, _ in received) == sorted(
        city.of(Role.UNIT_HEAD, FIRST, city.second))
    assert all("(đã sửa)" in text for _, _, text in received)


async def test_the_cli_sends_the_citys_broadcast_without_a_ward(
        app: App, clock: FixedClock, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # setup
    city = await city_with_wards(app, clock)
    notice = tmp_path / "tb.txt"
    notice.write_text("Tổng vệ sinh môi trường sáng Chủ nhật.", "utf-8")

    def args(audience: str, wards: str = "", *, as_city: bool = True) -> Namespace:
        return Namespace(file=notice, audience=audience, wards=wards, city=as_city, at=None,
                         remind_after=None)

    # execute
    unknown = await cli_broadcast(args("city_groups", "DOSON,NOPE"), app.settings)
    unknown_err = capsys.readouterr().err
    no_city = await cli_broadcast(args("city_admins", as_city=False), app.settings)
    no_city_err = capsys.readouterr().err
    ward_audience = await cli_broadcast(args("all_groups"), app.settings)
    ward_err = capsys.readouterr().err
    sent = await cli_broadcast(args("city_groups", "DOSON"), app.settings)
    out = capsys.readouterr().out
    clock.set(datetime.now(TZ) + timedelta(minutes=1))  # the command queued at its own clock
    await city.worker.drain()
    # verify
    assert (unknown, no_city, ward_audience, sent) == (2, 2, 2, 0)
    assert "NOPE" in unknown_err and "DOSON" in unknown_err.split("Các mã:")[1]
    assert "thêm --city" in no_city_err and "city_admins" in ward_err
    assert "tới 2 người" in out
    received = city.received()
    assert sorted(chat for _, chat, _ in received) == sorted(
        city.of(Role.GROUP_LEADER, city.second))
    assert all(text.startswith(HEADER) for _, _, text in received)
    async with app.deps.sessions() as s:
        rows = list(await s.scalars(select(Broadcast)))
    assert [(r.ward_id, r.audience, r.ward_ids) for r in rows] == [
        (None, "city_groups", [city.second])]


async def test_a_city_broadcast_over_telegram_with_buttons(sqlite_url: str, tmp_path: Path,
                                                           clock: FixedClock) -> None:
    """The whole flow through the fake Telegram Bot API and `run`: the city presses its way
    through /thongbao, both active wards' admins get the message, one presses «Đã nhận»."""
    # setup: an admin on Telegram in each of two active wards and in a deactivated third
    telegram = FakeTelegram()
    await telegram.start()
    settings = make_settings(sqlite_url, tmp_path, **telegram.settings(),
                             http_host="127.0.0.1", http_port=0)
    app = await open_app(settings, clock)
    admins = {}
    try:
        second, third = await add_ward(app), await add_ward(app, "CU", "Phường Cũ")
        for chat, ward in ((7101, FIRST), (7102, second), (7103, third)):
            pid, _ = await person_in(app, ward, Role.ADMIN, name=f"Quản trị {ward}")
            async with app.deps.sessions.begin() as s:
                await roster.bind_account(s, pid, ChatRef(Platform.TELEGRAM, str(chat)),
                                          str(chat), "", clock.now())
            admins[ward] = chat
        async with app.deps.sessions.begin() as s:
            await ward_service.set_active(s, "CU", False)
        code = await city_invite(app, days=3650)  # used on today's real clock
    finally:
        await app.close()
    city_chat = 7100

    async def said(chat: int, words: str) -> None:
        await telegram.wait_for(lambda: any(words in x for x in telegram.texts(chat)), 15)

    async def offered(chat: int, label: str) -> None:
        await telegram.wait_for(lambda: any(label in b for b, _ in telegram.buttons(chat)), 15)

    try:
        # execute
        async with running_bot(settings):
            telegram.push_text(city_chat, f"/start {code}")
            await said(city_chat, "Đăng ký thành công")
            telegram.push_text(city_chat, "/thongbao")
            await said(city_chat, "Soạn thông báo của thành phố")
            telegram.push_text(city_chat, "Giao ban trực tuyến 14h thứ Tư.")
            await offered(city_chat, "Cán bộ quản trị")
            telegram.press(city_chat, "Cán bộ quản trị")
            await offered(city_chat, t.WHEN_NOW)
            telegram.press(city_chat, t.WHEN_NOW)
            await offered(city_chat, t.CONFIRM_YES)
            telegram.press(city_chat, t.CONFIRM_YES)
            await said(city_chat, "vào hàng gửi")
            for ward in (FIRST, second):
                await said(admins[ward], HEADER)
            telegram.press(admins[FIRST], t.ACK_LABEL)
            await said(admins[FIRST], "Cảm ơn đồng chí đã xác nhận")
            queued = next(x for x in telegram.texts(city_chat) if "vào hàng gửi" in x)
            number = queued.split("thông báo số ", 1)[1].split(" ", 1)[0]
            telegram.push_text(city_chat, f"/tinhtrang {number}")
            await said(city_chat, "Người nhận: 2")
    finally:
        await telegram.stop()
    # verify
    preview = next(x for x in telegram.texts(city_chat) if "XEM TRƯỚC" in x)
    assert "2 người ở 2 xã, phường" in preview
    for ward in (FIRST, second):
        got = [x for x in telegram.texts(admins[ward]) if HEADER in x]
        assert len(got) == 1 and "Giao ban trực tuyến" in got[0]
    assert telegram.texts(admins[third]) == []
    status = next(x for x in telegram.texts(city_chat) if "Người nhận: 2" in x)
    assert "đã xác nhận: 1" in status
