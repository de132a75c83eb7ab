"""/danhsach (admins): deactivate or reactivate a unit, a tổ dân phố or a person; hand a unit to
a new head; invite codes for everybody not registered yet, as an .xlsx (a document where the
channel takes one, else a signed link); import a roster .xlsx (handlers/roster_import.py).
The rules are in services.roster_admin and services.invites, shared with the command line and
the web desk."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Literal

from sqlalchemy import select

from core.links import signed_link, signer_for
from core.render import capabilities
from core.texts import roster as t
from core.textutil import fold, format_datetime
from core.types import Option, OutFile, Platform, Reply, Role
from handlers import roster_import
from handlers.common import choose_again
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import invites, roster_admin, rounds
from storage import events
from storage.models import Person, ResidentialGroup, Unit

FLOW = Flow.ROSTER
MENU = (Option("m:off", t.CHAT_MENU_OFF), Option("m:on", t.CHAT_MENU_ON),
        Option("m:handover", t.CHAT_MENU_HANDOVER), Option("m:bulk", t.CHAT_MENU_BULK),
        Option("m:import", t.CHAT_MENU_IMPORT))
KINDS = (Option("k:unit", t.CHAT_KIND_UNIT), Option("k:group", t.CHAT_KIND_GROUP),
         Option("k:person", t.CHAT_KIND_PERSON))
BULK_ALL = (Option("all", t.CHAT_BULK_ALL),)
MOST_PEOPLE = 10
KIND_OF: dict[str, Literal["unit", "group", "person"]] = {
    "unit": "unit", "group": "group", "person": "person"}


@dataclass(frozen=True, slots=True)
class RosterDraft:
    active: bool = False  # the state the chosen row is set to
    unit_id: int | None = None  # the unit handed over


class Step(StrEnum):
    MENU = "menu"
    KIND = "kind"
    PICK = "pick"
    PERSON = "person"
    HANDOVER_UNIT = "handover_unit"
    HANDOVER_NAME = "handover_name"
    BULK = "bulk"


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
        units = list(await ctx.s.scalars(select(Unit).where(Unit.active).order_by(Unit.code)))
        ctx.move(FLOW, Step.HANDOVER_UNIT, RosterDraft())
        return [Reply(t.CHAT_ASK_HANDOVER_UNIT,
                      tuple(Option(f"u:{u.id}", u.name) for u in units))]
    if choice == "m:bulk":
        if not capabilities(ctx.msg.chat.platform).documents \
                and signer_for(ctx.deps.settings) is None:
            ctx.finish()
            return [Reply(t.CHAT_BULK_NO_LINK)]
        ctx.move(FLOW, Step.BULK, RosterDraft())
        return [Reply(t.CHAT_ASK_BULK, BULK_ALL)]
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
        return [Reply(t.CHAT_NO_PERSON.format(name=ctx.text.strip()[:60], state=state))]
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


async def on_handover_unit(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("u:"):
        return choose_again(ctx)
    unit = await ctx.s.get(Unit, int(ctx.choice.id[2:]))
    if unit is None:
        return choose_again(ctx)
    ctx.move(FLOW, Step.HANDOVER_NAME, RosterDraft(unit_id=unit.id))
    return [Reply(t.CHAT_ASK_HANDOVER_NAME.format(unit=unit.name))]


async def on_handover_name(ctx: Ctx) -> list[Reply]:
    unit = await ctx.s.get(Unit, ctx.draft(RosterDraft).unit_id or 0)
    try:
        done = await invites.hand_over(
            ctx.s, unit_code=unit.code if unit else "", name=ctx.text, now=ctx.now,
            ttl=timedelta(days=ctx.deps.settings.invite_ttl_days), created_by=ctx.person_id())
    except invites.HandoverRefused as refused:
        return [Reply(str(refused))]
    ctx.finish()
    lines = [invites.handover_text(done, ctx.deps.settings.tz)]
    username = ctx.deps.bot_usernames.get(Platform.TELEGRAM)
    if username:
        lines.append(t.CHAT_TELEGRAM_LINK.format(
            link=f"https://t.me/{username}?start={done.invite.code}"))
    return [Reply("\n".join(lines))]


async def on_bulk(ctx: Ctx) -> list[Reply]:
    every = ctx.choice is not None and ctx.choice.id == "all"
    codes = [] if every else rounds.split_codes(ctx.text)
    units = {fold(u.code) for u in await ctx.s.scalars(select(Unit))}
    settings, caps = ctx.deps.settings, capabilities(ctx.msg.chat.platform)
    signer = None if caps.documents else signer_for(settings)
    if not caps.documents and signer is None:
        ctx.finish()
        return [Reply(t.CHAT_BULK_NO_LINK)]
    try:
        rows = await invites.invite_unregistered(
            ctx.s, now=ctx.now, ttl=timedelta(days=settings.invite_ttl_days),
            unit_codes=[c for c in codes if fold(c) in units] or None,
            group_codes=[c for c in codes if fold(c) not in units] or None,
            created_by=ctx.person_id())
    except invites.UnknownCodes as unknown:
        return [Reply(str(unknown), BULK_ALL)]
    ctx.finish()
    if not rows:
        return [Reply(t.BULK_NOBODY)]
    name = f"ma-moi-{ctx.now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.xlsx"
    path = settings.export_dir / name
    invites.write_invites_xlsx(rows, path, tz=settings.tz,
                               telegram_username=ctx.deps.bot_usernames.get(Platform.TELEGRAM, ""))
    await events.audit(ctx.s, ctx.now, ctx.person_id(), "invite_bulk_chat", count=len(rows))
    expires = format_datetime(rows[0].expires_at.astimezone(settings.tz))
    if signer is not None:
        link = signed_link(settings, signer, name, ctx.now)
        return [Reply(t.CHAT_BULK_LINK.format(
            count=len(rows), expires=expires, url=link.url,
            link_expires=format_datetime(link.expires_at.astimezone(settings.tz))))]
    text = t.CHAT_BULK_FILE.format(count=len(rows), expires=expires)
    return [Reply(text, file=OutFile(path, "ma-moi.xlsx", "document", text))]


def setup(router: Router) -> None:
    router.command("danhsach", start_roster, roles={Role.ADMIN}, starts_flow=True,
                   aliases=("danh_sach", "roster"))
    router.flow(FLOW, {Step.MENU: on_menu, Step.KIND: on_kind, Step.PICK: on_pick,
                       Step.PERSON: on_person_name, Step.HANDOVER_UNIT: on_handover_unit,
                       Step.HANDOVER_NAME: on_handover_name, Step.BULK: on_bulk})
    roster_import.setup(router)
