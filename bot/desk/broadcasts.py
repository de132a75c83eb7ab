"""Broadcasts: compose with a preview (audience, when, the Zalo quota it uses), the list with
scheduled and recurring ones editable and cancellable, and a broadcast's per-recipient status
with "resend to those who have not acknowledged". The rules are services.broadcasts'."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.desk.common import DEPS, PREFIX, Visit, form, message, page, refusal, scoped
from core.deps import Deps
from core.texts import broadcast as bt
from core.texts import desk as tx
from core.textutil import clean_input, format_date, parse_date, parse_local_datetime, parse_time
from services import broadcasts as jobs
from storage import broadcasts as repo
from storage import roster

WHEN = ("now", "at", "weekly", "monthly")


@dataclass(frozen=True, slots=True)
class Composed:
    text: str
    audience: str
    group_ids: list[int]
    at: datetime | None
    repeat: jobs.Repeat | None


def _parse_when(fields: dict[str, str], deps: Deps) -> tuple[datetime | None, jobs.Repeat | None]:
    tz, now = deps.settings.tz, deps.clock.now()
    mode = fields.get("when", "now")
    if mode == "now":
        return None, None
    if mode == "at":
        at = parse_local_datetime(fields.get("at", ""), tz)
        if at is None:
            raise jobs.BroadcastRefused(bt.BAD_DATETIME.format(text=fields.get("at", "")[:20]))
        return at, None
    clock, until = parse_time(fields.get("time", "")), parse_date(fields.get("until", ""))
    if clock is None:
        raise jobs.BroadcastRefused(bt.BAD_TIME.format(text=fields.get("time", "")[:20]))
    if until is None:
        raise jobs.BroadcastRefused(bt.BAD_DATE.format(text=fields.get("until", "")[:20]))
    key = "weekday" if mode == "weekly" else "monthday"
    raw = fields.get(key, "")
    day = int(raw) if raw.isdigit() else -1
    if not (0 <= day <= 6 if mode == "weekly" else 1 <= day <= 31):
        raise jobs.BroadcastRefused(bt.BAD_MONTHDAY)
    first = jobs.next_occurrence(mode, day, clock, until, now, tz)
    if first is None:
        raise jobs.BroadcastRefused(bt.UNTIL_NO_RUN.format(until=format_date(until)))
    return first, jobs.Repeat(mode, day, until)


async def _compose(s: AsyncSession, deps: Deps, fields: dict[str, str]) -> Composed:
    """The form as a broadcast to preview or send; BroadcastRefused with the chat's wording."""
    text = clean_input(fields.get("text", ""))
    problem = jobs.text_problem(text)
    if problem:
        raise jobs.BroadcastRefused(problem)
    audience = fields.get("audience", "")
    if audience not in repo.AUDIENCES or fields.get("when", "now") not in WHEN:
        raise jobs.BroadcastRefused(bt.TYPE_AGAIN)
    groups: list[int] = []
    if audience == "groups":
        items = [c.strip() for c in fields.get("groups", "").replace(";", ",").split(",")]
        groups = await jobs.resolve_groups(s, [c for c in items if c])
    at, repeat = _parse_when(fields, deps)
    return Composed(text, audience, groups, at, repeat)


async def _listing(request: web.Request, visit: Visit) -> dict[str, object]:
    async with scoped(request, visit)() as s:
        rows = await repo.newest(s)
        stats = {r.id: await repo.run_stats(s, r.id, r.run_no) for r in rows if r.run_no}
        groups = await roster.list_groups(s)
    return {"rows": rows, "stats": stats, "groups": groups}


async def list_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    return page("broadcasts.html", request, visit, **await _listing(request, visit), fields={},
                labels=bt.AUDIENCE_LABELS, weekdays=bt.WEEKDAY_OPTIONS, local=_local(deps),
                rule=jobs.rule_text)


def _local(deps: Deps) -> Callable[[datetime | None], str]:
    """dd/mm/yyyy hh:mm in the ward's time zone, for the templates."""
    tz = deps.settings.tz
    return lambda moment: jobs.local_text(moment, tz) if moment else "—"


async def _fields(request: web.Request) -> dict[str, str]:
    """The form, the tổ ticked in the list joined to those typed (one field for the preview's
    hidden copy)."""
    fields = await form(request)
    ticked = [str(v) for v in (await request.post()).getall("group", [])]
    fields.pop("group", None)
    fields["groups"] = ", ".join(filter(None, [*ticked, fields.get("groups", "").strip()]))
    return fields


async def preview(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    fields = await _fields(request)
    async with scoped(request, visit)() as s:
        try:
            composed = await _compose(s, deps, fields)
            shown = await jobs.preview(s, deps, text=composed.text, audience=composed.audience,
                                       group_ids=composed.group_ids, now=deps.clock.now())
        except jobs.BroadcastRefused as refused:
            return refusal(request, visit, str(refused))
    over = shown.zalo_remaining is not None and shown.zalo_messages > shown.zalo_remaining
    return page("broadcast_preview.html", request, visit, fields=fields, composed=composed,
                shown=shown, over=over, labels=bt.AUDIENCE_LABELS, local=_local(deps),
                rule=jobs.rule_text)


async def send(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    fields = await _fields(request)
    now = deps.clock.now()
    try:
        async with scoped(request, visit).begin() as s:
            composed = await _compose(s, deps, fields)
            row = await repo.create(s, text=composed.text, audience=composed.audience,
                                    group_ids=composed.group_ids, created_by=visit.user.person_id,
                                    now=now,
                                    remind_after_hours=deps.settings.broadcast_remind_after_hours)
            done = await jobs.launch(s, deps, row, now, actor=visit.user.person_id,
                                     at=composed.at, repeat=composed.repeat)
    except jobs.BroadcastRefused as refused:  # the transaction rolled back: nothing saved
        return refusal(request, visit, str(refused))
    raise web.HTTPSeeOther(f"{PREFIX}/broadcasts/{done.broadcast_id}")


async def detail(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    broadcast_id = int(request.match_info["broadcast_id"])
    only = request.query.get("status", "")
    async with scoped(request, visit)() as s:
        row = await repo.get(s, broadcast_id, city=False)  # the desk is a ward's
        if row is None or row.status == repo.DRAFT:
            return message(request, tx.NOT_FOUND, 404, visit)
        stats = await repo.run_stats(s, row.id, row.run_no) if row.run_no else None
        people = await repo.recipients(s, row.id, row.run_no) if row.run_no else []
    shown = [p for p in people if _matches(p, only)]
    return page("broadcast.html", request, visit, row=row, stats=stats, people=shown,
                total=len(people), only=only, labels=bt.AUDIENCE_LABELS, local=_local(deps),
                rule=jobs.rule_text, waiting=bool(stats and stats.waiting),
                editable=row.status in (repo.SCHEDULED, repo.SENDING) and row.next_run_at)


def _matches(person: repo.RecipientRow, only: str) -> bool:
    if only == "acknowledged":
        return person.acknowledged_at is not None
    if only == "waiting":
        return person.acknowledged_at is None and person.outcome == repo.SENT
    if only in (repo.PENDING, repo.FAILED, repo.GONE, "unreachable"):
        return person.acknowledged_at is None and person.outcome == only
    return True


async def resend(request: web.Request, visit: Visit) -> web.StreamResponse:
    return await _act(request, visit, "resend")


async def cancel(request: web.Request, visit: Visit) -> web.StreamResponse:
    return await _act(request, visit, "cancel")


async def edit(request: web.Request, visit: Visit) -> web.StreamResponse:
    return await _act(request, visit, "edit")


async def _act(request: web.Request, visit: Visit, action: str) -> web.StreamResponse:
    deps = request.app[DEPS]
    broadcast_id = int(request.match_info["broadcast_id"])
    fields, now, actor = await form(request), deps.clock.now(), visit.user.person_id
    try:
        async with scoped(request, visit).begin() as s:
            if action == "resend":
                await jobs.resend_waiting(s, deps, broadcast_id, now, actor=actor)
            elif action == "cancel":
                await jobs.cancel_waiting(s, broadcast_id, now, actor=actor)
            else:
                await jobs.edit_waiting(s, broadcast_id, clean_input(fields.get("text", "")),
                                        now, actor=actor)
    except jobs.BroadcastRefused as refused:
        return refusal(request, visit, str(refused))
    raise web.HTTPSeeOther(f"{PREFIX}/broadcasts/{broadcast_id}?done={action}")


