"""The Zalo channel end to end, polling and webhook: the real client, channel, engine and
database against the loopback fake Zalo API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.zalo_channel import WEBHOOK_PATH
from core import texts
from core.ports import FixedClock
from core.types import Platform, Role
from storage import entries, roster
from tests.factories import make_person
from tests.fake_zalo import FakeZalo
from tests.zalo_harness import (
    SECRET,
    ZaloRig,
    ZaloUser,
    annual_period,
    new_invite,
    open_rig,
    seed_entries,
)

MODES = ["polling", "webhook"]


@pytest.fixture
def fake(fake_zalo: FakeZalo) -> FakeZalo:
    return fake_zalo


@pytest.fixture(params=MODES)
async def rig(request: pytest.FixtureRequest, db_url: str, tmp_path: Path, clock: FixedClock,
              fake: FakeZalo) -> AsyncIterator[ZaloRig]:
    opened = await open_rig(db_url, tmp_path, clock, fake, mode=request.param)
    try:
        yield opened
    finally:
        await opened.close()


async def registered(rig: ZaloRig, user_id: str, role: Role = Role.UNIT_HEAD,
                     unit: str | None = "VP") -> ZaloUser:
    user = ZaloUser(rig, user_id)
    await user.say(f"/dangky {await new_invite(rig.app, role, unit=unit)}")
    assert "Đăng ký thành công" in user.text
    return user


async def test_start_registers_webhook_or_polls(rig: ZaloRig, fake: FakeZalo) -> None:
    # verify: getMe first; then setWebhook with the public URL and secret, or deleteWebhook + poll
    await fake.wait_for(lambda: len(fake.calls) >= 2)
    assert fake.methods()[0] == "getMe"
    if rig.app.settings.zalo.mode == "webhook":
        assert fake.webhook == {"url": rig.server_url + WEBHOOK_PATH, "secret": SECRET}
    else:
        assert fake.methods()[1] == "deleteWebhook"
        await fake.wait_for(lambda: "getUpdates" in fake.methods())
    assert rig.channel.running


async def test_registration_with_and_without_slash(rig: ZaloRig) -> None:
    # setup
    code_a = await new_invite(rig.app, Role.UNIT_HEAD, unit="VP")
    code_b = await new_invite(rig.app, Role.UNIT_HEAD, unit="CA")
    a, b = ZaloUser(rig, "zalo-a"), ZaloUser(rig, "zalo-b")
    # execute
    await a.say(f"/dangky {code_a}")
    await b.say(f"dang ky {code_b.lower()}")
    # verify: registered, and the help menu rendered as a numbered list with the hint
    assert "Đăng ký thành công" in a.text and "Đăng ký thành công" in b.text
    assert "1. Báo cáo nhiệm vụ" in a.text and texts.MENU_HINT in a.text
    async with rig.app.deps.sessions() as s:
        caller = await roster.caller_for(s, Platform.ZALO, "zalo-b")
    assert caller is not None and caller.role is Role.UNIT_HEAD


async def test_whole_report_by_numbers_and_typed_labels(rig: ZaloRig) -> None:
    # setup
    user = await registered(rig, "zalo-head")
    # execute
    await user.say("bao cao")
    assert "kỳ nào" in user.text and "1. Báo cáo" in user.text
    await user.say("1")
    assert "0/23" in user.text and "1. Mục 1 (0/3)" in user.text
    await user.say("1")
    await user.say("2")
    assert "Nhiệm vụ 1.2" in user.text and "2. Đang triển khai" in user.text
    await user.say("dang trien khai")
    await user.say("Đã xây dựng kế hoạch số 12/KH-VP")
    await user.say("Thiếu kinh phí")
    await user.say("bo qua")
    await user.say("bo qua")
    assert "Xin kiểm tra lại" in user.text and "Thiếu kinh phí" in user.text
    await user.say("luu")
    # verify
    assert "phiên bản 1" in user.text and "1/23" in user.text
    period_id, tasks = await annual_period(rig.app)
    async with rig.app.deps.sessions() as s:
        unit = await roster.unit_by_code(s, "VP")
        assert unit is not None
        saved = await entries.unit_entries(s, period_id, unit.id)
    assert list(saved) == [tasks[1]] and saved[tasks[1]].status == "in_progress"


async def test_progress_and_submit(rig: ZaloRig) -> None:
    # setup: 22 of 23 tasks already answered; the last one is answered over Zalo
    user = await registered(rig, "zalo-head")
    _, tasks = await annual_period(rig.app)
    async with rig.app.deps.sessions() as s:
        caller = await roster.caller_for(s, Platform.ZALO, "zalo-head")
    assert caller is not None
    await seed_entries(rig.app, "VP", tasks[:-1], caller.person_id)
    await user.say("/nop NAM-2025")
    assert "Chưa nộp được" in user.text
    # execute
    await user.say("/tiendo")
    progress = user.text
    for answer in ("/baocao NAM-2025", "5", "3", "khong phat sinh", "luu"):
        await user.say(answer)
    await user.say("/nop NAM-2025")
    await user.say("nop")
    # verify
    assert "22/23" in progress
    assert "Đã nộp báo cáo" in user.text


async def test_long_reply_arrives_in_numbered_parts(rig: ZaloRig) -> None:
    # setup: an admin whose unit wrote long difficulties and proposals (over 5,000 characters)
    user = await registered(rig, "zalo-admin", Role.ADMIN, unit="VP")
    async with rig.app.deps.sessions() as s:
        caller = await roster.caller_for(s, Platform.ZALO, "zalo-admin")
    assert caller is not None
    period_id, tasks = await annual_period(rig.app)
    long_text = "Khó khăn về kinh phí và nhân lực. " * 90
    await seed_entries(rig.app, "VP", tasks[:1], caller.person_id, difficulties=long_text,
                       proposals=long_text)
    async with rig.app.deps.sessions.begin() as s:  # only what a unit submitted is compiled
        await entries.submit(s, period_id=period_id, unit_id=caller.unit_id or 0,
                             person_id=caller.person_id, now=rig.app.deps.clock.now(),
                             late=False)
    # execute: the digest's first screen, then its long rest
    first = await user.say("/tonghop NAM-2025")
    assert "TỔNG HỢP BÁO CÁO" in first[0] and "Hạn mức tin nhắn Zalo tháng 11/2025" in first[-1]
    parts = await user.say("xem thêm")
    # verify
    assert sum(len(p) for p in parts) > 5000 and len(parts) >= 3
    assert all(1 <= len(p) <= 2000 for p in parts)
    assert [p.split(" ", 1)[0] for p in parts] == [f"({i}/{len(parts)})"
                                                   for i in range(1, len(parts) + 1)]
    assert any("Khó khăn về kinh phí" in p for p in parts)


async def test_sticker_and_unsupported_get_a_helpful_answer(rig: ZaloRig) -> None:
    # setup
    user = ZaloUser(rig, "zalo-guest")
    # execute
    sticker = await user.sticker()
    unsupported = await user.unsupported()
    # verify
    assert sticker == [texts.STICKER]
    assert unsupported == [texts.UNSUPPORTED]


async def test_duplicate_event_is_processed_once(rig: ZaloRig, fake: FakeZalo) -> None:
    # setup
    user = await registered(rig, "zalo-head")
    update = fake.make_update("zalo-head", "message.text.received", text="/tiendo")
    before = len(fake.texts_to("zalo-head"))
    target = rig.channel.handled + 3
    # execute: the same event three times, wrapped and flat
    fake.push(update)
    fake.push(update, flat=True)
    fake.push(update)
    await fake.wait_for(lambda: rig.channel.handled >= target)
    # verify
    replies = fake.texts_to("zalo-head")[before:]
    assert len(replies) == 1 and "Tiến độ báo cáo" in replies[0]
    assert user.user_id == "zalo-head"


async def test_evidence_image_is_downloaded_and_recorded(rig: ZaloRig, fake: FakeZalo) -> None:
    # setup
    user = await registered(rig, "zalo-head")
    picture = b"\xff\xd8\xff\xe0" + b"anh-hoi-nghi" * 100
    url = fake.add_file("hoi-nghi.jpg", picture)
    for answer in ("/baocao NAM-2025", "1", "1", "3", "Đã tổ chức hội nghị", "bo qua", "bo qua"):
        await user.say(answer)
    assert "minh chứng" in user.text
    # execute
    await user.image(url, key="photo_url")
    received = user.text
    await user.say("luu")
    # verify
    assert "Đã nhận 1 tệp minh chứng" in received and "phiên bản 1" in user.text
    period_id, tasks = await annual_period(rig.app)
    async with rig.app.deps.sessions() as s:
        unit = await roster.unit_by_code(s, "VP")
        assert unit is not None
        entry = await entries.entry_for(s, period_id, unit.id, tasks[0])
    assert entry is not None and len(entry.evidence) == 1
    stored = Path(entry.evidence[0]["path"])
    assert stored.stat().st_size == len(picture) and stored.read_bytes() == picture  # noqa: ASYNC240
    assert fake.file_downloads == 1


async def test_too_large_image_is_refused(db_url: str, tmp_path: Path, clock: FixedClock,
                                          fake: FakeZalo) -> None:
    # setup: a 1 KB evidence limit
    rig = await open_rig(db_url, tmp_path, clock, fake, evidence_max_mb=0.001)
    try:
        user = await registered(rig, "zalo-head")
        url = fake.add_file("big.jpg", b"x" * 5000)
        for answer in ("/baocao NAM-2025", "1", "1", "2", "Đang làm", "bo qua", "bo qua"):
            await user.say(answer)
        # execute
        await user.image(url)
    finally:
        await rig.close()
    # verify
    assert "Tệp quá lớn" in user.text


async def test_restart_in_the_middle_of_a_conversation(db_url: str, tmp_path: Path,
                                                       clock: FixedClock, fake: FakeZalo) -> None:
    # setup: a report started, then the process stops
    first = await open_rig(db_url, tmp_path, clock, fake)
    try:
        user = await registered(first, "zalo-head")
        for answer in ("/baocao NAM-2025", "1"):
            await user.say(answer)
        assert "Chọn nhiệm vụ" in user.text
        replayed = fake.make_update("zalo-head", "message.text.received", text="1")
        await ZaloUser(first, "zalo-head")._exchange(lambda _u: fake.push(replayed))
    finally:
        await first.close()
    assert "Nhiệm vụ 1.1" in "\n".join(fake.texts_to("zalo-head"))
    # execute: a new process continues the same conversation from the database
    second = await open_rig(db_url, tmp_path, clock, fake)
    try:
        again = ZaloUser(second, "zalo-head")
        duplicate = await again._exchange(lambda _u: fake.push(replayed))
        await again.say("hoan thanh")
    finally:
        await second.close()
    # verify: Zalo redelivering an old event after the restart is still ignored
    assert duplicate == []
    assert "Kết quả thực hiện" in again.text


@pytest.mark.parametrize("header", [None, "wrong-secret-value", SECRET[:-1]])
async def test_webhook_rejects_missing_or_wrong_secret(db_url: str, tmp_path: Path,
                                                       clock: FixedClock, fake: FakeZalo,
                                                       header: str | None) -> None:
    # setup
    rig = await open_rig(db_url, tmp_path, clock, fake, mode="webhook")
    update = fake.make_update("zalo-x", "message.text.received", text="/trogiup")
    headers = {"X-Bot-Api-Secret-Token": header} if header is not None else {}
    try:
        async with aiohttp.ClientSession() as http:
            # execute
            async with http.post(rig.server_url + WEBHOOK_PATH, json=update,
                                 headers=headers) as resp:
                status = resp.status
            async with http.post(rig.server_url + WEBHOOK_PATH, data=b"{not json",
                                 headers=headers) as resp:
                garbage_status = resp.status
            async with http.post(rig.server_url + WEBHOOK_PATH, json=update,
                                 headers={"X-Bot-Api-Secret-Token": SECRET}) as resp:
                right = resp.status
        await fake.wait_for(lambda: rig.channel.handled >= 1)
    finally:
        await rig.close()
    # verify: rejected before parsing (garbage gets 403 too); the right secret is processed once
    assert (status, garbage_status, right) == (403, 403, 200)
    assert rig.channel.handled == 1 and len(fake.texts_to("zalo-x")) == 1


async def test_webhook_malformed_body_with_right_secret(db_url: str, tmp_path: Path,
                                                        clock: FixedClock,
                                                        fake: FakeZalo) -> None:
    # setup
    rig = await open_rig(db_url, tmp_path, clock, fake, mode="webhook")
    try:
        # execute
        async with aiohttp.ClientSession() as http, http.post(
                rig.server_url + WEBHOOK_PATH, data=b"{not json",
                headers={"X-Bot-Api-Secret-Token": SECRET}) as resp:
            status = resp.status
    finally:
        await rig.close()
    # verify
    assert status == 400 and fake.sent == []


async def test_zalo_and_telegram_accounts_are_one_person(db_url: str, tmp_path: Path,
                                                         clock: FixedClock,
                                                         fake: FakeZalo) -> None:
    # setup: a unit head registered on Telegram gets a new invite for their own person
    rig = await open_rig(db_url, tmp_path, clock, fake)
    try:
        person_id, _ = await make_person(rig.app, Role.UNIT_HEAD, unit="VP",
                                         platform=Platform.TELEGRAM, account="tg-77")
        code = await new_invite(rig.app, Role.UNIT_HEAD, person_id=person_id)
        _, tasks = await annual_period(rig.app)
        await seed_entries(rig.app, "VP", tasks[:3], person_id)
        user = ZaloUser(rig, "zalo-77")
        # execute
        await user.say(f"/dangky {code}")
        registered_text = user.text
        await user.say("tien do")
        async with rig.app.deps.sessions() as s:
            zalo = await roster.caller_for(s, Platform.ZALO, "zalo-77")
            chats = await roster.chats_of(s, [person_id])
    finally:
        await rig.close()
    # verify
    assert "Đăng ký thành công" in registered_text
    assert zalo is not None and zalo.person_id == person_id
    assert {c.platform for c in chats[person_id]} == {Platform.TELEGRAM, Platform.ZALO}
    assert "3/23" in user.text
