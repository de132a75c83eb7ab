"""/lich (deadlines and reminder dates), /nhacnho (remind missing units now), /khoaky and
/moky (close or reopen a period: closing stops reminders and digests)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from core import texts
from core.texts import flows as ft
from core.texts import menus
from core.texts import scheduler as t
from core.textutil import format_date
from core.types import Option, Reply, Role
from handlers import rounds as rounds_flow
from handlers.common import choose_again, chosen_period, period_from_args, pick_period
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import reminders
from services.reminders import PeriodPlan
from services.rounds import round_name
from storage import events, plans
from storage.calendar import working_calendar
from storage.plans import PeriodInfo

EVERYONE = {Role.ADMIN, Role.UNIT_HEAD, Role.GROUP_LEADER}
ADMIN = {Role.ADMIN}
NUDGE, CLOSE = Flow.NUDGE, Flow.CLOSE


class NudgeStep(StrEnum):
    PERIOD = "period"


class CloseStep(StrEnum):
    PERIOD = "period"
    CONFIRM = "confirm"


@dataclass(frozen=True, slots=True)
class CloseDraft:
    period_id: int


async def _plan(ctx: Ctx, period: PeriodInfo) -> PeriodPlan:
    calendar = await working_calendar(ctx.s)
    return reminders.plan_period(period, calendar, ctx.deps.settings)


async def show_schedule(ctx: Ctx) -> list[Reply]:
    """/lich: hạn nộp và ngày nhắc của các kỳ báo cáo đang mở."""
    periods = await plans.open_periods(ctx.s, ctx.deps.clock.today())
    if not periods:
        return [Reply(t.SCHEDULE_NONE)]
    hour = f"{ctx.deps.settings.reminder_hour:02d}:00"
    lines = [t.SCHEDULE_HEADER]
    for period in sorted(periods, key=lambda p: p.due_before):
        plan = await _plan(ctx, period)
        lines.append(t.SCHEDULE_PERIOD.format(period=round_name(period),
                                              deadline=reminders.day_text(plan.deadline)))
        days = ", ".join(format_date(s.day) + (t.SCHEDULE_PAST if s.at <= ctx.now else "")
                         for s in plan.slots)
        lines.append(t.SCHEDULE_REMINDERS.format(hour=hour, days=days))
        lines.append(t.SCHEDULE_DIGEST.format(hour=hour, day=format_date(plan.first_digest.day)))
    return [Reply("\n".join(lines))]


async def start_nudge(ctx: Ctx) -> list[Reply]:
    """/nhacnho: gửi ngay nhắc nhở tới các đơn vị chưa nộp báo cáo."""
    period, replies = await pick_period(ctx, NUDGE, t.NUDGE_ASK_PERIOD)
    return replies if period is None else await _nudge(ctx, period)


async def on_nudge_period(ctx: Ctx) -> list[Reply]:
    period = await chosen_period(ctx)
    return choose_again(ctx) if period is None else await _nudge(ctx, period)


async def _nudge(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    ctx.finish()
    if period.closed:
        return [Reply(ft.PERIOD_CLOSED.format(period=period.title))]
    gaps, _ = await reminders.units_missing(ctx.s, period)
    if not gaps:
        return [Reply(t.NUDGE_NOBODY_MISSING.format(period=period.title))]
    plan = await _plan(ctx, period)
    calendar = await working_calendar(ctx.s)
    days_left = calendar.working_days_until(ctx.deps.clock.today(), plan.deadline)
    tag = f"manual-{uuid.uuid4().hex[:12]}"  # every /nhacnho is a new message, by design
    written = await reminders.enqueue_reminders(ctx.s, plan, gaps, tag, ctx.now, days_left,
                                                manual=True)
    await events.audit(ctx.s, ctx.now, ctx.person_id(), "reminder_now", period=period.id,
                       units=len(gaps), messages=written)
    heads = await reminders.unit_heads(ctx.s, [g.unit_id for g in gaps])
    reached = {g.unit_id for g in gaps
               if await reminders.reachable(ctx.s, heads.get(g.unit_id, []))}
    unreachable = "; ".join(g.name for g in gaps if g.unit_id not in reached)
    if not written:
        return [Reply(t.NUDGE_NO_RECIPIENT.format(units=len(gaps), period=period.title,
                                                  names=unreachable))]
    text = t.NUDGE_SENT.format(period=period.title, people=written, units=len(reached))
    if unreachable:
        text += "\n" + t.NUDGE_UNREACHABLE.format(names=unreachable)
    return [Reply(text)]


async def start_close(ctx: Ctx) -> list[Reply]:
    """/khoaky: khóa kỳ báo cáo (dừng nhắc hạn và tổng hợp hằng ngày)."""
    period, replies = await pick_period(ctx, CLOSE, t.CLOSE_ASK_PERIOD)
    return replies if period is None else _confirm_close(ctx, period)


async def on_close_period(ctx: Ctx) -> list[Reply]:
    period = await chosen_period(ctx)
    return choose_again(ctx) if period is None else _confirm_close(ctx, period)


def _confirm_close(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    if period.closed:
        ctx.finish()
        return [Reply(t.ALREADY_CLOSED.format(period=period.title))]
    ctx.move(CLOSE, CloseStep.CONFIRM, CloseDraft(period.id))
    return [Reply(t.CLOSE_CONFIRM.format(period=round_name(period)),
                  (Option("yes", t.CLOSE_YES), Option("no", menus.CANCEL)))]


async def on_close_confirm(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id not in ("yes", "no"):
        return choose_again(ctx)
    period_id = ctx.draft(CloseDraft).period_id
    ctx.finish()
    if ctx.choice.id == "no":
        return [Reply(texts.CANCELLED)]
    return await rounds_flow.set_closed(ctx, str(period_id), closing=True)


async def reopen(ctx: Ctx) -> list[Reply]:
    """/moky MÃ_KỲ: mở lại kỳ đã khóa."""
    every = await plans.all_periods(ctx.s)
    period = period_from_args(every, ctx.args) if ctx.args else None
    if period is None:
        if ctx.args:
            return [Reply(ft.UNKNOWN_PERIOD.format(arg=ctx.args))]
        closed = [p for p in every if p.closed]
        if not closed:
            return [Reply(t.NO_CLOSED_PERIOD)]
        # The rounds flow's menu: a wrong answer is asked again instead of ending the dialog.
        return rounds_flow.ask_which(ctx, closed, closing=False)
    if not period.closed:
        return [Reply(t.NOT_CLOSED.format(period=period.title))]
    return await rounds_flow.set_closed(ctx, str(period.id), closing=False)


def setup(router: Router) -> None:
    router.command("lich", show_schedule, roles=EVERYONE, aliases=("hanchot", "lichbaocao"))
    router.command("nhacnho", start_nudge, roles=ADMIN, starts_flow=True,
                   aliases=("nhac_nho", "nhacngay"))
    router.command("khoaky", start_close, roles=ADMIN, starts_flow=True,
                   aliases=("khoa_ky", "dongky"))
    router.command("moky", reopen, roles=ADMIN, aliases=("mo_ky", "mokhoa"))
    router.flow(NUDGE, {NudgeStep.PERIOD: on_nudge_period})
    router.flow(CLOSE, {CloseStep.PERIOD: on_close_period, CloseStep.CONFIRM: on_close_confirm})
