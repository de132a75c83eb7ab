"""/thongbao: an admin composes a broadcast: text (+ one file) → audience → preview → when →
confirm. Listing, editing, cancelling, /tinhtrang and «Đã nhận» live in broadcast_status."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from core.texts import broadcast as t
from core.textutil import fold, format_date, parse_date
from core.types import Option, Platform, Reply, Role
from handlers.common import choose_again
from handlers.router import Ctx, Router
from services import broadcasts as jobs
from storage import broadcasts as repo
from storage import events, roster
from storage.models import Broadcast

FLOW = "broadcast"
ADMIN = {Role.ADMIN}
AUDIENCE_MENU = tuple(Option(f"a:{key}", label) for key, label in t.AUDIENCE_LABELS.items())
WHEN_MENU = (Option("w:now", t.WHEN_NOW), Option("w:at", t.WHEN_AT),
             Option("w:repeat", t.WHEN_REPEAT), Option("w:cancel", t.WHEN_CANCEL))
CONFIRM_MENU = (Option("yes", t.CONFIRM_YES), Option("no", t.CONFIRM_NO))
_DATETIME = re.compile(r"^\s*(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4})\s+(\d{1,2})[:hg](\d{2})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})[:hg](\d{2})\s*$")


def parse_local(text: str, tz: Any) -> datetime | None:
    """'20/11/2025 08:00' in the ward's time zone, or None."""
    match = _DATETIME.match(text)
    day = parse_date(match.group(1)) if match else None
    clock = _clock(int(match.group(2)), int(match.group(3))) if match else None
    return datetime.combine(day, clock, tzinfo=tz) if day and clock else None


def _clock(hour: int, minute: int) -> time | None:
    return time(hour, minute) if 0 <= hour < 24 and 0 <= minute < 60 else None


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
    groups = await roster.list_groups(ctx.s)
    chosen: list[int] = []
    unknown: list[str] = []
    for item in (p.strip() for p in re.split(r"[,;\s]+", ctx.text) if p.strip()):
        numbered = item.isdigit() and 0 < int(item) <= len(groups)
        by_number = groups[int(item) - 1] if numbered else None
        group = by_number or next((g for g in groups if fold(g.code) == fold(item)), None)
        if group is None:
            unknown.append(item)
        else:
            chosen.append(group.id)
    if unknown or not chosen:
        return [Reply(t.UNKNOWN_GROUPS.format(items=", ".join(unknown) or "—"))]
    return await _preview(ctx, "groups", sorted(set(chosen)))


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
    row = await _row(ctx)
    row.status = repo.CANCELLED
    ctx.finish()
    return [] if quiet else [Reply(t.DRAFT_DROPPED)]


async def on_at(ctx: Ctx) -> list[Reply]:
    tz = ctx.deps.settings.tz
    moment = parse_local(ctx.text, tz)
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
    match = _TIME.match(ctx.text)
    clock = _clock(int(match.group(1)), int(match.group(2))) if match else None
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
    if data["mode"] == "now":
        return await _send_now(ctx, row)
    row.status, row.send_at = repo.SCHEDULED, datetime.fromisoformat(data["send_at"])
    row.next_run_at = row.send_at
    if data["mode"] == "repeat":
        row.repeat, row.repeat_day = data["repeat"], int(data["day"])
        row.repeat_until = date.fromisoformat(data["until"])
    await events.audit(ctx.s, ctx.now, ctx.caller.person_id, "broadcast_scheduled", id=row.id)
    ctx.finish()
    return [Reply(t.SCHEDULED.format(
        id=row.id, when=jobs.local_text(row.send_at, ctx.deps.settings.tz)))]


async def _send_now(ctx: Ctx, row: Broadcast) -> list[Reply]:
    assert ctx.caller is not None
    ctx.finish()
    plan = await jobs.plan_run(ctx.s, ctx.deps, row)
    problem = await jobs.quota_problem(ctx.s, ctx.deps, plan, ctx.now)
    if problem or not plan.reachable:
        row.status = repo.CANCELLED
        return [Reply(problem or t.NOBODY_REGISTERED.format(
            audience=t.AUDIENCE_LABELS[row.audience]))]
    row.status, row.send_at, row.next_run_at = repo.SCHEDULED, ctx.now, ctx.now
    written = await jobs.fire(ctx.s, ctx.deps, row.id, ctx.now)
    await events.audit(ctx.s, ctx.now, ctx.caller.person_id, "broadcast_sent", id=row.id,
                       messages=written)
    return [Reply(t.QUEUED.format(id=row.id, messages=written, people=plan.reachable))]


def setup(router: Router) -> None:
    router.command("thongbao", start_broadcast, roles=ADMIN, starts_flow=True,
                   aliases=("thong_bao", "guitin", "tuyentruyen", "broadcast"))
    router.step(FLOW, "text", on_text, accepts_files=True)
    for step, handler in (("audience", on_audience), ("groups", on_groups), ("when", on_when),
                          ("at", on_at), ("repeat", on_repeat), ("weekday", on_weekday),
                          ("monthday", on_monthday), ("time", on_time), ("until", on_until),
                          ("confirm", on_confirm)):
        router.step(FLOW, step, handler)
