"""Composing a broadcast as an admin meets it (issue 18): the chosen tổ named, a tổ without a
registered leader flagged, an example date that is never past, no "#" and one verb."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from core.ports import FixedClock
from core.render import render_plain
from core.types import Role
from tests.broadcast_helpers import admin_desk, leaders
from tests.factories import Talk, make_person


async def test_chosen_groups_are_named_and_one_without_a_leader_is_flagged(
        app: App, clock: FixedClock) -> None:
    # setup: leaders registered in TDP01 and TDP02 only; TDP04's leader invited, not registered
    await leaders(app, 2)
    _, _admin, _fake, _worker = await admin_desk(app, clock)
    admin = _admin
    # execute
    for answer in ("/thongbao", "Họp tổ dân phố tối thứ Sáu.", "Tổ trưởng một số tổ dân phố",
                   "TDP01, 4"):
        await admin.say(answer)
    # verify
    text = admin.text
    assert "Tổ trưởng các tổ: Tổ dân phố số 1; Tổ dân phố số 4" in text
    assert "Chưa có tổ trưởng đăng ký nhận tin qua bot ở: Tổ dân phố số 4." in text
    assert "Tổ dân phố số 1." not in text.split("XEM TRƯỚC")[0]
    assert "#" not in text
    # no second numbered list before "Gửi khi nào?": one "1." in the whole preview
    shown = "\n".join(render_plain(r) for r in admin.replies)
    assert shown.count("\n1. ") == 1 and "1. Gửi ngay" in shown


async def test_the_date_example_is_tomorrow_and_8h_is_understood(
        app: App, clock: FixedClock) -> None:
    await leaders(app, 1)
    _, admin, _fake, _worker = await admin_desk(app, clock)
    clock.advance(timedelta(days=400))  # whatever the date, the example is in the future
    for answer in ("/thongbao", "Họp tổ.", "Tất cả tổ trưởng tổ dân phố", "Hẹn ngày giờ gửi"):
        await admin.say(answer)
    tomorrow = (clock.now() + timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"ví dụ {tomorrow} 08:00" in admin.text
    await admin.say(f"{tomorrow} 8h")
    assert "Xác nhận hẹn gửi thông báo số" in admin.text and f"08:00 {tomorrow}" in admin.text


async def test_acknowledgement_says_one_verb_and_the_number_in_words(
        app: App, clock: FixedClock) -> None:
    [(_, leader)] = await leaders(app, 1)
    _, admin, _fake, worker = await admin_desk(app, clock)
    for answer in ("/thongbao", "Họp tổ.", "Tất cả tổ trưởng tổ dân phố", "Gửi ngay", "1"):
        await admin.say(answer)
    await worker.drain()
    thanks = await Talk(app, leader).say("/danhan 1")
    assert thanks[0].text == "Cảm ơn đồng chí đã xác nhận thông báo số 1."


async def test_help_of_a_group_leader_and_nested_brackets(app: App) -> None:
    _, leader = await make_person(app, Role.GROUP_LEADER, group="TDP01")
    help_text = (await Talk(app, leader).say("/trogiup"))[0].text
    assert "bao cao" not in help_text and "/lich" not in help_text and "hạn nộp" not in help_text
    _, admin = await make_person(app, Role.ADMIN)
    admin_help = (await Talk(app, admin).say("/trogiup"))[0].text
    assert "(hoặc /summary)" in admin_help and "bí danh" not in admin_help


def _depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    return deepest


def test_no_brackets_inside_brackets() -> None:
    from core import texts
    from core.texts import exports, flows, report
    for role in texts.ROLE_LABELS.values():
        assert _depth(flows.REGISTERED.format(name="Trần Văn A", role=role)) <= 1
    for kind in (*exports.FORMAT_LABELS.values(), *report.DOCUMENT_LABELS.values()):
        for template in (exports.FILE_READY, exports.EXPORT_PROGRESS, exports.LINK_READY):
            assert _depth(template.format(period="năm 2025", kind=kind, units="5",
                                          expires="x", url="u")) <= 1


async def test_closing_a_round_names_it_as_everywhere(app: App) -> None:
    _, admin = await make_person(app, Role.ADMIN)
    talk = Talk(app, admin)
    await talk.say("/khoaky NAM-2025")
    assert talk.text.startswith("Khóa Báo cáo năm 2025?")


async def test_help_examples_are_commands_the_reader_can_use(app: App) -> None:
    _, admin = await make_person(app, Role.ADMIN)  # no unit: /baocao is not theirs
    _, head = await make_person(app, Role.UNIT_HEAD, unit="VP")
    admin_help = (await Talk(app, admin).say("/trogiup"))[0].text
    head_help = (await Talk(app, head).say("/trogiup"))[0].text
    assert "ví dụ: tong hop" in admin_help and "bao cao" not in admin_help
    assert "ví dụ: bao cao" in head_help
