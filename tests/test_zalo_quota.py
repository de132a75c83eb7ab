"""Zalo outbound: the monthly quota (warning at 80 %, exhaustion, next month), error mapping
of ZaloMessenger, a polling loop that survives failures, and `bot run` serving Zalo."""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.commands.run import run
from core.ports import FixedClock
from core.types import ChatRef, Outcome, OutFile, Platform, Reply, Role
from storage import quota, roster
from storage.models import Delivery, Person
from tests.conftest import TZ, make_settings
from tests.factories import Talk, make_person
from tests.fake_zalo import TOKEN, FakeZalo
from tests.ward_helpers import FIRST, add_ward, person_in
from tests.zalo_harness import ZaloRig, ZaloUser, free_port, open_rig

HEAD = ChatRef(Platform.ZALO, "zalo-head")


@pytest.fixture
def fake(fake_zalo: FakeZalo) -> FakeZalo:
    return fake_zalo


@pytest.fixture
async def small_quota(db_url: str, tmp_path: Path, clock: FixedClock,
                      fake: FakeZalo) -> AsyncIterator[ZaloRig]:
    opened = await open_rig(db_url, tmp_path, clock, fake, zalo_monthly_quota=10)
    try:
        yield opened
    finally:
        await opened.close()


async def notices(rig: ZaloRig) -> list[tuple[str, str, str]]:
    async with rig.app.deps.sessions() as s:
        rows = await s.scalars(select(Delivery).order_by(Delivery.id))
        return [(r.dedupe_key, r.platform, r.payload["text"]) for r in rows]


async def used(rig: ZaloRig) -> int:
    async with rig.app.deps.sessions() as s:
        state = await quota.usage(s, Platform.ZALO, rig.app.deps.clock.now(), TZ, 10)
    return state.used


async def test_warning_at_80_percent_then_exhaustion(small_quota: ZaloRig, fake: FakeZalo,
                                                     clock: FixedClock) -> None:
    # setup: one admin reachable on Telegram (preferred), one only on Zalo
    rig = small_quota
    tg_admin, tg_account = await make_person(rig.app, Role.ADMIN, platform=Platform.TELEGRAM)
    zalo_admin, _ = await make_person(rig.app, Role.ADMIN, platform=Platform.ZALO,
                                      account="zalo-admin")
    await make_person(rig.app, Role.UNIT_HEAD, unit="VP", platform=Platform.ZALO,
                      account="zalo-head")
    messenger = rig.channel.messenger
    # execute: 7 bot-initiated messages, then the 8th crosses 80 %
    for _ in range(7):
        assert (await messenger.send(HEAD, Reply("Nhắc hạn báo cáo"))).outcome is Outcome.SENT
    before_warning = await notices(rig)
    await messenger.send(HEAD, Reply("Nhắc hạn báo cáo"))
    warnings = await notices(rig)
    summary = await Talk(rig.app, tg_account, Platform.TELEGRAM).say("/tonghop NAM-2025")
    # verify
    assert before_warning == []
    assert [(k, p) for k, p, _ in warnings] == [
        (f"quota-warn:2025-11:{tg_admin}", "telegram"),
        (f"quota-warn:2025-11:{zalo_admin}", "zalo")]
    assert "8/10" in warnings[0][2] and "80%" in warnings[0][2]
    quota_line = "Hạn mức tin nhắn Zalo tháng 11/2025: đã dùng 8/10, còn 2."
    assert quota_line in "\n".join(r.text for r in summary)


async def test_exhausted_quota_holds_proactive_sends_but_not_replies(
        small_quota: ZaloRig, fake: FakeZalo, clock: FixedClock) -> None:
    # setup
    rig = small_quota
    tg_admin, _ = await make_person(rig.app, Role.ADMIN, platform=Platform.TELEGRAM)
    await make_person(rig.app, Role.UNIT_HEAD, unit="VP", platform=Platform.ZALO,
                      account="zalo-head")
    messenger = rig.channel.messenger
    for _ in range(10):
        await messenger.send(HEAD, Reply("Nhắc hạn"))
    sent_before = len(fake.sent)
    # execute
    held = await messenger.send(HEAD, Reply("Nhắc hạn"))
    held_again = await messenger.send(HEAD, Reply("Nhắc hạn"))
    answer = await ZaloUser(rig, "zalo-head").say("/tiendo")
    clock.set(datetime(2025, 12, 1, 0, 0, tzinfo=TZ))
    next_month = await messenger.send(HEAD, Reply("Nhắc hạn tháng mới"))
    # verify: held until 01/12/2025 00:00 local; the person's own question is still answered
    assert held.outcome is Outcome.RETRY and held_again.outcome is Outcome.RETRY
    assert held.retry_after_s == (13 * 24 + 15) * 3600
    assert len(answer) == 1 and "Tiến độ báo cáo" in answer[0]
    assert len(fake.sent) == sent_before + 2  # the reply, then next month's reminder
    assert next_month.outcome is Outcome.SENT
    exhausted = [(k, p, t) for k, p, t in await notices(rig) if k.startswith("quota-exhausted")]
    assert [(k, p) for k, p, _ in exhausted] == [(f"quota-exhausted:2025-11:{tg_admin}",
                                                 "telegram")]
    assert "01/12/2025" in exhausted[0][2]


async def test_a_send_that_does_not_fit_is_held_whole(small_quota: ZaloRig,
                                                      fake: FakeZalo) -> None:
    # setup: 9 used, a 3-part message would overrun
    rig = small_quota
    for _ in range(9):
        await rig.channel.messenger.send(HEAD, Reply("x"))
    # execute
    result = await rig.channel.messenger.send(HEAD, Reply("Đoạn văn dài.\n\n" * 400))
    # verify
    assert result.outcome is Outcome.RETRY and len(fake.sent) == 9 and await used(rig) == 9


@pytest.mark.parametrize(("status", "delay", "outcome"), [
    (429, 0.0, Outcome.RETRY), (500, 0.0, Outcome.RETRY), (503, 0.0, Outcome.RETRY),
    (200, 1.0, Outcome.RETRY),  # a timeout
    (401, 0.0, Outcome.RETRY),  # our token, not the recipient: never flag the person
    (400, 0.0, Outcome.GONE), (404, 0.0, Outcome.GONE),
])
async def test_messenger_maps_errors_without_raising(db_url: str, tmp_path: Path,
                                                     clock: FixedClock, fake: FakeZalo,
                                                     status: int, delay: float,
                                                     outcome: Outcome) -> None:
    # setup
    rig = await open_rig(db_url, tmp_path, clock, fake, client_timeout_s=0.3)
    fake.fail("sendMessage", status, delay_s=delay)
    # execute
    try:
        result = await rig.channel.messenger.send(HEAD, Reply("Nhắc hạn"))
    finally:
        await rig.close()
    # verify
    assert result.outcome is outcome and result.parts == 0
    assert TOKEN not in result.detail


async def test_partial_failure_counts_what_went_out(small_quota: ZaloRig,
                                                    fake: FakeZalo) -> None:
    # setup: the second of three parts hits a 500
    rig = small_quota
    fake.fail("sendMessage", 500, after=1)
    # execute
    result = await rig.channel.messenger.send(HEAD, Reply("Đoạn văn bản dài.\n\n" * 250))
    # verify: retried later (a repeated first part is accepted over a silent loss)
    assert result.outcome is Outcome.RETRY and result.parts == 1
    assert len(fake.sent) == 1 and fake.sent[0]["text"].startswith("(1/3) ")
    assert await used(rig) == 1


async def test_file_replies_say_the_file_cannot_go_over_zalo(small_quota: ZaloRig,
                                                             fake: FakeZalo,
                                                             tmp_path: Path) -> None:
    # setup
    report = OutFile(tmp_path / "bao-cao.docx", "bao-cao.docx")
    # execute
    result = await small_quota.channel.messenger.send(HEAD, Reply("Tổng hợp", file=report))
    # verify
    assert result.outcome is Outcome.SENT
    text = fake.sent[-1]["text"]
    assert "bao-cao.docx" in text and "không gửi được qua Zalo" in text


async def test_polling_survives_errors_and_goes_down_on_a_refused_token(
        db_url: str, tmp_path: Path, clock: FixedClock, fake: FakeZalo) -> None:
    # setup: three failing polls (two 500s, then a 502 HTML page)
    fake.fail("getUpdates", 500, times=2)
    fake.fail("getUpdates", 502, body="<html>Bad Gateway</html>")
    rig = await open_rig(db_url, tmp_path, clock, fake)
    try:
        # execute
        answer = await ZaloUser(rig, "zalo-guest").say("/trogiup")
        fake.fail("getUpdates", 401)
        await fake.wait_for(lambda: not rig.channel.running)
    finally:
        await rig.close()
    # verify
    assert fake.methods().count("getUpdates") >= 4 and "chưa đăng ký" in answer[0]


async def test_bot_run_serves_zalo(db_url: str, tmp_path: Path, fake: FakeZalo,
                                   caplog: pytest.LogCaptureFixture) -> None:
    # setup
    caplog.set_level(logging.DEBUG)
    settings = make_settings(db_url, tmp_path, zalo_bot_token=TOKEN,
                             zalo_api_base_url=fake.base_url, http_host="127.0.0.1",
                             http_port=free_port(), zalo_rate_per_second=1000)
    stop = asyncio.Event()
    task = asyncio.create_task(run(argparse.Namespace(), settings, stop_event=stop))
    try:
        await fake.wait_for(lambda: "getUpdates" in fake.methods(), limit_s=30)
        # execute
        fake.push_text("zalo-guest", "/trogiup")
        await fake.wait_for(lambda: bool(fake.texts_to("zalo-guest")))
    finally:
        stop.set()
        code = await asyncio.wait_for(task, 30)
    # verify
    assert code == 0 and "/dangky" in fake.texts_to("zalo-guest")[0]
    assert "zalo bot connected" in caplog.text and TOKEN not in caplog.text


async def on_telegram(rig: ZaloRig, person_id: int) -> int:
    """The person also on Telegram, where quota notices go first."""
    async with rig.app.deps.sessions.begin() as s:
        await roster.bind_account(s, person_id, ChatRef(Platform.TELEGRAM, f"tg-{person_id}"),
                                  f"tg-{person_id}", "", rig.app.deps.clock.now())
    return person_id


@pytest.mark.parametrize("with_city_staff", [True, False])
async def test_quota_notices_go_to_the_city_when_several_wards_share_the_bot(
        small_quota: ZaloRig, with_city_staff: bool) -> None:
    # setup: two wards with an admin each on Telegram; maybe the city's staff too
    rig = small_quota
    second = await add_ward(rig.app)
    first_admin = await on_telegram(rig, (await person_in(rig.app, FIRST, Role.ADMIN))[0])
    second_admin = await on_telegram(rig, (await person_in(rig.app, second, Role.ADMIN))[0])
    city_person, _ = await make_person(rig.app, Role.CITY, platform=Platform.TELEGRAM)
    if not with_city_staff:
        async with rig.app.deps.sessions.begin() as s:
            (await s.get(Person, city_person)).active = False  # type: ignore[union-attr]
    # execute: 8 of 10 messages cross the warning line
    for _ in range(8):
        await rig.channel.messenger.send(HEAD, Reply("Nhắc hạn báo cáo"))
    told = {key.rsplit(":", 1)[1] for key, _, _ in await notices(rig)}
    # verify: the city runs a shared deployment; without city staff each ward's admin hears
    expected = {city_person} if with_city_staff else {first_admin, second_admin}
    assert told == {str(person) for person in expected}
