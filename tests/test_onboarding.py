"""Invites: one-time, expiring, hashed, rate-limited; registration in several spellings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from core import texts
from core.ports import FixedClock
from core.texts import flows as t
from core.types import Platform, Role
from storage import invites, roster
from storage.models import Invite
from tests.factories import Talk, make_person


async def new_invite(app: App, role: Role = Role.UNIT_HEAD, unit: str | None = "VP",
                     person_id: int | None = None) -> str:
    async with app.deps.sessions.begin() as s:
        unit_row = await roster.unit_by_code(s, unit) if unit else None
        invite = await invites.create_invite(
            s, role=role.value, now=app.deps.clock.now(), ttl=timedelta(days=7),
            unit_id=unit_row.id if unit_row else None, person_id=person_id, name="Lê Văn Tâm")
    return invite.code


async def test_codes_are_random_unambiguous_and_stored_hashed(app: App) -> None:
    code = await new_invite(app)
    assert len(code) >= 8 and not set(code) & set("0O1IL")
    async with app.deps.sessions() as s:
        stored = list(await s.scalars(select(Invite.code_hash)))
    assert code not in stored[0] and stored[0] == invites.hash_code(code)


async def test_register_by_slash_command_and_by_unaccented_words(app: App) -> None:
    first, second = await new_invite(app), await new_invite(app)
    await Talk(app, "tg-1", Platform.TELEGRAM).say(f"/dangky {first}")
    talk = Talk(app, "zalo-1", Platform.ZALO)
    await talk.say(f"dang ky {second.lower()}")
    assert "Đăng ký thành công" in talk.text and "Lê Văn Tâm" in talk.text
    await talk.say("/baocao")
    assert "kỳ nào" in talk.text


async def test_deep_link_start_code_registers(app: App) -> None:
    code = await new_invite(app, Role.ADMIN, unit=None)
    talk = Talk(app, "tg-2", Platform.TELEGRAM)
    await talk.say(f"/start {code}")
    assert "Đăng ký thành công" in talk.text
    await talk.say("/tonghop NAM-2025")
    assert "TỔNG HỢP BÁO CÁO" in talk.text


async def test_code_is_single_use(app: App) -> None:
    code = await new_invite(app)
    await Talk(app, "a").say(f"/dangky {code}")
    other = Talk(app, "b")
    await other.say(f"/dangky {code}")
    assert other.text == t.CODE_PROBLEMS["used"]
    await other.say("/baocao")
    assert other.text == texts.NOT_REGISTERED


async def test_code_expires(app: App, clock: FixedClock) -> None:
    code = await new_invite(app)
    clock.advance(timedelta(days=7, seconds=1))
    talk = Talk(app, "late")
    await talk.say(f"/dangky {code}")
    assert talk.text == t.CODE_PROBLEMS["expired"]


async def test_wrong_codes_are_rate_limited_per_account(app: App, clock: FixedClock) -> None:
    code = await new_invite(app)
    talk = Talk(app, "guesser")
    for _ in range(5):
        await talk.say("/dangky AAAAAAAAAA")
        assert talk.text == t.CODE_PROBLEMS["unknown"]
    await talk.say(f"/dangky {code}")  # even the right code is refused for now
    assert talk.text == t.TOO_MANY_ATTEMPTS
    await Talk(app, "someone-else").say("/trogiup")  # other accounts are not affected
    clock.advance(timedelta(hours=1, minutes=1))
    await talk.say(f"/dangky {code}")
    assert "Đăng ký thành công" in talk.text


async def test_dangky_without_code_asks_for_it(app: App) -> None:
    code = await new_invite(app)
    talk = Talk(app, "asker")
    await talk.say("/dangky")
    assert talk.text == t.ASK_CODE
    await talk.say(code)
    assert "Đăng ký thành công" in talk.text


async def test_unregistered_people_get_a_polite_explanation(app: App) -> None:
    talk = Talk(app, "new")
    await talk.say("xin chào")
    assert talk.text == texts.NOT_REGISTERED
    await talk.say("/start")
    assert talk.text == t.WELCOME_GUEST


async def test_second_messenger_account_stays_one_person(app: App) -> None:
    person_id, _ = await make_person(app, Role.UNIT_HEAD, unit="VP", platform=Platform.TELEGRAM)
    code = await new_invite(app, person_id=person_id)
    talk = Talk(app, "zalo-77", Platform.ZALO)
    await talk.say(f"/dangky {code}")
    async with app.deps.sessions() as s:
        caller = await roster.caller_for(s, Platform.ZALO, "zalo-77")
        chats = await roster.chats_of(s, [person_id])
    assert caller is not None and caller.person_id == person_id
    assert sorted(c.platform for c in chats[person_id]) == [Platform.TELEGRAM, Platform.ZALO]


async def test_admin_creates_an_invite_in_chat(app: App) -> None:
    _, account = await make_person(app, Role.ADMIN, unit="VHXH")
    talk = Talk(app, account)
    await talk.say("/moi")
    await talk.say("to truong to dan pho")
    await talk.say("Tổ dân phố số 3")
    await talk.say("Phạm Thị Lan")
    code = talk.text.split("Đã tạo mã mời: ")[1].split()[0]
    member = Talk(app, "lan")
    await member.say(f"/dangky {code}")
    assert "Phạm Thị Lan" in member.text and "Tổ trưởng" in member.text


async def test_a_bare_code_pasted_alone_registers(app: App) -> None:
    code = await new_invite(app)
    talk = Talk(app, "paster", Platform.ZALO)
    await talk.say(f" {code[:5]}-{code[5:]} ")
    assert "Đăng ký thành công" in talk.text


async def test_an_invite_takes_the_unit_by_its_code(app: App) -> None:
    _, account = await make_person(app, Role.ADMIN, unit="VHXH")
    talk = Talk(app, account)
    await talk.say("/moi")
    await talk.say("thu truong")
    assert any(o.label == "KTHTDT – Phòng Kinh tế, Hạ tầng và Đô thị" for o in talk.options)
    await talk.say("kthtdt")  # the unit's code, as in the broadcast's group list
    assert "Họ và tên" in talk.text
    await talk.say("Đỗ Văn Kiên")
    code = talk.text.split("Đã tạo mã mời: ")[1].split()[0]
    member = Talk(app, "kien")
    await member.say(f"/dangky {code}")
    assert "Đỗ Văn Kiên" in member.text
    async with app.deps.sessions() as s:
        caller = await roster.caller_for(s, Platform.SHELL, "kien")
        unit = await roster.unit_by_code(s, "KTHTDT")
    assert caller is not None and unit is not None and caller.unit_id == unit.id
