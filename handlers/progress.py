"""/tiendo (a unit's progress for a period) and /nop (submit the unit's report)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core import texts
from core.texts import flows as t
from core.texts import menus
from core.textutil import format_datetime
from core.types import Option, Reply, Role
from handlers.common import (
    choose_again,
    deadline_text,
    is_late,
    period_command,
    period_from_args,
    period_step,
    periods_for_choice,
)
from handlers.more import folded
from handlers.router import Ctx, Router
from handlers.state import Flow, Refusal
from services import reports
from services.rounds import RoundRefused
from storage import assignments, entries, events, plans
from storage.models import Unit
from storage.plans import PeriodInfo, TaskInfo
from storage.summary import period_summary

REPORTERS = {Role.UNIT_HEAD, Role.ADMIN}
SUBMIT = Flow.SUBMIT


class SubmitStep(StrEnum):
    PERIOD = "period"
    CONFIRM = "confirm"


@dataclass(frozen=True, slots=True)
class SubmitDraft:
    period_id: int


async def _missing(ctx: Ctx, period: PeriodInfo, unit_id: int) -> tuple[list[TaskInfo], int]:
    """The unit's assigned tasks without an entry, and how many tasks are assigned to it."""
    done = await entries.unit_entries(ctx.s, period.id, unit_id)
    mine = (await assignments.period_assignments(ctx.s, period.id)).tasks_of(unit_id)
    tasks = [k for x in await plans.plan_outline(ctx.s, period.plan_id) for k in x.tasks
             if k.id in mine]
    return [k for k in tasks if k.id not in done], len(tasks)


async def show_progress(ctx: Ctx) -> list[Reply]:
    """/tiendo: tiến độ báo cáo của đơn vị trong kỳ."""
    periods = await periods_for_choice(ctx, for_unit=True)
    chosen = period_from_args(await plans.all_periods(ctx.s), ctx.args) if ctx.args else None
    period = chosen or (periods[0] if periods else None)
    if period is None:
        return [Reply(t.NO_OPEN_PERIOD)]
    caller = ctx.registered()
    if caller.unit_id is None:
        return await _overview(ctx, period)
    unit = await ctx.s.get(Unit, caller.unit_id)
    missing, total = await _missing(ctx, period, caller.unit_id)
    lines = [t.PROGRESS_HEADER.format(period=period.title, unit=unit.name if unit else "?"),
             t.PROGRESS_COUNT.format(done=total - len(missing), total=total),
             t.DEADLINE.format(deadline=await deadline_text(ctx, period))]
    lines.append(await _submission_line(ctx, period, caller.unit_id))
    if missing:
        lines.append(t.PROGRESS_MISSING)
        lines += folded(ctx, [f"- {k.code} {k.short_title}" for k in missing], t.TASKS_NOUN)
    options = (Option(f"cmd:baocao:{period.code}", menus.REPORT_TASK),
               Option(f"cmd:nop:{period.code}", menus.SUBMIT_REPORT))
    return [Reply("\n".join(lines), options)]


async def _submission_line(ctx: Ctx, period: PeriodInfo, unit_id: int) -> str:
    sub = await entries.last_submission(ctx.s, period.id, unit_id)
    if sub is None:
        return t.NOT_SUBMITTED_YET
    when = format_datetime(sub.submitted_at.astimezone(ctx.deps.settings.tz))
    line = t.SUBMITTED_AT.format(when=when, punctuality=t.LATE if sub.late else t.ON_TIME)
    changed = await entries.latest_change(ctx.s, period.id, unit_id)
    if changed is not None and changed > sub.submitted_at:
        line += "\n" + t.CHANGED_AFTER_SUBMIT
    return line


async def _overview(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    summary = await period_summary(ctx.s, period.id, details=False)
    if summary is None:
        raise Refusal(texts.DIALOG_LOST)
    lines = []
    for unit in summary.units:
        state = (t.LATE if unit.late else t.ON_TIME) if unit.submitted else t.NOT_SUBMITTED_SHORT
        lines.append(f"- {unit.name}: {unit.reported}/{unit.total}, {state}")
    header = t.OVERVIEW_HEADER.format(period=period.title)
    return [Reply("\n".join([header, *folded(ctx, lines, t.UNITS_NOUN)]))]


async def _check(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    unit_id = ctx.unit_id()
    if period.closed:
        ctx.finish()
        return [Reply(t.PERIOD_CLOSED.format(period=period.title))]
    missing, total = await _missing(ctx, period, unit_id)
    if missing:
        ctx.finish()
        lines = [t.SUBMIT_REFUSED.format(count=len(missing), total=total)]
        lines += folded(ctx, [f"- {k.code} {k.short_title}" for k in missing], t.TASKS_NOUN)
        return [Reply("\n".join(lines), (Option(f"cmd:baocao:{period.code}", menus.REPORT_MORE),))]
    ctx.move(SUBMIT, SubmitStep.CONFIRM, SubmitDraft(period.id))
    late = await is_late(ctx, period)
    text = t.SUBMIT_CONFIRM.format(period=period.title, deadline=await deadline_text(ctx, period))
    if late:
        text += "\n" + t.SUBMIT_WILL_BE_LATE
    return [Reply(text, (Option("yes", menus.YES_SUBMIT), Option("no", menus.CANCEL)))]


async def on_confirm(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id not in ("yes", "no"):
        return choose_again(ctx)
    if ctx.choice.id == "no":
        ctx.finish()
        return [Reply(texts.CANCELLED)]
    unit_id, person_id = ctx.unit_id(), ctx.person_id()
    period = await plans.period_by_id(ctx.s, ctx.draft(SubmitDraft).period_id)
    if period is None:
        raise Refusal(texts.DIALOG_LOST)
    missing, _ = await _missing(ctx, period, unit_id)
    ctx.finish()
    if missing:  # an entry may have changed in between; never submit an incomplete report
        return [Reply(t.SUBMIT_REFUSED.format(count=len(missing), total="?"))]
    late = await is_late(ctx, period)
    try:
        sub = await reports.submit(ctx.s, period, unit_id=unit_id, person_id=person_id,
                                   now=ctx.now, late=late)
    except RoundRefused as refused:
        return [Reply(str(refused))]
    await events.audit(ctx.s, ctx.now, person_id, "submitted", period=period.id,
                       unit=unit_id, late=late, count=sub.count)
    text = t.SUBMITTED.format(period=period.title, punctuality=t.LATE if late else t.ON_TIME)
    if sub.count > 1:
        text += "\n" + t.RESUBMITTED.format(count=sub.count)
    return [Reply(text)]


_pick_period = period_command(SUBMIT, t.SUBMIT_ASK_PERIOD, _check, open_only=True)


async def start_submit(ctx: Ctx) -> list[Reply]:
    """/nop: nộp báo cáo của đơn vị cho kỳ báo cáo."""
    return await _pick_period(ctx)


on_period = period_step(_check, open_only=True)


def setup(router: Router) -> None:
    router.command("tiendo", show_progress, roles=REPORTERS, aliases=("tien_do", "progress"))
    router.command("nop", start_submit, roles=REPORTERS, needs_unit=True, starts_flow=True,
                   aliases=("nopbaocao", "submit"))
    router.flow(SUBMIT, {SubmitStep.PERIOD: on_period, SubmitStep.CONFIRM: on_confirm},
                needs_unit=True)
