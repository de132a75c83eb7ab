"""/thongbao: an admin composes a broadcast: text (+ one file) → audience → preview → when →
confirm. Listing, editing, cancelling, /tinhtrang and «Đã nhận» live in broadcast_status."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from core.texts import broadcast as t
from core.textutil import format_date, parse_date, parse_local_datetime, parse_time
from core.types import Option, Platform, Reply, Role
from handlers.common import choose_again
from handlers.router import Ctx, Router
from services import broadcasts as jobs
from storage import broadcasts as repo
from storage import roster
from storage.models import Broadcast

FLOW = "broadcast"
ADMIN = {Role.ADMIN}
AUDIENCE_MENU = tuple(Option(f"a:{key}", label) for key, label in t.AUDIENCE_LABELS.items())
WHEN_MENU = (Option("w:now", t.WHEN_NOW), Option("w:at", t.WHEN_AT),
             Option("w:repeat", t.WHEN_REPEAT), Option("w:cancel", t.WHEN_CANCEL))
CONFIRM_MENU = (Option("yes", t.CONFIRM_YES), Option("no", t.CONFIRM_NO))


async def start_broadcast(ctx: Ctx) -> list[Reply]:
    """/thongbao: soạn và gửi thông báo tới tổ trưởng, thủ trưởng đơn vị."""
    ctx.goto(FLOW, "text", file=None)
    return [Reply(t.ASK_TEXT.format(limit=jobs.MAX_TEXT))]


async def on_text(ctx: Ctx) -> list[Reply]:
    notes: list[Reply] = []
    if ctx.msg.attachments:
        att = ctx.msg.attachments[0]
        if ctx.dialog.data.get("file") or len(ctx.msg.attachments) > 1:
            notes.append(Reply(t.ONE_FILE_ONLY))
        if not ctx.dialog.data.get("file") and att.local_path is not None:
            ctx.dialog.data["file"] = {"path": str(att.local_path), "kind": att.kind,
                                       "file_name": att.file_name or att.local_path.name}
        if not ctx.text.strip():
            name = ctx.dialog.data["file"]["file_name"] if ctx.dialog.data.get("file") else ""
            return [*notes, Reply(t.FILE_KEPT.format(name=name))]
    problem = jobs.text_problem(ctx.text)
    if problem:
        return [*notes, Reply(problem)]
    ctx.goto(FLOW, "audience", text=ctx.text)
    return [*notes, Reply(t.ASK_AUDIENCE, AUDIENCE_MENU)]


async def on_audience(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("a:"):
        return choose_again(ctx)
    audience = ctx.choice.id[2:]
    if audience == "groups":
        groups = await roster.list_groups(ctx.s)
        ctx.goto(FLOW, "groups", audience=audience)
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


async def _preview(ctx: Ctx, audience: str, group_ids: list[int]) -> list[Reply]:
    """Save the draft, then show the message exactly as recipients will see it."""
    row = await _draft(ctx, audience, group_ids)
    plan = await jobs.plan_run(ctx.s, ctx.deps, row)
    label = t.AUDIENCE_LABELS[audience]
    if not plan.reachable:
        ctx.goto(FLOW, "audience")
        return [Reply(t.NOBODY_REGISTERED.format(audience=label), AUDIENCE_MENU)]
    ctx.goto(FLOW, "when", draft_id=row.id, audience=audience, group_ids=group_ids)
    message = jobs.message_for(row, ctx.msg.chat.platform, jobs.ward_of(ctx.deps))
    replies = [Reply(t.PREVIEW_HEADER.format(id=row.id, people=plan.people, audience=label,
                                             unreachable=plan.people - plan.reachable)), message]
    parts = jobs.zalo_parts(jobs.message_for(row, Platform.ZALO, jobs.ward_of(ctx.deps)))
    if parts > 1:
        replies.append(Reply(t.PREVIEW_ZALO_PARTS.format(parts=parts)))
    return [*replies, Reply(t.ASK_WHEN, WHEN_MENU)]


async def _draft(ctx: Ctx, audience: str, group_ids: list[int]) -> Broadcast:
    data = ctx.dialog.data
    row = await repo.get(ctx.s, data["draft_id"]) if data.get("draft_id") else None
    if row is None:
        assert ctx.caller is not None
        row = await repo.create(ctx.s, text=data["text"], audience=audience, group_ids=group_ids,
                                created_by=ctx.caller.person_id, now=ctx.now,
                                file=data.get("file"),
                                remind_after_hours=ctx.deps.settings.broadcast_remind_after_hours)
    row.audience, row.group_ids = audience, group_ids
    data["draft_id"] = row.id
    await ctx.s.flush()
    return row


async def _row(ctx: Ctx) -> Broadcast:
    row = await repo.get(ctx.s, int(ctx.dialog.data["draft_id"]))
    assert row is not None
    return row


async def on_when(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("w:"):
        return choose_again(ctx)
    choice = ctx.choice.id[2:]
    if choice == "cancel":
        return await _drop(ctx)
    if choice == "at":
        ctx.goto(FLOW, "at")
        return [Reply(t.ASK_AT)]
    if choice == "repeat":
        ctx.goto(FLOW, "repeat")
        return [Reply(t.ASK_REPEAT, (Option("r:weekly", t.REPEAT_WEEKLY),
                                     Option("r:monthly", t.REPEAT_MONTHLY)))]
    row = await _row(ctx)
    plan = await jobs.plan_run(ctx.s, ctx.deps, row)
    problem = await jobs.quota_problem(ctx.s, ctx.deps, plan, ctx.now)
    if problem:
        return [Reply(problem), *await _drop(ctx, quiet=True)]
    ctx.goto(FLOW, "confirm", mode="now")
    return [Reply(t.CONFIRM_NOW.format(id=row.id, people=plan.reachable,
                                       messages=plan.messages), CONFIRM_MENU)]


async def _drop(ctx: Ctx, *, quiet: bool = False) -> list[Reply]:
    await jobs.cancel_draft(ctx.s, await _row(ctx))
    ctx.finish()
    return [] if quiet else [Reply(t.DRAFT_DROPPED)]


async def on_at(ctx: Ctx) -> list[Reply]:
    tz = ctx.deps.settings.tz
    moment = parse_local_datetime(ctx.text, tz)
    if moment is None:
        return [Reply(t.BAD_DATETIME.format(text=ctx.text[:40]))]
    if moment <= ctx.now:
        return [Reply(t.PAST_DATETIME.format(when=jobs.local_text(moment, tz)))]
    row = await _row(ctx)
    plan = await jobs.plan_run(ctx.s, ctx.deps, row)
    ctx.goto(FLOW, "confirm", mode="at", send_at=moment.isoformat())
    return [Reply(t.CONFIRM_AT.format(id=row.id, when=jobs.local_text(moment, tz),
                                      people=plan.reachable), CONFIRM_MENU)]


async def on_repeat(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id not in ("r:weekly", "r:monthly"):
        return choose_again(ctx)
    if ctx.choice.id == "r:weekly":
        ctx.goto(FLOW, "weekday", repeat="weekly")
        return [Reply(t.ASK_WEEKDAY,
                      tuple(Option(f"d:{i}", name) for i, name in enumerate(t.WEEKDAY_OPTIONS)))]
    ctx.goto(FLOW, "monthday", repeat="monthly")
    return [Reply(t.ASK_MONTHDAY)]


async def on_weekday(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("d:"):
        return choose_again(ctx)
    ctx.goto(FLOW, "time", day=int(ctx.choice.id[2:]))
    return [Reply(t.ASK_TIME)]


async def on_monthday(ctx: Ctx) -> list[Reply]:
    text = ctx.text.strip()
    if not text.isdigit() or not 1 <= int(text) <= 31:
        return [Reply(t.BAD_MONTHDAY)]
    ctx.goto(FLOW, "time", day=int(text))
    return [Reply(t.ASK_TIME)]


async def on_time(ctx: Ctx) -> list[Reply]:
    clock = parse_time(ctx.text)
    if clock is None:
        return [Reply(t.BAD_TIME.format(text=ctx.text[:20]))]
    ctx.goto(FLOW, "until", at=clock.strftime("%H:%M"))
    return [Reply(t.ASK_UNTIL)]


async def on_until(ctx: Ctx) -> list[Reply]:
    until = parse_date(ctx.text)
    if until is None:
        return [Reply(t.BAD_DATE.format(text=ctx.text[:20]))]
    data, tz = ctx.dialog.data, ctx.deps.settings.tz
    at = time.fromisoformat(data["at"])
    first = jobs.next_occurrence(data["repeat"], data["day"], at, until, ctx.now, tz)
    if first is None:
        return [Reply(t.UNTIL_NO_RUN.format(until=format_date(until)))]
    row = await _row(ctx)
    plan = await jobs.plan_run(ctx.s, ctx.deps, row)
    ctx.goto(FLOW, "confirm", mode="repeat", send_at=first.isoformat(), until=until.isoformat())
    return [Reply(t.CONFIRM_REPEAT.format(
        id=row.id, rule=jobs.rule_text(data["repeat"], data["day"]), time=data["at"],
        until=format_date(until), first=jobs.local_text(first, tz), people=plan.reachable),
        CONFIRM_MENU)]


async def on_confirm(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id not in ("yes", "no"):
        return choose_again(ctx)
    if ctx.choice.id == "no":
        return await _drop(ctx)
    data, row = ctx.dialog.data, await _row(ctx)
    assert ctx.caller is not None
    ctx.finish()
    at = datetime.fromisoformat(data["send_at"]) if data["mode"] != "now" else None
    repeat = None
    if data["mode"] == "repeat":
        repeat = jobs.Repeat(data["repeat"], int(data["day"]), date.fromisoformat(data["until"]))
    try:
        done = await jobs.launch(ctx.s, ctx.deps, row, ctx.now, actor=ctx.caller.person_id,
                                 at=at, repeat=repeat)
    except jobs.BroadcastRefused as refused:
        await jobs.cancel_draft(ctx.s, row)
        return [Reply(str(refused))]
    if at is None:
        return [Reply(t.QUEUED.format(id=row.id, messages=done.messages, people=done.people))]
    when = jobs.local_text(done.at, ctx.deps.settings.tz)
    return [Reply(t.SCHEDULED.format(id=row.id, when=when))]


def setup(router: Router) -> None:
    router.command("thongbao", start_broadcast, roles=ADMIN, starts_flow=True,
                   aliases=("thong_bao", "guitin", "tuyentruyen", "broadcast"))
    router.step(FLOW, "text", on_text, accepts_files=True)
    for step, handler in (("audience", on_audience), ("groups", on_groups), ("when", on_when),
                          ("at", on_at), ("repeat", on_repeat), ("weekday", on_weekday),
                          ("monthday", on_monthday), ("time", on_time), ("until", on_until),
                          ("confirm", on_confirm)):
        router.step(FLOW, step, handler)
