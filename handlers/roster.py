"""/danhsach (admins): deactivate or reactivate a unit, a tổ dân phố or a person; from its menu
also a unit handed to a new head and invite codes for everybody not registered yet
(handlers/roster_invites.py), and a roster .xlsx imported (handlers/roster_import.py).
The rules are in services.roster_admin and services.invites, shared with the command line and
the web desk."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from sqlalchemy import select

from core.texts import roster as t
from core.textutil import fold, shorten
from core.types import Option, Reply, Role
from handlers import roster_import, roster_invites
from handlers.common import choose_again
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import roster_admin
from storage.models import Person, ResidentialGroup, Unit

FLOW = Flow.ROSTER
MENU = (Option("m:off", t.CHAT_MENU_OFF), Option("m:on", t.CHAT_MENU_ON),
        Option("m:handover", t.CHAT_MENU_HANDOVER), Option("m:bulk", t.CHAT_MENU_BULK),
        Option("m:import", t.CHAT_MENU_IMPORT))
KINDS = (Option("k:unit", t.CHAT_KIND_UNIT), Option("k:group", t.CHAT_KIND_GROUP),
         Option("k:person", t.CHAT_KIND_PERSON))
MOST_PEOPLE = 10
KIND_OF: dict[str, Literal["unit", "group", "person"]] = {
    "unit": "unit", "group": "group", "person": "person"}


@dataclass(frozen=True, slots=True)
class RosterDraft:
    active: bool = False  # the state the chosen row is set to


class Step(StrEnum):
    MENU = "menu"
    KIND = "kind"
    PICK = "pick"
    PERSON = "person"


async def start_roster(ctx: Ctx) -> list[Reply]:
    """/danhsach: ngừng sử dụng / dùng lại, bàn giao đơn vị, mã mời hàng loạt."""
    ctx.move(FLOW, Step.MENU, RosterDraft())
    return [Reply(t.CHAT_MENU, MENU)]


async def on_menu(ctx: Ctx) -> list[Reply]:
    choice = ctx.choice.id if ctx.choice else ""
    if choice in ("m:off", "m:on"):
        ctx.move(FLOW, Step.KIND, RosterDraft(active=choice == "m:on"))
        return [Reply(t.CHAT_ASK_KIND, KINDS)]
    if choice == "m:handover":
        return await roster_invites.start_handover(ctx)
    if choice == "m:bulk":
        return roster_invites.start_bulk(ctx)
    if choice == "m:import":
        return roster_import.start_import(ctx)
    return choose_again(ctx)


async def on_kind(ctx: Ctx) -> list[Reply]:
    draft = ctx.draft(RosterDraft)
    choice = ctx.choice.id if ctx.choice else ""
    if choice == "k:person":
        ctx.goto(FLOW, Step.PERSON)
        return [Reply(t.CHAT_ASK_PERSON)]
    if choice not in ("k:unit", "k:group"):
        return choose_again(ctx)
    unit = choice == "k:unit"
    wanted = not draft.active
    rows = [(r.code, r.name) for r in await ctx.s.scalars(
        select(Unit).where(Unit.active.is_(wanted)).order_by(Unit.code))] if unit else \
        [(r.code, r.name) for r in await ctx.s.scalars(
            select(ResidentialGroup).where(ResidentialGroup.active.is_(wanted))
            .order_by(ResidentialGroup.code))]
    if not rows:
        ctx.finish()
        return [Reply(t.CHAT_NONE_LISTED.format(what=t.WHAT_UNIT if unit else t.WHAT_GROUP))]
    ask = ((t.CHAT_ASK_UNIT_ON if draft.active else t.CHAT_ASK_UNIT_OFF) if unit else
           (t.CHAT_ASK_GROUP_ON if draft.active else t.CHAT_ASK_GROUP_OFF))
    prefix = "unit" if unit else "group"
    ctx.goto(FLOW, Step.PICK)
    return [Reply(ask, tuple(Option(f"{prefix}:{code}", f"{name} ({code})")
                             for code, name in rows))]


async def on_person_name(ctx: Ctx) -> list[Reply]:
    draft, key = ctx.draft(RosterDraft), fold(ctx.text)
    people = [p for p in await ctx.s.scalars(
        select(Person).where(Person.active.is_(not draft.active)).order_by(Person.id))
        if key and key in fold(p.name)][:MOST_PEOPLE]
    if not people:
        state = t.CHAT_NO_PERSON_INACTIVE if draft.active else t.CHAT_NO_PERSON_ACTIVE
        return [Reply(t.CHAT_NO_PERSON.format(name=shorten(ctx.text.strip(), 60), state=state))]
    places = await _places(ctx)
    ctx.goto(FLOW, Step.PICK)
    return [Reply(t.CHAT_PEOPLE_FOUND, tuple(
        Option(f"person:{p.id}", f"{p.name} — {places.get(p.unit_id or p.group_id or 0, '')}"
               .rstrip(" —")) for p in people))]


async def _places(ctx: Ctx) -> dict[int, str]:
    # Unit and group ids may coincide; a person has one or the other, and the label is a hint.
    groups = {g.id: g.name for g in await ctx.s.scalars(select(ResidentialGroup))}
    return groups | {u.id: u.name for u in await ctx.s.scalars(select(Unit))}


async def on_pick(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id.split(":")[0] not in ("unit", "group", "person"):
        return choose_again(ctx)
    kind, _, key = ctx.choice.id.partition(":")
    draft = ctx.draft(RosterDraft)
    ctx.finish()
    try:
        change = await roster_admin.set_active(ctx.s, KIND_OF[kind], key, draft.active, ctx.now,
                                               by=ctx.person_id())
    except roster_admin.NotFound as missing:
        return [Reply(str(missing))]
    text = change.message()
    if kind == "person" and not draft.active and change.changed:
        text += "\n" + t.PERSON_ACCOUNTS_OFF
    return [Reply(text)]


def setup(router: Router) -> None:
    router.command("danhsach", start_roster, roles={Role.ADMIN}, starts_flow=True,
                   aliases=("danh_sach", "roster"))
    router.flow(FLOW, {Step.MENU: on_menu, Step.KIND: on_kind, Step.PICK: on_pick,
                       Step.PERSON: on_person_name})
    roster_invites.setup(router)
    roster_import.setup(router)
