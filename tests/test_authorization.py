"""Every command × every role, unregistered included; a unit head sees only their own unit."""

from __future__ import annotations

import pytest

from bot.app import App
from core import texts
from core.types import Role
from tests.factories import Talk, make_person

# The core commands and who may use them (None: anyone, registered or not).
EXPECTED = {
    "start": None, "dangky": None, "trogiup": None, "huy": None,
    "baocao": {Role.UNIT_HEAD, Role.ADMIN}, "tiendo": {Role.UNIT_HEAD, Role.ADMIN},
    "nop": {Role.UNIT_HEAD, Role.ADMIN}, "tonghop": {Role.ADMIN}, "moi": {Role.ADMIN},
}
PEOPLE: dict[Role, dict[str, str]] = {
    Role.ADMIN: {"unit": "VHXH"},
    Role.UNIT_HEAD: {"unit": "VP"},
    Role.GROUP_LEADER: {"group": "TDP01"},
    Role.CITY: {},  # the city level (issue 19): refused every ward command, in its own words
}


def test_core_commands_declare_the_expected_roles(app: App) -> None:
    declared = {name: (set(c.roles) if c.roles is not None else None)
                for name, c in app.core.router.commands.items() if name in EXPECTED}
    assert declared == EXPECTED


@pytest.mark.parametrize("role", [None, *Role])
async def test_every_command_for_every_role(app: App, role: Role | None) -> None:
    # setup
    if role is None:
        talk = Talk(app, "stranger")
    else:
        _, account = await make_person(app, role, unit=PEOPLE[role].get("unit"),
                                       group=PEOPLE[role].get("group"))
        talk = Talk(app, account)
    # execute and verify: each restricted command either runs or refuses with the right text
    for name, cmd in sorted(app.core.router.commands.items()):
        await talk.say("/huy")
        replies = await talk.say(f"/{name}")
        assert replies, name
        refused = {r.text for r in replies} & {texts.NOT_REGISTERED, texts.FORBIDDEN}
        if role is Role.CITY and texts.CITY_WARD_ONLY in {r.text for r in replies}:
            refused |= {texts.FORBIDDEN}
        if cmd.roles is None:
            continue
        if role is None:
            assert texts.NOT_REGISTERED in refused, name
        elif role in cmd.roles:
            assert not refused, name
        else:
            assert texts.FORBIDDEN in refused, name


async def test_a_head_without_a_unit_cannot_report(app: App) -> None:
    _, account = await make_person(app, Role.ADMIN)  # admin of no unit
    talk = Talk(app, account)
    await talk.say("/baocao")
    assert talk.text == texts.NO_UNIT
