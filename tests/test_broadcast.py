"""Broadcasts through the real engine, the real delivery worker and a FakeMessenger."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from bot.app import App, open_app
from core.ports import FixedClock
from core.settings import Settings
from core.texts import broadcast as t
from core.types import Outcome, Platform, Role, SendResult
from tests.broadcast_helpers import admin_desk, compose, leaders, outbox_count, tick
from tests.conftest import TZ, make_settings
from tests.factories import Talk, make_person


async def test_compose_preview_send_to_50_leaders_each_once(app: App, clock: FixedClock) -> None:
    # setup
    people = await leaders(app, 50)
    admin_acc, admin, fake, worker = await admin_desk(app, clock, name="Cán bộ VHXH")
    for _, account in people[30:]:  # a transient error: these are sent on the next attempt
        fake.script(account, SendResult(Outcome.RETRY, detail="502"))
    # execute
    draft = await compose(admin, "Tuyên truyền phòng chống sốt xuất huyết.\nĐề nghị phổ biến.")
    preview = admin.replies
    await admin.say("Gửi ngay")
    confirm = admin.text
    await admin.say("Xác nhận")
    queued = admin.text
    await worker.drain()
    await tick(app, worker)
    clock.advance(timedelta(minutes=1))
    await tick(app, worker)
    await tick(app, worker)
    # verify
    assert "Tuyên truyền phòng chống sốt xuất huyết." in preview[1].text
    # the recipient's «Đã nhận» is described, not a second numbered menu above "Gửi khi nào?"
    assert preview[1].options == () and "«Đã nhận»" in preview[1].text
    assert [r.options != () for r in preview] == [False] * (len(preview) - 1) + [True]
    assert "50 người" in confirm and "50 tin nhắn" in queued
    for _, account in people:
        got = fake.sent_to(account)
        assert len(got) == 1, account
        assert preview[1].text.startswith(got[0].text)  # what they get, then the note
        assert [o.label for o in got[0].options] == ["Đã nhận"]
    report = [r.text for r in fake.sent_to(admin_acc)]
    assert report[0] == t.PROGRESS.format(id=draft, sent=30, total=50)
    assert "- Đã gửi: 50" in report[-1] and len(report) == 2


async def test_acknowledgements_counted_and_resend_only_to_non_acknowledgers(
        app: App, clock: FixedClock) -> None:
    # setup
    people = await leaders(app, 12)
    _admin_acc, admin, fake, worker = await admin_desk(app, clock)
    draft = await compose(admin, "Họp tổ dân phố tối thứ Bảy.")
    await admin.say("1")
    await admin.say("1")
    await worker.drain()
    # execute: 5 type "1" (Zalo style), 3 type "đã nhận", 4 say nothing
    for _, account in people[:5]:
        assert t.ACK_THANKS.format(id=draft) in (await Talk(app, account).say("1"))[0].text
    for _, account in people[5:8]:
        assert t.ACK_THANKS.format(id=draft) in (await Talk(app, account).say("đã nhận"))[0].text
    again = await Talk(app, people[0][1]).say(f"/danhan {draft}")
    await admin.say(f"/tinhtrang {draft}")
    detail = admin.text
    await admin.press(f"cmd:guilai:{draft}")
    resent = admin.text
    await worker.drain()
    # verify
    assert t.ACK_ALREADY.format(id=draft) in again[0].text
    assert "đã xác nhận: 8" in detail and "Chưa xác nhận (4)" in detail
    for _, account in people[8:]:
        assert f"Tổ trưởng {account}" in detail
        assert len(fake.sent_to(account)) == 2
        assert fake.sent_to(account)[1].text.startswith(t.RESEND_PREFIX)
    for _, account in people[:8]:
        assert len(fake.sent_to(account)) == 1
    assert "4 người" in resent


async def test_forged_acknowledgement_is_refused(app: App, clock: FixedClock) -> None:
    # setup
    people = await leaders(app, 3)
    _, outsider = await make_person(app, Role.UNIT_HEAD, unit="VP")
    _admin_acc, admin, _fake, worker = await admin_desk(app, clock)
    draft = await compose(admin, "Thông báo lịch tiêm chủng.")
    await admin.say("1")
    await admin.say("1")
    await worker.drain()
    # execute
    typed = await Talk(app, outsider).say(f"/danhan {draft}")
    pressed = await Talk(app, outsider).press(f"cmd:danhan:{draft}")
    other = await Talk(app, people[0][1]).say(f"/danhan {draft + 50}")
    # verify
    assert typed[0].text == t.ACK_FORGED.format(id=draft)
    assert "không hợp lệ" in pressed[0].text
    assert other[0].text == t.ACK_FORGED.format(id=draft + 50)
    admin_view = await admin.say(f"/tinhtrang {draft}")
    assert "đã xác nhận: 0" in admin_view[0].text


async def test_non_admin_cannot_broadcast_or_see_status(app: App) -> None:
    # setup
    _, leader = await make_person(app, Role.GROUP_LEADER, group="TDP01")
    _, head = await make_person(app, Role.UNIT_HEAD, unit="VP")
    # execute
    replies = [await Talk(app, acc).say(cmd) for acc in (leader, head)
               for cmd in ("/thongbao", "/tinhtrang", "/guilai 1", "/lichgui")]
    # verify
    assert all("không dành cho vai trò" in r[0].text for r in replies)
    assert await outbox_count(app) == 0


async def test_bad_input_gets_clear_answers_and_sends_nothing(app: App, clock: FixedClock) -> None:
    # setup
    await leaders(app, 2)
    _, admin_acc = await make_person(app, Role.ADMIN)
    admin = Talk(app, admin_acc)
    # execute
    await admin.say("/thongbao")
    empty = (await admin.say("   "))[0].text
    too_long = (await admin.say("Nội dung " * 400))[0].text
    await admin.say("Thông báo thử")
    nobody = (await admin.say("Tất cả thủ trưởng cơ quan, đơn vị"))[0].text
    await admin.say("Tất cả tổ trưởng tổ dân phố")
    await admin.say("Hẹn ngày giờ gửi")
    past = (await admin.say("16/11/2025 08:00"))[0].text
    garbled = (await admin.say("mai 8 giờ"))[0].text
    # verify
    assert empty == t.EMPTY_TEXT
    assert "vượt giới hạn 3500 ký tự" in too_long
    assert "Chưa có người nhận nào" in nobody
    assert "đã qua" in past and "08:00 16/11/2025" in past
    assert "không đúng dạng" in garbled
    assert await outbox_count(app) == 0


async def test_scheduled_broadcast_fires_at_local_time(app: App, clock: FixedClock) -> None:
    # setup
    people = await leaders(app, 4)
    _admin_acc, admin, fake, worker = await admin_desk(app, clock)
    await compose(admin, "Ra quân tổng vệ sinh.")
    await admin.say("Hẹn ngày giờ gửi")
    await admin.say("18/11/2025 07:30")
    await admin.say("Xác nhận")
    scheduled = admin.text
    # execute
    clock.set(datetime(2025, 11, 18, 7, 29, tzinfo=TZ))
    await tick(app, worker)
    before = len(fake.sent_to(people[0][1]))
    clock.set(datetime(2025, 11, 18, 7, 30, tzinfo=TZ))
    await tick(app, worker)
    await tick(app, worker)
    # verify
    assert "07:30 18/11/2025" in scheduled
    assert before == 0
    assert all(len(fake.sent_to(acc)) == 1 for _, acc in people)
    assert fake.calls[0].at >= datetime(2025, 11, 18, 7, 30, tzinfo=TZ)


async def test_recurring_weekly_broadcast_fires_each_monday_until_end(
        app: App, clock: FixedClock) -> None:
    # setup: now is Monday 17/11/2025 09:00 — 08:00 today has passed, so first is 24/11
    people = await leaders(app, 2)
    _admin_acc, admin, fake, worker = await admin_desk(app, clock)
    await compose(admin, "Nhắc lịch sinh hoạt tổ dân phố.")
    await admin.say("Gửi lặp lại")
    await admin.say("Hằng tuần")
    await admin.say("Thứ Hai")
    await admin.say("08:00")
    await admin.say("05/12/2025")
    confirm = admin.text
    await admin.say("Xác nhận")
    # execute
    fired = []
    for day in range(17, 17 + 21):
        for hour in (7, 8, 12):
            clock.set(datetime(2025, 11, 1, hour, 0, tzinfo=TZ) + timedelta(days=day - 1))
            count = len(fake.sent_to(people[0][1]))
            await tick(app, worker)
            if len(fake.sent_to(people[0][1])) > count:
                fired.append(clock.now().astimezone(TZ).strftime("%d/%m %H:%M"))
    # verify
    assert "lần đầu: 08:00 24/11/2025" in confirm
    assert fired == ["24/11 08:00", "01/12 08:00"]
    await admin.say("/lichgui")
    assert t.SCHEDULED_NONE in admin.text


async def test_monthly_rule_uses_last_day_of_short_months() -> None:
    # setup
    from datetime import time

    from services.broadcasts import next_occurrence

    after = datetime(2026, 1, 31, 9, 0, tzinfo=TZ)
    # execute
    first = next_occurrence("monthly", 31, time(8, 0), None, after, TZ)
    # verify
    assert first is not None and first.astimezone(TZ) == datetime(2026, 2, 28, 8, 0, tzinfo=TZ)


async def test_cancel_and_edit_scheduled_broadcasts(app: App, clock: FixedClock) -> None:
    # setup
    people = await leaders(app, 2)
    _admin_acc, admin, fake, worker = await admin_desk(app, clock)
    ids = []
    for text in ("Bản một", "Bản hai"):
        ids.append(await compose(admin, text))
        await admin.say("Hẹn ngày giờ gửi")
        await admin.say("18/11/2025 08:00")
        await admin.say("Xác nhận")
    # execute
    await admin.say("/lichgui")
    listing = admin.text
    await admin.press(f"cmd:huytb:{ids[0]}")
    cancelled = admin.text
    await admin.say("/lichgui")
    await admin.press(f"cmd:suatb:{ids[1]}")
    await admin.say("Bản hai đã sửa")
    edited = admin.text
    clock.set(datetime(2025, 11, 18, 8, 0, tzinfo=TZ))
    await tick(app, worker)
    # verify
    assert f"Số {ids[0]} " in listing and f"Số {ids[1]} " in listing
    assert cancelled == t.CANCELLED_ONE.format(id=ids[0])
    assert "Đã sửa" in edited
    got = fake.sent_to(people[0][1])
    assert len(got) == 1 and "Bản hai đã sửa" in got[0].text
    assert (await admin.say(f"/huytb {ids[0]}"))[0].text == t.NOT_EDITABLE.format(id=ids[0])


async def test_zalo_quota_refusal_says_how_many_remain(
        db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    from bot.app import open_app
    from tests.conftest import make_settings

    settings: Settings = make_settings(db_url, tmp_path, zalo_monthly_quota=30)
    app = await open_app(settings, clock)
    try:
        await leaders(app, 40, Platform.ZALO)
        _, admin_acc = await make_person(app, Role.ADMIN)
        admin = Talk(app, admin_acc)
        await compose(admin, "Thông báo dài cho tổ trưởng.")
        # execute
        refused = await admin.say("Gửi ngay")
        # verify
        assert "cần 40 tin nhắn Zalo" in refused[0].text
        assert "chỉ còn 30 tin" in refused[0].text
        assert await outbox_count(app) == 0
    finally:
        await app.close()


async def test_one_automatic_reminder_after_n_working_hours(
        db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: BROADCAST_REMIND_AFTER_HOURS=4; Monday 17/11/2025 09:00 local
    app = await open_app(make_settings(db_url, tmp_path, broadcast_remind_after_hours=4), clock)
    try:
        await _remind_once(app, clock)
    finally:
        await app.close()


async def _remind_once(app: App, clock: FixedClock) -> None:
    people = await leaders(app, 3)
    _admin_acc, admin, fake, worker = await admin_desk(app, clock)
    await compose(admin, "Lịch tiêm chủng mở rộng tháng 11.")
    await admin.say("Gửi ngay")
    await admin.say("Xác nhận")
    await tick(app, worker)
    await Talk(app, people[0][1]).say("đã nhận")
    # execute / verify: nothing before 4 working hours, one reminder after, never a second one
    clock.advance(timedelta(hours=3, minutes=30))
    await tick(app, worker)
    assert [len(fake.sent_to(acc)) for _, acc in people] == [1, 1, 1]
    clock.advance(timedelta(minutes=40))
    await tick(app, worker)
    assert [len(fake.sent_to(acc)) for _, acc in people] == [1, 2, 2]
    clock.advance(timedelta(days=2))
    await tick(app, worker)
    assert [len(fake.sent_to(acc)) for _, acc in people] == [1, 2, 2]


async def test_automatic_reminder_counts_office_hours_on_working_days_only(
        db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: sent on Friday 21/11/2025 at 16:00, reminder after 4 working hours
    clock.set(datetime(2025, 11, 21, 16, 0, tzinfo=TZ))
    app = await open_app(make_settings(db_url, tmp_path, broadcast_remind_after_hours=4), clock)
    try:
        people = await leaders(app, 2)
        _admin_acc, admin, fake, worker = await admin_desk(app, clock)
        await compose(admin, "Thông báo lịch cắt điện.")
        await admin.say("Gửi ngay")
        await admin.say("Xác nhận")
        await tick(app, worker)
        # execute / verify: the evening and the weekend do not count
        for moment in (datetime(2025, 11, 21, 21, 0), datetime(2025, 11, 23, 20, 0),
                       datetime(2025, 11, 24, 10, 30)):
            clock.set(moment.replace(tzinfo=TZ))
            await tick(app, worker)
            assert [len(fake.sent_to(acc)) for _, acc in people] == [1, 1], moment
        clock.set(datetime(2025, 11, 24, 11, 5, tzinfo=TZ))  # 16-17 Fri + 8-11 Mon = 4 hours
        await tick(app, worker)
        assert [len(fake.sent_to(acc)) for _, acc in people] == [2, 2]
    finally:
        await app.close()


async def test_status_accounts_for_every_recipient_before_and_after_delivery(
        app: App, clock: FixedClock) -> None:
    # setup: three tổ trưởng; the announcement is queued but nothing has been sent yet
    _, admin, _, worker = await admin_desk(app, clock)
    await leaders(app, 3)
    broadcast_id = await compose(admin, "Lịch họp tổ dân phố tháng 12.")
    await admin.say("1")  # Gửi ngay
    await admin.say("1")  # Xác nhận
    # execute
    await admin.say(f"/tinhtrang {broadcast_id}")
    queued = admin.text
    await tick(app, worker)
    await admin.say(f"/tinhtrang {broadcast_id}")
    delivered = admin.text
    # verify: nobody acknowledged, so it never says everyone did
    assert t.DETAIL_ALL_ACKED not in queued and t.DETAIL_ALL_ACKED not in delivered
    assert "Đang chờ gửi (3)" in queued and "Tổ trưởng tt000" in queued
    assert "Chưa xác nhận (3)" in delivered and "Đang chờ gửi" not in delivered


async def test_resend_without_a_number_offers_the_recent_announcements(
        app: App, clock: FixedClock) -> None:
    # setup: one announcement sent, nobody acknowledged
    _, admin, _, worker = await admin_desk(app, clock)
    await leaders(app, 2)
    broadcast_id = await compose(admin, "Thông báo lịch tiêm phòng.")
    await admin.say("1")
    await admin.say("1")
    await tick(app, worker)
    # execute
    await admin.say("/guilai")
    offered = admin.text, [o.label for r in admin.replies for o in r.options]
    await admin.say("1")
    resent = admin.text
    await admin.say("/trogiup")
    # verify
    assert "Gửi lại thông báo nào" in offered[0]
    assert offered[1] == [f"Thông báo số {broadcast_id}: Thông báo lịch tiêm phòng."]
    assert f"Đã gửi lại thông báo số {broadcast_id} cho 2 người" in resent
    assert "/guilai" in admin.text
