"""/danhsach → «Bàn giao đơn vị» and «Mã mời»: a unit handed to a new head (an invite; the
present heads lose access when the new one registers), and invite codes for everybody not
registered yet as an .xlsx, sent as a document where the channel takes one, else as a signed,
expiring link (bot/web_downloads.py). The rules are in services.invites."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import select

from core.links import signed_link, signer_for
from core.render import capabilities
from core.texts import roster as t
from core.textutil import fold, format_datetime
from core.types import Option, OutFile, Platform, Reply
from handlers.common import choose_again
from handlers.export import prune_exports
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import invites, rounds
from storage import events
from storage.models import Unit

FLOW = Flow.ROSTER
BULK_ALL = (Option("all", t.CHAT_BULK_ALL),)


@dataclass(frozen=True, slots=True)
class HandoverDraft:
    unit_id: int | None = None  # the unit handed over


class Step(StrEnum):
    HANDOVER_UNIT = "handover_unit"
    HANDOVER_NAME = "handover_name"
    BULK = "bulk"


async def start_handover(ctx: Ctx) -> list[Reply]:
    units = list(await ctx.s.scalars(select(Unit).where(Unit.active).order_by(Unit.code)))
    ctx.move(FLOW, Step.HANDOVER_UNIT, HandoverDraft())
    return [Reply(t.CHAT_ASK_HANDOVER_UNIT, tuple(Option(f"u:{u.id}", u.name) for u in units))]


def start_bulk(ctx: Ctx) -> list[Reply]:
    """Refused up front where the file can be neither sent nor linked: no code is made."""
    if not capabilities(ctx.msg.chat.platform).documents \
            and signer_for(ctx.deps.settings) is None:
        ctx.finish()
        return [Reply(t.CHAT_BULK_NO_LINK)]
    ctx.move(FLOW, Step.BULK, HandoverDraft())
    return [Reply(t.CHAT_ASK_BULK, BULK_ALL)]


async def on_handover_unit(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("u:"):
        return choose_again(ctx)
    unit = await ctx.s.get(Unit, int(ctx.choice.id[2:]))
    if unit is None:
        return choose_again(ctx)
    ctx.move(FLOW, Step.HANDOVER_NAME, HandoverDraft(unit_id=unit.id))
    return [Reply(t.CHAT_ASK_HANDOVER_NAME.format(unit=unit.name))]


async def on_handover_name(ctx: Ctx) -> list[Reply]:
    unit = await ctx.s.get(Unit, ctx.draft(HandoverDraft).unit_id or 0)
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
    # Lists of codes are kept no longer than a link to them can work.
    prune_exports(settings.export_dir, ctx.now - timedelta(hours=settings.link_ttl_hours + 1),
                  "ma-moi-*")
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
    router.flow(FLOW, {Step.HANDOVER_UNIT: on_handover_unit, Step.HANDOVER_NAME: on_handover_name,
                       Step.BULK: on_bulk})
