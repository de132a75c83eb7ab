"""Reminders and digests over a whole period with an injected clock, restarts, /lich, /nhacnho
and /khoaky (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.app import App, open_app
from core.ports import FixedClock
from core.settings import Settings
from core.types import ChatRef, Platform, Role
from scheduler import jobs
from scheduler.delivery import DeliveryWorker
from storage import deliveries, entries, plans, roster
from storage.models import Delivery, Period
from tests.conftest import TZ
from tests.factories import Talk, make_person
from tests.fakes import FakeMessenger, FakeTime

NAM = "NAM-2025"  # due before 01/12/2025: deadline Fri 28/11/2025


@dataclass
class Ward:
    telegram: FakeMessenger
    zalo: FakeMessenger
    worker: DeliveryWorker
    period_ids: dict[str, int]


async def wire(app: App, clock: FixedClock) -> Ward:
    """Fake messengers on both platforms and a worker whose sleeps move the clock."""
    telegram, zalo = FakeMessenger(clock), FakeMessenger(clock)
    app.deps.messengers[Platform.TELEGRAM] = telegram
    app.deps.messengers[Platform.ZALO] = zalo
    fake_time = FakeTime(clock)
    worker = DeliveryWorker(app.deps, sleep=fake_time.sleep, monotonic=fake_time.monotonic,
                            jitter=lambda: 0.5)
    async with app.deps.sessions() as s:
        ids = {p.code: p.id for p in await plans.all_periods(s)}
    return Ward(telegram, zalo, worker, ids)


async def populate(app: App) -> None:
    """VP head on Telegram and Zalo, KTHTDT head on Zalo, an admin of VHXH on Telegram.
    TTSNC and TTPVHCC have nobody registered. The 9-month round is closed."""
    vp, _ = await make_person(app, Role.UNIT_HEAD, unit="VP", name="Trần Văn Ba",
                              platform=Platform.TELEGRAM, account="tg-vp")
    await make_person(app, Role.UNIT_HEAD, unit="KTHTDT", name="Lê Thị Cúc",
                      platform=Platform.ZALO, account="zl-kt")
    await make_person(app, Role.ADMIN, unit="VHXH", name="Nguyễn Thị Hoa",
                      platform=Platform.TELEGRAM, account="tg-admin")
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        await roster.bind_account(s, vp, ChatRef(Platform.ZALO, "zl-vp"), "zl-vp", "Ba", now)
        nine = await s.scalar(select(Period).where(Period.code == "9T-2025"))
        assert nine is not None
        nine.closed_at = now


async def submit(app: App, ward: Ward, unit_code: str) -> None:
    async with app.deps.sessions.begin() as s:
        unit = await roster.unit_by_code(s, unit_code)
        assert unit is not None
        await entries.submit(s, period_id=ward.period_ids[NAM], unit_id=unit.id, person_id=1,
                             now=app.deps.clock.now(), late=False)


async def tick(app: App, ward: Ward) -> None:
    await jobs.sweep(app.deps)
    await ward.worker.drain()


def received(ward: Ward) -> list[tuple[str, str, str]]:
    """(local send minute, chat, first words) of everything delivered."""
    calls = [c for m in (ward.telegram, ward.zalo) for c in m.calls if c.result.outcome == "sent"]
    calls.sort(key=lambda c: (c.at.replace(second=0, microsecond=0), c.chat.chat_id))
    return [(f"{c.at.astimezone(TZ):%a %d/%m %H:%M}", c.chat.chat_id,
             "digest" if "Tổng hợp ngày" in c.reply.text else "reminder") for c in calls]


async def test_whole_period_from_t_minus_7_to_t_plus_3(app: App, clock: FixedClock) -> None:
    # setup
    ward = await wire(app, clock)
    await populate(app)
    start = datetime(2025, 11, 19, 0, 0, tzinfo=TZ)  # Wed: D−7 working days
    # execute: every hour until the end of Wed 03/12 (the third working day after D)
    for hour in range(15 * 24):
        clock.set(start + timedelta(hours=hour))
        if clock.now().astimezone(TZ) == datetime(2025, 11, 26, 10, tzinfo=TZ):
            await submit(app, ward, "VP")  # after the D−2 reminder went out at 08:00
        await tick(app, ward)
    # verify
    four = ["tg-admin", "tg-vp", "zl-kt", "zl-vp"]
    expected = (
        [("Fri 21/11 08:00", chat, "reminder") for chat in four]
        + [("Wed 26/11 08:00", chat, "reminder") for chat in four]
        + [("Thu 27/11 08:00", chat, "reminder") for chat in ("tg-admin", "zl-kt")]
        + [("Fri 28/11 08:00", chat, "reminder") for chat in ("tg-admin", "zl-kt")]
        + [(f"{day} 08:00", "tg-admin", "digest") for day in ("Mon 01/12", "Tue 02/12",
                                                               "Wed 03/12")]
    )
    assert received(ward) == expected
    first = ward.zalo.sent_to("zl-kt")[0]
    assert "Kính gửi đồng chí Lê Thị Cúc" in first.text
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in first.text
    assert "thứ Sáu, 28/11/2025 (còn 5 ngày làm việc)" in first.text
    assert "còn 23/23 nhiệm vụ chưa báo cáo: 1.1, 1.2" in first.text
    assert [(o.id, o.label) for o in first.options] == [("cmd:baocao:NAM-2025", "Báo cáo ngay")]
    assert "hôm nay là hạn cuối" in ward.zalo.sent_to("zl-kt")[-1].text
    digest = ward.telegram.sent_to("tg-admin")[-1].text
    assert "Còn 4/5 đơn vị chưa nộp báo cáo" in digest
    assert "Văn phòng HĐND và UBND" not in digest and "Trung tâm Sự nghiệp công" in digest


async def test_reminder_menu_answers_by_number_on_zalo(app: App, clock: FixedClock) -> None:
    # setup
    ward = await wire(app, clock)
    await populate(app)
    clock.set(datetime(2025, 11, 21, 8, 0, tzinfo=TZ))
    await tick(app, ward)
    # execute: Zalo has no buttons, the head types "1" for "Báo cáo ngay"
    talk = Talk(app, "zl-kt", Platform.ZALO)
    await talk.say("1")
    # verify
    assert "0/23" in talk.text  # the report flow opened on the annual 2025 round


async def test_no_reminder_to_a_unit_that_has_submitted(app: App, clock: FixedClock) -> None:
    # setup
    ward = await wire(app, clock)
    await populate(app)
    await submit(app, ward, "KTHTDT")
    # execute
    for day in (21, 26, 27, 28):
        clock.set(datetime(2025, 11, day, 8, 0, tzinfo=TZ))
        await tick(app, ward)
    # verify
    assert ward.zalo.sent_to("zl-kt") == []
    assert len(ward.zalo.sent_to("zl-vp")) == 4


async def test_closing_the_period_stops_digests(app: App, clock: FixedClock) -> None:
    # setup
    ward = await wire(app, clock)
    await populate(app)
    clock.set(datetime(2025, 12, 1, 8, 0, tzinfo=TZ))
    await tick(app, ward)
    admin = Talk(app, "tg-admin", Platform.TELEGRAM)
    # execute
    await admin.say(f"/khoaky {NAM}")
    await admin.say("1")
    clock.set(datetime(2025, 12, 2, 8, 0, tzinfo=TZ))
    await tick(app, ward)
    # verify
    assert "Đã khóa Báo cáo năm 2025 (NAM-2025)" in admin.text
    assert [r for _, chat, r in received(ward) if chat == "tg-admin"] == ["digest"]


async def test_digest_stops_when_everyone_submitted(app: App, clock: FixedClock) -> None:
    # setup
    ward = await wire(app, clock)
    await populate(app)
    for code in ("VP", "KTHTDT", "VHXH", "TTSNC", "TTPVHCC"):
        await submit(app, ward, code)
    # execute
    clock.set(datetime(2025, 12, 1, 9, 0, tzinfo=TZ))
    await tick(app, ward)
    # verify
    assert received(ward) == []


async def _restart(settings: Settings, clock: FixedClock, moment: datetime) -> tuple[App, Ward]:
    clock.set(moment)
    app = await open_app(settings, clock)
    return app, await wire(app, clock)


async def test_restart_mid_period_no_duplicate_no_loss_catch_up(settings: Settings,
                                                                 clock: FixedClock) -> None:
    # setup: the first process sends D−5; on D−2 it enqueues, claims the Zalo rows, and dies
    # before sending anything
    seen: list[tuple[str, str, str]] = []
    app, ward = await _restart(settings, clock, datetime(2025, 11, 21, 8, 0, tzinfo=TZ))
    await populate(app)
    await tick(app, ward)
    clock.set(datetime(2025, 11, 26, 8, 0, tzinfo=TZ))
    await jobs.sweep(app.deps)
    async with app.deps.sessions.begin() as s:
        claimed = await deliveries.claim_due(s, Platform.ZALO, clock.now())
    seen += received(ward)
    await app.close()
    # execute: a new process on the same database; later one down over D−1 and D
    runs = [datetime(2025, 11, 26, 8, 30, tzinfo=TZ), datetime(2025, 11, 28, 10, 0, tzinfo=TZ),
            datetime(2025, 12, 1, 9, 0, tzinfo=TZ), datetime(2025, 12, 1, 9, 5, tzinfo=TZ)]
    for moment in runs:
        app, ward = await _restart(settings, clock, moment)
        await tick(app, ward)
        await tick(app, ward)
        seen += received(ward)
        await app.close()
    # verify
    assert len(claimed) == 2  # the Zalo rows of D−2 were held by the dead process
    by_chat: dict[str, list[str]] = {}
    for when, chat, kind in seen:
        by_chat.setdefault(chat, []).append(f"{when} {kind}")
    assert by_chat["zl-kt"] == ["Fri 21/11 08:00 reminder", "Wed 26/11 08:30 reminder",
                                "Fri 28/11 10:00 reminder"]
    # Telegram rows of D−2 were written but never claimed: the next process sends them.
    assert by_chat["tg-vp"] == ["Fri 21/11 08:00 reminder", "Wed 26/11 08:30 reminder",
                                "Fri 28/11 10:00 reminder"]
    assert by_chat["tg-admin"][-1] == "Mon 01/12 09:00 digest"
    assert len(by_chat["tg-admin"]) == 4  # D−5, D−2, D (D−1 was missed and skipped), digest
    app = await open_app(settings, clock)
    async with app.deps.sessions() as s:
        rows = list(await s.scalars(select(Delivery)))
    await app.close()
    assert {r.status for r in rows} == {"sent"} and {r.attempts for r in rows} == {1}
    assert not any("2025-11-27" in r.dedupe_key for r in rows)


async def test_lich_shows_deadline_and_reminder_days(app: App, clock: FixedClock) -> None:
    # setup
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    # execute
    await talk.say("lich")
    # verify
    assert "• Báo cáo năm 2025: hạn nộp thứ Sáu, 28/11/2025" in talk.text
    assert "21/11/2025, 26/11/2025, 27/11/2025, 28/11/2025" in talk.text
    assert "từ 01/12/2025" in talk.text


async def test_nhacnho_sends_now_each_time_to_missing_units_only(app: App,
                                                               clock: FixedClock) -> None:
    # setup
    ward = await wire(app, clock)
    await populate(app)
    await submit(app, ward, "VP")
    admin = Talk(app, "tg-admin", Platform.TELEGRAM)
    # execute
    await admin.say(f"/nhacnho {NAM}")
    first = admin.text
    await ward.worker.drain()
    await admin.say(f"nhac nho {NAM}")
    await ward.worker.drain()
    # verify
    assert "tới 2 tài khoản của 2 đơn vị" in first
    assert "Trung tâm Sự nghiệp công" in first  # nobody there can be reached by the bot
    assert len(ward.zalo.sent_to("zl-kt")) == 2
    assert "Phòng Văn hóa - Xã hội đề nghị" in ward.zalo.sent_to("zl-kt")[0].text
    assert ward.telegram.sent_to("tg-vp") == [] and ward.zalo.sent_to("zl-vp") == []


async def test_unit_head_cannot_use_admin_commands(app: App, clock: FixedClock) -> None:
    # setup
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    # execute
    await talk.say("/nhacnho")
    nudge = talk.text
    await talk.say("/khoaky")
    # verify
    async with app.deps.sessions() as s:
        closed = [p for p in await plans.all_periods(s) if p.closed]
    assert nudge == talk.text and closed == []


async def test_a_missed_reminder_waits_for_office_hours(app: App, clock: FixedClock) -> None:
    # setup: the bot was down on Thu 27/11 (D−1) and comes back at 20:00
    ward = await wire(app, clock)
    await populate(app)
    # execute
    clock.set(datetime(2025, 11, 27, 20, 0, tzinfo=TZ))
    await tick(app, ward)
    at_night = received(ward)
    clock.set(datetime(2025, 11, 28, 8, 0, tzinfo=TZ))
    await tick(app, ward)
    # verify: nothing at night; the deadline-day reminder in the morning, once per head
    assert at_night == []
    morning = received(ward)
    assert morning and {when for when, _, _ in morning} == {"Fri 28/11 08:00"}
    assert len(morning) == len({chat for _, chat, _ in morning})


async def test_digest_stops_after_the_configured_working_days(app: App,
                                                              clock: FixedClock) -> None:
    # setup: deadline Fri 28/11/2025; DIGEST_WORKING_DAYS is 10 by default
    ward = await wire(app, clock)
    await populate(app)
    # execute: every morning for four weeks after the deadline, nobody submits
    day = datetime(2025, 12, 1, 9, 0, tzinfo=TZ)
    while day < datetime(2025, 12, 29, tzinfo=TZ):
        clock.set(day)
        await tick(app, ward)
        day += timedelta(days=1)
    # verify: the ten working days 01/12–12/12, then silence
    digests = [when for when, chat, kind in received(ward) if chat == "tg-admin"
               and kind == "digest"]
    assert len(digests) == 10
    assert digests[0].startswith("Mon 01/12") and digests[-1].startswith("Fri 12/12")
