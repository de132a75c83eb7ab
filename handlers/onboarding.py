"""Registration with one-time codes, help, cancel, and invites created by admins in chat."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from core import texts
from core.texts import city as city_texts
from core.texts import flows as t
from core.texts import menus
from core.texts import roster as roster_texts
from core.textutil import format_datetime, has_words
from core.types import Option, Platform, Reply, Role
from handlers.common import choose_again
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import invites as invite_service
from storage import events, invites, roster
from storage.models import Unit

ADMIN = {Role.ADMIN}
EVERYONE = {Role.ADMIN, Role.UNIT_HEAD, Role.GROUP_LEADER}
SKIP = Option("skip", menus.SKIP)


class RegisterStep(StrEnum):
    CODE = "code"


class InviteStep(StrEnum):
    ROLE = "role"
    TARGET = "target"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class InviteDraft:
    role: Role
    unit_id: int | None = None
    group_id: int | None = None


async def start(ctx: Ctx) -> list[Reply]:
    """/start [MÃ]: chào, hoặc đăng ký khi kèm mã (deep link Telegram)."""
    if ctx.args:
        return await register(ctx)
    if ctx.caller is None:
        return [Reply(t.WELCOME_GUEST)]
    return [Reply(t.WELCOME_BACK.format(name=ctx.caller.name)), *await show_help(ctx)]


async def register(ctx: Ctx) -> list[Reply]:
    """/dangky MÃ: gắn tài khoản nhắn tin này với một người trong danh sách."""
    if ctx.caller is not None:
        return [Reply(t.ALREADY_REGISTERED.format(name=ctx.caller.name))]
    if not ctx.args:
        ctx.goto(Flow.REGISTER, RegisterStep.CODE)
        return [Reply(t.ASK_CODE)]
    return await _redeem(ctx, ctx.args)


async def register_code_step(ctx: Ctx) -> list[Reply]:
    if ctx.caller is not None:
        ctx.finish()
        return [Reply(t.ALREADY_REGISTERED.format(name=ctx.caller.name))]
    return await _redeem(ctx, ctx.text)


async def _redeem(ctx: Ctx, code: str) -> list[Reply]:
    platform, account = ctx.msg.chat.platform.value, ctx.msg.sender_id
    limit = ctx.deps.settings.invite_max_failures_per_hour
    if await invites.recent_failures(ctx.s, platform, account, ctx.now) >= limit:
        ctx.finish()
        return [Reply(t.TOO_MANY_ATTEMPTS)]
    invite, reason = await invites.find_usable(ctx.s, code, ctx.now)
    if invite is None:
        await invites.record_failure(ctx.s, platform, account, ctx.now)
        ctx.finish()
        return [Reply(t.CODE_PROBLEMS[reason])]
    person = await invites.person_for_invite(ctx.s, invite, ctx.msg.display_name, ctx.now)
    bound = await roster.bind_account(ctx.s, person.id, ctx.msg.chat, account,
                                      ctx.msg.display_name, ctx.now)
    if not await invites.redeem(ctx.s, invite, bound.id, ctx.now):
        raise RuntimeError("invite redeemed concurrently")  # rolls the whole update back
    await events.audit(ctx.s, ctx.now, person.id, "register", platform=platform)
    retired = await invite_service.complete_handover(ctx.s, invite, person, ctx.now)
    ctx.finish()
    ctx.caller = await roster.caller_for(ctx.s, ctx.msg.chat.platform, account)
    role = texts.ROLE_LABELS[Role(person.role)]
    text = t.REGISTERED.format(name=person.name, role=role)
    if retired:
        unit = await ctx.s.get(Unit, invite.unit_id)
        text += "\n" + roster_texts.HANDOVER_DONE.format(unit=unit.name if unit else "",
                                                         heads=", ".join(retired))
    return [Reply(text), *await show_help(ctx)]


async def show_help(ctx: Ctx) -> list[Reply]:
    """/trogiup: các lệnh theo vai trò của người hỏi."""
    caller = ctx.caller
    if caller is None:
        return [Reply(t.HELP_GUEST)]
    lines = [t.HELP_HEADER.format(name=caller.name, role=texts.ROLE_LABELS[caller.role])]
    options: list[Option] = []
    if caller.reports_for_unit:
        lines.append(t.HELP_UNIT_HEAD)
        options += [Option("cmd:baocao", menus.REPORT_TASK),
                    Option("cmd:tiendo", menus.VIEW_PROGRESS),
                    Option("cmd:nop", menus.SUBMIT_REPORT)]
    if caller.role is Role.ADMIN:
        lines.append(t.HELP_ADMIN)
        options += [Option("cmd:tonghop", menus.SUMMARY), Option("cmd:xuat", menus.EXPORT),
                    Option("cmd:thongbao", menus.BROADCAST), Option("cmd:moi", menus.INVITE)]
    if caller.role is Role.CITY:
        lines += [city_texts.HELP_CITY, city_texts.HELP_CITY_BROADCAST, city_texts.HELP_CITY_DESK]
        options.append(Option("cmd:thongbao", menus.BROADCAST))
    if caller.role is Role.ADMIN and caller.many_wards:  # a city above the ward on this bot
        lines.append(city_texts.HELP_WARD_SEND)
    if caller.role is Role.GROUP_LEADER:
        # Nothing to type but "Đã nhận": no command examples, no report deadlines.
        lines += [t.HELP_GROUP_LEADER, t.HELP_FOOTER_GROUP_LEADER]
    else:
        example = (t.HELP_EXAMPLE_REPORT if caller.reports_for_unit
                   else t.HELP_EXAMPLE_CITY if caller.role is Role.CITY
                   else t.HELP_EXAMPLE_SUMMARY)
        lines.append(t.HELP_FOOTER.format(example=example))
    return [Reply("\n\n".join(lines), tuple(options))]


async def cancel(ctx: Ctx) -> list[Reply]:
    """/huy: hủy thao tác đang dở."""
    if not ctx.dialog.active:
        return [Reply(texts.NOTHING_TO_CANCEL)]
    ctx.finish()
    if ctx.unsaved:
        return [Reply(texts.CANCELLED_UNSAVED.format(lost=ctx.unsaved))]
    return [Reply(texts.CANCELLED)]


# --- /moi: an admin creates an invite in chat ---------------------------------------------

ROLE_OPTIONS = tuple(Option(f"r:{role.value}", texts.ROLE_LABELS[role])
                     for role in (Role.UNIT_HEAD, Role.GROUP_LEADER, Role.ADMIN))


async def invite_start(ctx: Ctx) -> list[Reply]:
    """/moi: tạo mã mời một người dùng mới."""
    ctx.goto(Flow.INVITE, InviteStep.ROLE)
    return [Reply(t.INVITE_ASK_ROLE, ROLE_OPTIONS)]


async def invite_role(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("r:"):
        return choose_again(ctx)
    draft = InviteDraft(Role(ctx.choice.id[2:]))
    if draft.role is Role.UNIT_HEAD:
        units = await roster.list_units(ctx.s)
        ctx.move(Flow.INVITE, InviteStep.TARGET, draft)
        # Labelled with the code, as in the broadcast's group list: "VP" picks its line too.
        return [Reply(t.INVITE_ASK_UNIT, tuple(Option(f"u:{u.id}", t.CODE_AND_NAME.format(
            code=u.code, name=u.name)) for u in units))]
    if draft.role is Role.GROUP_LEADER:
        groups = await roster.list_groups(ctx.s)
        ctx.move(Flow.INVITE, InviteStep.TARGET, draft)
        return [Reply(t.INVITE_ASK_GROUP, tuple(Option(f"g:{g.id}", t.CODE_AND_NAME.format(
            code=g.code, name=g.name)) for g in groups))]
    ctx.move(Flow.INVITE, InviteStep.NAME, draft)
    return [Reply(t.INVITE_ASK_NAME, (SKIP,))]


async def invite_target(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id[:2] not in ("u:", "g:"):
        return choose_again(ctx)
    target, draft = int(ctx.choice.id[2:]), ctx.draft(InviteDraft)
    if ctx.choice.id.startswith("u:"):
        draft = replace(draft, unit_id=target)
    else:
        draft = replace(draft, group_id=target)
    ctx.move(Flow.INVITE, InviteStep.NAME, draft)
    return [Reply(t.INVITE_ASK_NAME, (SKIP,))]


async def invite_name(ctx: Ctx) -> list[Reply]:
    skipped = ctx.choice is not None and ctx.choice.id == "skip"
    name = "" if skipped else ctx.text.strip()
    if not skipped and (not has_words(name) or len(name) > 120):
        return [Reply(t.INVITE_BAD_NAME, (SKIP,))]
    draft, person_id = ctx.draft(InviteDraft), ctx.person_id()
    ttl = timedelta(days=ctx.deps.settings.invite_ttl_days)
    new = await invite_service.invite_one(
        ctx.s, role=draft.role.value, now=ctx.now, ttl=ttl, unit_id=draft.unit_id,
        group_id=draft.group_id, name=name, created_by=person_id)
    await events.audit(ctx.s, ctx.now, person_id, "invite", role=draft.role.value)
    ctx.finish()
    expires = format_datetime(new.expires_at.astimezone(ctx.deps.settings.tz))
    note = invite_service.reuse_note(new, "")
    return [Reply("\n".join(filter(None, [note, invite_text(ctx, new.code, expires)])))]


def invite_text(ctx: Ctx, code: str, expires: str) -> str:
    lines = [t.INVITE_CREATED.format(code=code, expires=expires)]
    username = ctx.deps.bot_usernames.get(Platform.TELEGRAM)
    if username:
        lines.append(t.INVITE_TELEGRAM_LINK.format(link=f"https://t.me/{username}?start={code}"))
    return "\n".join(lines)


def setup(router: Router) -> None:
    router.command("start", start, aliases=("batdau",))
    router.command("dangky", register, aliases=("dang_ky", "lienket"), starts_flow=True)
    router.command("trogiup", show_help, aliases=("help", "huongdan", "menu"))
    router.command("huy", cancel, aliases=("cancel",))
    router.command("moi", invite_start, roles=ADMIN, starts_flow=True, aliases=("taomoi",))
    router.flow(Flow.REGISTER, {RegisterStep.CODE: register_code_step})
    router.flow(Flow.INVITE, {InviteStep.ROLE: invite_role, InviteStep.TARGET: invite_target,
                              InviteStep.NAME: invite_name})
