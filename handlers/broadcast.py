"""/thongbao: an admin composes a broadcast: text (+ one file) → audience → preview → when →
confirm. The city's staff use the same flow with the city's audiences (every ward's admins or
unit heads, the tổ trưởng of chosen wards). Listing, editing, cancelling, /tinhtrang and
«Đã nhận» live in broadcast_status."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from core import texts
from core.texts import broadcast as t
from core.textutil import (
    fold,
    format_date,
    parse_date,
    parse_local_datetime,
    parse_time,
    shorten,
)
from core.types import Option, Platform, Reply, Role
from handlers.common import choose_again
from handlers.router import Ctx, Router
from handlers.state import Flow, Refusal, encode
from services import broadcasts as jobs
from storage import broadcasts as repo
from storage import roster
from storage import wards as ward_store
from storage.models import Broadcast

FLOW = Flow.BROADCAST
SENDERS = {Role.ADMIN, Role.CITY}


class Step(StrEnum):
    TEXT = "text"
    AUDIENCE = "audience"
    GROUPS = "groups"
    WARDS = "wards"
    WHEN = "when"
    AT = "at"
    REPEAT = "repeat"
    WEEKDAY = "weekday"
    MONTHDAY = "monthday"
    TIME = "time"
    UNTIL = "until"
    CONFIRM = "confirm"


@dataclass(frozen=True, slots=True)
class AttachedFile:
    path: str
    kind: str
    file_name: str


@dataclass(frozen=True, slots=True)
class BroadcastDraft:
    """What the admin has chosen so far; the text and audience also live in the draft row."""

    text: str = ""
    file: AttachedFile | None = None
    audience: str = ""
    group_ids: tuple[int, ...] = ()
    ward_ids: tuple[int, ...] = ()  # the city's city_groups: () = every active ward
    draft_id: int | None = None
    mode: str = ""  # now | at | repeat
    send_at: str = ""  # ISO, the (first) send
    repeat: str = ""  # weekly | monthly
    day: int = 0  # weekday (0 = Monday) or day of the month
    at: str = ""  # HH:MM of a repeated send
    until: str = ""  # ISO date, the last day of a repeated send
AUDIENCE_MENU = tuple(Option(f"a:{key}", label) for key, label in t.AUDIENCE_LABELS.items())
CITY_AUDIENCE_MENU = tuple(Option(f"a:{key}", label)
                           for key, label in t.CITY_AUDIENCE_LABELS.items())
WHEN_MENU = (Option("w:now", t.WHEN_NOW), Option("w:at", t.WHEN_AT),
             Option("w:repeat", t.WHEN_REPEAT), Option("w:cancel", t.WHEN_CANCEL))
CONFIRM_MENU = (Option("yes", t.CONFIRM_YES), Option("no", t.CONFIRM_NO))


async def start_broadcast(ctx: Ctx) -> list[Reply]:
    """/thongbao: soạn và gửi thông báo tới tổ trưởng, thủ trưởng đơn vị."""
    ctx.move(FLOW, Step.TEXT, BroadcastDraft())
    ask = t.CITY_ASK_TEXT if _is_city(ctx) else t.ASK_TEXT
    return [Reply(ask.format(limit=jobs.MAX_TEXT))]


def _is_city(ctx: Ctx) -> bool:
    return ctx.registered().role is Role.CITY


def _audience_menu(ctx: Ctx) -> tuple[Option, ...]:
    return CITY_AUDIENCE_MENU if _is_city(ctx) else AUDIENCE_MENU


async def on_text(ctx: Ctx) -> list[Reply]:
    draft, notes = ctx.draft(BroadcastDraft), []
    if ctx.msg.attachments:
        att = ctx.msg.attachments[0]
        if draft.file or len(ctx.msg.attachments) > 1:
            notes.append(Reply(t.ONE_FILE_ONLY))
        if draft.file is None and att.local_path is not None:
            draft = replace(draft, file=AttachedFile(str(att.local_path), att.kind,
                                                     att.file_name or att.local_path.name))
            ctx.move(FLOW, Step.TEXT, draft)
        if not ctx.text.strip():
            name = draft.file.file_name if draft.file else ""
            return [*notes, Reply(t.FILE_KEPT.format(name=name))]
    problem = jobs.text_problem(ctx.text)
    if problem:
        return [*notes, Reply(problem)]
    ctx.move(FLOW, Step.AUDIENCE, replace(draft, text=ctx.text))
    return [*notes, Reply(t.ASK_AUDIENCE, _audience_menu(ctx))]


def _typed_city_audience(text: str) -> str:
    """A city audience typed by its name or key (a ward admin trying it), else ''."""
    typed = fold(text)
    return next((key for key, label in t.CITY_AUDIENCE_LABELS.items()
                 if typed in (fold(label), key)), "")


async def on_audience(ctx: Ctx) -> list[Reply]:
    typed = _typed_city_audience(ctx.text) if ctx.choice is None else ""
    audience = ctx.choice.id[2:] if ctx.choice and ctx.choice.id.startswith("a:") else typed
    if not audience:
        return choose_again(ctx)
    problem = jobs.audience_problem(audience, city=_is_city(ctx))
    if problem:  # the step waits: the menu on offer still works
        return [Reply(problem, _audience_menu(ctx))]
    if audience == "city_groups":
        active = await ward_store.active_wards(ctx.s)
        ctx.move(FLOW, Step.WARDS, replace(ctx.draft(BroadcastDraft), audience=audience))
        lines = "\n".join(f"{i}. {w.code} – {w.name}" for i, w in enumerate(active, 1))
        return [Reply(t.ASK_WARDS.format(wards=lines))]
    if audience == "groups":
        groups = await roster.list_groups(ctx.s)
        ctx.move(FLOW, Step.GROUPS, replace(ctx.draft(BroadcastDraft), audience=audience))
        lines = "\n".join(f"{i}. {g.code} – {g.name}" for i, g in enumerate(groups, 1))
        return [Reply(t.ASK_GROUPS.format(groups=lines))]
    return await _preview(ctx, audience, [])


async def on_groups(ctx: Ctx) -> list[Reply]:
    items = [p.strip() for p in re.split(r"[,;\s]+", ctx.text) if p.strip()]
    try:
        group_ids = await jobs.resolve_groups(ctx.s, items)
    except jobs.BroadcastRefused as refused:
        return [Reply(f"{refused} {t.TYPE_AGAIN}")]
    return await _preview(ctx, "groups", group_ids)


async def on_wards(ctx: Ctx) -> list[Reply]:
    items = [p.strip() for p in re.split(r"[,;]+", ctx.text) if p.strip()]
    # "1 3" are two numbers; "Đồ Sơn" is one name
    items = [w for item in items for w in (item.split() if _all_numbers(item) else [item])]
    try:
        ward_ids = await jobs.resolve_wards(ctx.s, items)
    except jobs.BroadcastRefused as refused:
        return [Reply(f"{refused} {t.TYPE_AGAIN}")]
    return await _preview(ctx, "city_groups", [], ward_ids)


def _all_numbers(item: str) -> bool:
    return all(word.isdigit() for word in item.split())


async def _preview(ctx: Ctx, audience: str, group_ids: list[int],
                   ward_ids: list[int] | None = None) -> list[Reply]:
    """Save the draft, then show the message exactly as recipients will see it."""
    row = await _draft_row(ctx, audience, group_ids, ward_ids or [])
    plan = await jobs.plan_run(ctx.s, ctx.deps, row)
    label = await jobs.audience_label(ctx.s, row, ctx.deps)
    draft = replace(ctx.draft(BroadcastDraft), draft_id=row.id)
    if not plan.reachable:
        ctx.move(FLOW, Step.AUDIENCE, draft)
        return [Reply(t.NOBODY_REGISTERED.format(audience=label), _audience_menu(ctx))]
    ctx.move(FLOW, Step.WHEN, replace(draft, audience=audience, group_ids=tuple(group_ids),
                                      ward_ids=tuple(ward_ids or ())))
    sender = await jobs.ward_title(ctx.s, ctx.deps, row)
    message = jobs.message_for(row, ctx.msg.chat.platform, sender)
    # The recipient's «Đã nhận» described, not offered: a numbered "1. Đã nhận" right above
    # "Gửi khi nào? 1. Gửi ngay" read as one menu with two firsts.
    labels = ", ".join(f"«{o.label}»" for o in message.options)
    shown = replace(message, text=f"{message.text}\n{t.PREVIEW_OPTIONS.format(labels=labels)}",
                    options=())
    if jobs.is_city(row):
        header = await _city_header(ctx, row, plan, label)
        unreached_text = t.CITY_WARDS_UNREACHED
    else:
        header = t.PREVIEW_HEADER.format(id=row.id, people=plan.people, audience=label,
                                         unreachable=plan.people - plan.reachable)
        unreached_text = t.GROUPS_UNREACHED
    unreached = await jobs.groups_unreached(ctx.s, row, plan, ctx.deps)
    warning = [Reply(unreached_text.format(names="; ".join(unreached)))] if unreached else []
    replies = [*warning, Reply(header), shown]
    parts = jobs.zalo_parts(jobs.message_for(row, Platform.ZALO, sender))
    if parts > 1:
        replies.append(Reply(t.PREVIEW_ZALO_PARTS.format(parts=parts)))
    return [*replies, Reply(t.ASK_WHEN, WHEN_MENU)]


async def _city_header(ctx: Ctx, row: Broadcast, plan: jobs.RunPlan, label: str) -> str:
    """The city's preview: people, wards, who has no messenger yet, and the Zalo cost."""
    names, more = await jobs.unreachable_names(ctx.s, plan)
    shown = t.CITY_UNREACHABLE_NAMES.format(names=", ".join(names)) if names else ""
    if more:
        shown += t.CITY_UNREACHABLE_MORE.format(count=more)
    remaining = await jobs.zalo_remaining(ctx.s, ctx.deps, ctx.now)
    return t.CITY_PREVIEW_HEADER.format(
        id=row.id, people=plan.people, wards=plan.wards, audience=label,
        unreachable=plan.people - plan.reachable, names=shown, zalo=plan.zalo_messages,
        remaining=("" if remaining is None
                   else t.CITY_ZALO_REMAINING.format(remaining=remaining)))


async def _draft_row(ctx: Ctx, audience: str, group_ids: list[int],
                     ward_ids: list[int]) -> Broadcast:
    draft = ctx.draft(BroadcastDraft)
    row = await repo.get(ctx.s, draft.draft_id) if draft.draft_id else None
    if row is None:
        file = encode(draft.file) if draft.file else None
        row = await repo.create(ctx.s, text=draft.text, audience=audience, group_ids=group_ids,
                                created_by=ctx.person_id(), now=ctx.now, file=file,
                                remind_after_hours=ctx.deps.settings.broadcast_remind_after_hours,
                                city=_is_city(ctx))
    row.audience, row.group_ids, row.ward_ids = audience, group_ids, ward_ids
    await ctx.s.flush()
    return row


async def _row(ctx: Ctx) -> Broadcast:
    draft_id = ctx.draft(BroadcastDraft).draft_id
    row = await repo.get(ctx.s, draft_id) if draft_id else None
    if row is None:
        raise Refusal(texts.DIALOG_LOST)
    return row


async def on_when(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("w:"):
        return choose_again(ctx)
    choice = ctx.choice.id[2:]
    if choice == "cancel":
        return await _drop(ctx)
    if choice == "at":
        ctx.move(FLOW, Step.AT, ctx.draft(BroadcastDraft))
        return [Reply(t.ASK_AT.format(example=_example_time(ctx)))]
    if choice == "repeat":
        ctx.move(FLOW, Step.REPEAT, ctx.draft(BroadcastDraft))
        return [Reply(t.ASK_REPEAT, (Option("r:weekly", t.REPEAT_WEEKLY),
                                     Option("r:monthly", t.REPEAT_MONTHLY)))]
    row = await _row(ctx)
    plan = await jobs.plan_run(ctx.s, ctx.deps, row)
    problem = await jobs.quota_problem(ctx.s, ctx.deps, plan, ctx.now)
    if problem:
        return [Reply(problem), *await _drop(ctx, quiet=True)]
    ctx.move(FLOW, Step.CONFIRM, replace(ctx.draft(BroadcastDraft), mode="now"))
    return [Reply(t.CONFIRM_NOW.format(id=row.id, people=plan.reachable,
                                       messages=plan.messages), CONFIRM_MENU)]


async def _drop(ctx: Ctx, *, quiet: bool = False) -> list[Reply]:
    await jobs.cancel_draft(ctx.s, await _row(ctx))
    ctx.finish()
    return [] if quiet else [Reply(t.DRAFT_DROPPED)]


def _example_time(ctx: Ctx) -> str:
    """Tomorrow at 08:00 in the ward's time: an example that is never in the past."""
    tomorrow = ctx.now.astimezone(ctx.deps.settings.tz).date() + timedelta(days=1)
    return f"{format_date(tomorrow)} 08:00"


async def on_at(ctx: Ctx) -> list[Reply]:
    tz = ctx.deps.settings.tz
    moment = parse_local_datetime(ctx.text, tz)
    if moment is None:
        return [Reply(t.BAD_DATETIME.format(text=shorten(ctx.text, 40)))]
    if moment <= ctx.now:
        return [Reply(t.PAST_DATETIME.format(when=jobs.local_text(moment, tz)))]
    row = await _row(ctx)
    plan = await jobs.plan_run(ctx.s, ctx.deps, row)
    ctx.move(FLOW, Step.CONFIRM,
             replace(ctx.draft(BroadcastDraft), mode="at", send_at=moment.isoformat()))
    return [Reply(t.CONFIRM_AT.format(id=row.id, when=jobs.local_text(moment, tz),
                                      people=plan.reachable), CONFIRM_MENU)]


async def on_repeat(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id not in ("r:weekly", "r:monthly"):
        return choose_again(ctx)
    if ctx.choice.id == "r:weekly":
        ctx.move(FLOW, Step.WEEKDAY, replace(ctx.draft(BroadcastDraft), repeat="weekly"))
        return [Reply(t.ASK_WEEKDAY,
                      tuple(Option(f"d:{i}", name) for i, name in enumerate(t.WEEKDAY_OPTIONS)))]
    ctx.move(FLOW, Step.MONTHDAY, replace(ctx.draft(BroadcastDraft), repeat="monthly"))
    return [Reply(t.ASK_MONTHDAY)]


async def on_weekday(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("d:"):
        return choose_again(ctx)
    ctx.move(FLOW, Step.TIME, replace(ctx.draft(BroadcastDraft), day=int(ctx.choice.id[2:])))
    return [Reply(t.ASK_TIME)]


async def on_monthday(ctx: Ctx) -> list[Reply]:
    text = ctx.text.strip()
    if not text.isdigit() or not 1 <= int(text) <= 31:
        return [Reply(t.BAD_MONTHDAY)]
    ctx.move(FLOW, Step.TIME, replace(ctx.draft(BroadcastDraft), day=int(text)))
    return [Reply(t.ASK_TIME)]


async def on_time(ctx: Ctx) -> list[Reply]:
    clock = parse_time(ctx.text)
    if clock is None:
        return [Reply(t.BAD_TIME.format(text=shorten(ctx.text, 20)))]
    ctx.move(FLOW, Step.UNTIL, replace(ctx.draft(BroadcastDraft), at=clock.strftime("%H:%M")))
    return [Reply(t.ASK_UNTIL)]


async def on_until(ctx: Ctx) -> list[Reply]:
    until = parse_date(ctx.text)
    if until is None:
        return [Reply(t.BAD_DATE.format(text=shorten(ctx.text, 20)))]
    draft, tz = ctx.draft(BroadcastDraft), ctx.deps.settings.tz
    at = time.fromisoformat(draft.at)
    first = jobs.next_occurrence(draft.repeat, draft.day, at, until, ctx.now, tz)
    if first is None:
        return [Reply(t.UNTIL_NO_RUN.format(until=format_date(until)))]
    row = await _row(ctx)
    plan = await jobs.plan_run(ctx.s, ctx.deps, row)
    ctx.move(FLOW, Step.CONFIRM, replace(draft, mode="repeat", send_at=first.isoformat(),
                                         until=until.isoformat()))
    return [Reply(t.CONFIRM_REPEAT.format(
        id=row.id, rule=jobs.rule_text(draft.repeat, draft.day), time=draft.at,
        until=format_date(until), first=jobs.local_text(first, tz), people=plan.reachable),
        CONFIRM_MENU)]


async def on_confirm(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id not in ("yes", "no"):
        return choose_again(ctx)
    if ctx.choice.id == "no":
        return await _drop(ctx)
    draft, row = ctx.draft(BroadcastDraft), await _row(ctx)
    ctx.finish()
    at = datetime.fromisoformat(draft.send_at) if draft.mode != "now" else None
    repeat = None
    if draft.mode == "repeat":
        repeat = jobs.Repeat(draft.repeat, draft.day, date.fromisoformat(draft.until))
    try:
        done = await jobs.launch(ctx.s, ctx.deps, row, ctx.now, actor=ctx.person_id(),
                                 at=at, repeat=repeat)
    except jobs.BroadcastRefused as refused:
        await jobs.cancel_draft(ctx.s, row)
        return [Reply(str(refused))]
    if at is None:
        return [Reply(t.QUEUED.format(id=row.id, messages=done.messages, people=done.people))]
    when = jobs.local_text(done.at, ctx.deps.settings.tz)
    return [Reply(t.SCHEDULED.format(id=row.id, when=when))]


def setup(router: Router) -> None:
    router.command("thongbao", start_broadcast, roles=SENDERS, starts_flow=True,
                   aliases=("thong_bao", "guitin", "tuyentruyen", "broadcast"))
    router.step(FLOW, Step.TEXT, on_text, accepts_files=True)
    for step, handler in ((Step.AUDIENCE, on_audience), (Step.GROUPS, on_groups),
                          (Step.WARDS, on_wards),
                          (Step.WHEN, on_when), (Step.AT, on_at), (Step.REPEAT, on_repeat),
                          (Step.WEEKDAY, on_weekday), (Step.MONTHDAY, on_monthday),
                          (Step.TIME, on_time), (Step.UNTIL, on_until),
                          (Step.CONFIRM, on_confirm)):
        router.step(FLOW, step, handler)
