"""After composing: «Đã nhận» acknowledgements, /tinhtrang with resend, and /lichgui to list,
edit (/suatb) or cancel (/huytb) broadcasts that have not gone out yet."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.texts import broadcast as t
from core.textutil import shorten
from core.types import Option, Reply, Role
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import broadcasts as jobs
from storage import broadcasts as repo
from storage import deliveries, events
from storage.models import Broadcast

# A ward's admins follow their ward's broadcasts, the city's staff the city's (issue 19).
ADMIN = {Role.ADMIN, Role.CITY}
EVERYONE = {Role.ADMIN, Role.UNIT_HEAD, Role.GROUP_LEADER}
EDIT_FLOW = Flow.BROADCAST_EDIT


class EditStep(StrEnum):
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class EditDraft:
    broadcast_id: int


def _id(args: str) -> int | None:
    word = args.strip().lstrip("#")
    return int(word) if word.isdigit() and len(word) < 10 else None


def _city(ctx: Ctx) -> bool:
    """The caller is the city: it lists and changes the city's broadcasts only (and a ward's
    admin never the city's, whatever the session's scope)."""
    return ctx.registered().role is Role.CITY


def _preview(text: str, size: int = 60) -> str:
    return shorten(" ".join(text.split()), size)


async def acknowledge(ctx: Ctx) -> list[Reply]:
    """/danhan [số]: xác nhận đã nhận thông báo (nút «Đã nhận», hoặc trả lời 1 trên Zalo)."""
    person_id = ctx.person_id()
    broadcast_id = _id(ctx.args)
    if broadcast_id is None:
        broadcast_id = await repo.last_unacknowledged(ctx.s, person_id)
        if broadcast_id is None:
            return [Reply(t.ACK_NOTHING)]
    result = await repo.acknowledge(ctx.s, broadcast_id, person_id, ctx.now)
    if result == "forged":
        return [Reply(t.ACK_FORGED.format(id=broadcast_id))]
    if result == "ok":
        await events.audit(ctx.s, ctx.now, person_id, "broadcast_ack", id=broadcast_id)
        return [Reply(t.ACK_THANKS.format(id=broadcast_id))]
    return [Reply(t.ACK_ALREADY.format(id=broadcast_id))]


async def show_status(ctx: Ctx) -> list[Reply]:
    """/tinhtrang [số]: tình hình gửi và xác nhận các thông báo gần đây."""
    broadcast_id = _id(ctx.args)
    if broadcast_id is not None:
        return await _detail(ctx, broadcast_id)
    rows = await repo.recent(ctx.s, city=_city(ctx))
    if not rows:
        return [Reply(t.STATUS_NONE)]
    lines, options = [t.STATUS_HEADER], []
    for row in rows:
        stats = await repo.run_stats(ctx.s, row.id, row.run_no)
        lines.append(t.STATUS_LINE.format(
            id=row.id, when=_when(ctx, row), preview=_preview(row.text, 40),
            delivered=stats.delivered, acked=stats.acknowledged,
            failed=stats.failed + stats.blocked, people=stats.people))
        options.append(Option(f"cmd:tinhtrang:{row.id}", t.STATUS_LABEL.format(id=row.id)))
    return [Reply("\n".join(lines), tuple(options))]


def _when(ctx: Ctx, row: Broadcast) -> str:
    moment = row.run_started_at or row.created_at
    return jobs.local_text(moment, ctx.deps.settings.tz)


async def _detail(ctx: Ctx, broadcast_id: int) -> list[Reply]:
    row = await repo.get(ctx.s, broadcast_id, city=_city(ctx))
    if row is None or row.status == repo.DRAFT:
        return [Reply(t.NOT_FOUND.format(id=broadcast_id))]
    if row.run_no == 0:
        return [Reply(t.NOT_SENT_YET.format(id=broadcast_id))]
    stats = await repo.run_stats(ctx.s, row.id, row.run_no)
    lines = [t.DETAIL_HEADER.format(id=row.id, run=row.run_no, when=_when(ctx, row),
                                    preview=_preview(row.text)),
             t.DETAIL_COUNTS.format(people=stats.people, delivered=stats.delivered,
                                    acked=stats.acknowledged, pending=stats.pending,
                                    failed=stats.failed, blocked=stats.blocked,
                                    unreachable=stats.unreachable)]
    if stats.people and stats.acknowledged == stats.people:
        return [Reply("\n".join([*lines, t.DETAIL_ALL_ACKED]))]
    # Every recipient who has not acknowledged, by what happened to their message.
    if stats.waiting:
        lines.append(t.DETAIL_WAITING.format(count=len(stats.waiting)))
        lines += [f"- {name}" for _, name in stats.waiting]
    for outcome, heading in ((deliveries.PENDING, t.DETAIL_QUEUED),
                             (deliveries.FAILED, t.DETAIL_FAILED),
                             (deliveries.GONE, t.DETAIL_BLOCKED)):
        names = [name for name, state in stats.not_reached if state == outcome]
        if names:
            lines.append(heading.format(count=len(names)))
            lines += [f"- {name}" for name in names]
    if stats.unreachable_names:
        lines.append(t.DETAIL_UNREACHABLE.format(count=len(stats.unreachable_names)))
        lines += [f"- {name}" for name in stats.unreachable_names]
    options = (Option(f"cmd:guilai:{row.id}", t.RESEND_LABEL),) if stats.waiting else ()
    return [Reply("\n".join(lines), options)]


async def resend_unacknowledged(ctx: Ctx) -> list[Reply]:
    """/guilai SỐ: gửi lại thông báo cho những người chưa xác nhận."""
    broadcast_id = _id(ctx.args)
    if broadcast_id is None and not ctx.args.strip():
        return await _choose_resend(ctx)
    if broadcast_id is None:
        return [Reply(t.NOT_FOUND.format(id=shorten(ctx.args.strip(), 20)))]
    try:
        plan = await jobs.resend_waiting(ctx.s, ctx.deps, broadcast_id, ctx.now,
                                         actor=ctx.person_id(), city=_city(ctx))
    except jobs.BroadcastRefused as refused:
        return [Reply(str(refused))]
    return [Reply(t.RESENT.format(id=broadcast_id, people=plan.reachable,
                                  messages=plan.messages))]


async def _choose_resend(ctx: Ctx) -> list[Reply]:
    """/guilai alone: the recent announcements to pick from, or how to use it."""
    rows = [row for row in await repo.recent(ctx.s, city=_city(ctx)) if row.run_no > 0]
    if not rows:
        return [Reply(t.RESEND_NONE)]
    options = tuple(Option(f"cmd:guilai:{row.id}",
                           t.RESEND_PICK.format(id=row.id, preview=_preview(row.text, 40)))
                    for row in rows)
    return [Reply(t.RESEND_ASK, options)]


async def list_scheduled(ctx: Ctx) -> list[Reply]:
    """/lichgui: các thông báo đang hẹn giờ, với lựa chọn sửa hoặc hủy."""
    rows = await repo.pending_schedule(ctx.s, city=_city(ctx))
    if not rows:
        return [Reply(t.SCHEDULED_NONE)]

    lines, options = [t.SCHEDULED_HEADER], []
    for row in rows:
        assert row.next_run_at is not None
        rule = f" ({jobs.rule_text(row.repeat, int(row.repeat_day or 0))})" if row.repeat else ""
        lines.append(t.SCHEDULED_LINE.format(
            id=row.id, when=jobs.local_text(row.next_run_at, ctx.deps.settings.tz), rule=rule,
            audience=await jobs.audience_label(ctx.s, row, ctx.deps),
            preview=_preview(row.text, 40)))
        options += [Option(f"cmd:suatb:{row.id}", t.EDIT_LABEL.format(id=row.id)),
                    Option(f"cmd:huytb:{row.id}", t.CANCEL_LABEL.format(id=row.id))]
    return [Reply("\n".join(lines), tuple(options))]


async def _pending(ctx: Ctx) -> tuple[Broadcast | None, list[Reply]]:
    broadcast_id = _id(ctx.args)
    if broadcast_id is None:
        return None, [Reply(t.NOT_FOUND.format(id=shorten(ctx.args.strip(), 20) or "?"))]
    try:
        return await jobs.waiting_row(ctx.s, broadcast_id, lock=False, city=_city(ctx)), []
    except jobs.BroadcastRefused as refused:
        return None, [Reply(str(refused))]


async def start_edit(ctx: Ctx) -> list[Reply]:
    """/suatb SỐ: sửa nội dung một thông báo chưa gửi."""
    row, problem = await _pending(ctx)
    if row is None:
        ctx.finish()
        return problem
    ctx.move(EDIT_FLOW, EditStep.TEXT, EditDraft(row.id))
    return [Reply(t.ASK_NEW_TEXT.format(id=row.id, text=row.text))]


async def on_edit_text(ctx: Ctx) -> list[Reply]:

    problem = jobs.text_problem(ctx.text)
    if problem:
        return [Reply(problem)]  # the dialog stays: the admin types the text again
    broadcast_id = ctx.draft(EditDraft).broadcast_id
    ctx.finish()
    try:
        row = await jobs.edit_waiting(ctx.s, broadcast_id, ctx.text, ctx.now,
                                      actor=ctx.person_id(), city=_city(ctx))
    except jobs.BroadcastRefused as refused:
        return [Reply(str(refused))]
    assert row.next_run_at is not None  # a waiting broadcast has its next run
    return [Reply(t.EDITED.format(id=row.id,
                                  when=jobs.local_text(row.next_run_at, ctx.deps.settings.tz)))]


async def cancel_scheduled(ctx: Ctx) -> list[Reply]:
    """/huytb SỐ: hủy một thông báo đang hẹn giờ."""
    broadcast_id = _id(ctx.args)
    if broadcast_id is None:
        return [Reply(t.NOT_FOUND.format(id=shorten(ctx.args.strip(), 20) or "?"))]
    try:
        row = await jobs.cancel_waiting(ctx.s, broadcast_id, ctx.now, actor=ctx.person_id(),
                                        city=_city(ctx))
    except jobs.BroadcastRefused as refused:
        return [Reply(str(refused))]
    return [Reply(t.CANCELLED_ONE.format(id=row.id))]


def setup(router: Router) -> None:
    router.command("danhan", acknowledge, roles=EVERYONE, aliases=("da_nhan", "xacnhan"))
    router.command("tinhtrang", show_status, roles=ADMIN, aliases=("tinh_trang",))
    router.command("guilai", resend_unacknowledged, roles=ADMIN, aliases=("gui_lai",))
    router.command("lichgui", list_scheduled, roles=ADMIN, aliases=("lich_gui",))
    router.command("suatb", start_edit, roles=ADMIN, starts_flow=True)
    router.command("huytb", cancel_scheduled, roles=ADMIN)
    router.step(EDIT_FLOW, EditStep.TEXT, on_edit_text)
