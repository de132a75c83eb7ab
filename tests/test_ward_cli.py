"""`ward add|list|rename|deactivate|reactivate`, `invite --role city`, and what a deactivated
ward's invite meets in chat (issue 19); the commands' own functions, run in-process."""

from __future__ import annotations

from argparse import Namespace
from datetime import timedelta

import pytest

from bot.app import App
from bot.commands import build_parser
from bot.commands.city import invite_city
from bot.commands.data import list_units
from bot.commands.wards import add_ward, list_wards, rename_ward, set_active
from core.texts import flows
from core.texts import wards as ward_texts
from core.types import Role
from services import invites as invite_service
from services import wards as ward_service
from storage.scoping import use_ward
from tests.factories import Talk
from tests.ward_helpers import person_in


async def test_add_list_rename_deactivate(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    # execute
    codes = [await add_ward(Namespace(code="doson", name="Đồ Sơn", kind="phường"), app.settings),
             await add_ward(Namespace(code="DOSON", name="Khác", kind="xa"), app.settings),
             await add_ward(Namespace(code="X1", name="Khác", kind="quận"), app.settings),
             await rename_ward(Namespace(code="DOSON", name="Đồ Sơn mới", kind="dac_khu",
                                         doc_name=None, signer="Nguyễn Văn A",
                                         recipients="UBND thành phố (b/c); Lưu: VT"),
                               app.settings),
             await set_active(Namespace(code="DOSON", active=False), app.settings),
             await list_wards(Namespace(), app.settings)]
    out, err = capsys.readouterr()
    # verify
    assert codes == [0, 2, 2, 0, 0, 0]
    assert "Đã thêm phường Đồ Sơn (mã DOSON)" in out
    assert "Mã DOSON đã có" in err and "Loại không hợp lệ: «quận»" in err
    assert "NAM-DO-SON   phường Nam Đồ Sơn" in out
    assert "DOSON        đặc khu Đồ Sơn mới (đã ngừng)" in out
    async with app.deps.sessions() as s:
        view = await ward_service.view(s, await ward_service.find(s, "DOSON"), app.settings)
    assert view.signer_name == "Nguyễn Văn A"
    assert view.recipients == ("UBND thành phố (b/c)", "Lưu: VT")


async def test_an_inactive_ward_is_refused_by_commands_and_invites(
        app: App, capsys: pytest.CaptureFixture[str]) -> None:
    # setup: a second ward with an invite, then deactivated
    async with app.deps.sessions.begin() as s:
        ward = await ward_service.add(s, "DOSON", "Đồ Sơn", "phuong", app.deps.clock.now())
        use_ward(s, ward.id)
        code = (await invite_service.invite_one(s, role=Role.ADMIN.value,
                                                now=app.deps.clock.now(),
                                                ttl=timedelta(days=3), name="B")).code
    await set_active(Namespace(code="DOSON", active=False), app.settings)
    capsys.readouterr()
    # execute
    talk = Talk(app, "newcomer")
    await talk.say(f"/dangky {code}")
    with pytest.raises(ward_service.WardProblem) as problem:  # main() prints it, exit code 2
        await list_units(Namespace(), app.settings.model_copy(update={"ward_code": "doson"}))
    # verify
    assert talk.text == flows.CODE_PROBLEMS["ward_inactive"]
    assert "DOSON đã ngừng hoạt động" in str(problem.value)


async def test_a_city_invite_takes_no_ward(app: App, capsys: pytest.CaptureFixture[str]) -> None:
    # setup
    args = Namespace(unit=None, group=None, person=None, name="Cán bộ Sở Nội vụ")
    # execute
    refused = await invite_city(args, app.settings.model_copy(update={"ward_code": "X"}))
    made = await invite_city(args, app.settings)
    out = capsys.readouterr()
    code = out.out.split("Mã mời: ", 1)[1].split()[0]
    talk = Talk(app, "city-user")
    await talk.say(f"/dangky {code}")
    # verify
    assert (refused, made) == (2, 0) and "không gắn với xã, phường" in out.err
    assert "Cán bộ cấp thành phố" in talk.text


def test_every_one_ward_command_takes_ward_and_the_others_do_not() -> None:
    parser = build_parser()
    assert parser.parse_args(["units", "--ward", "A"]).ward == "A"
    assert parser.parse_args(["roster", "import", "f.xlsx", "--ward", "A"]).ward == "A"
    assert parser.parse_args(["period", "close", "NAM-2025", "--ward", "A"]).ward == "A"
    for argv in (["run"], ["db", "upgrade"], ["ward", "list"], ["city", "rollup"]):
        assert getattr(parser.parse_args(argv), "ward", None) is None
        with pytest.raises(SystemExit):
            parser.parse_args([*argv, "--ward", "A"])


async def test_a_deactivated_wards_people_are_told_and_nothing_runs(app: App) -> None:
    # setup: a head in a second ward, then the ward is deactivated
    async with app.deps.sessions.begin() as s:
        ward = await ward_service.add(s, "DOSON", "Đồ Sơn", "phuong", app.deps.clock.now())
    _, account = await person_in(app, ward.id, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await talk.say("/tiendo")
    before = talk.text
    async with app.deps.sessions.begin() as s:
        await ward_service.set_active(s, "DOSON", False)
    # execute
    await talk.say("/baocao")
    # verify
    assert "ngừng" not in before
    assert talk.text == ward_texts.WARD_STOPPED
