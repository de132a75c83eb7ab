"""/phancong (admins): see and change which units lead (chủ trì) and join (phối hợp) a task.

The rules are in services/assignments.py, shared with the command line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.texts import assignments as t
from core.texts import flows as ft
from core.textutil import fold
from core.types import Reply, Role
from handlers.more import folded
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import assignments
from services.assignments import AssignmentRefused
from storage import events

FLOW = Flow.ASSIGN
ADMIN = {Role.ADMIN}
EVERYONE_WORDS = {"tat ca", "moi don vi", "all"}


@dataclass(frozen=True, slots=True)
class AssignDraft:
    task: str = ""  # the task code being assigned


class Step(StrEnum):
    TASK = "task"
    UNITS = "units"


async def start_assign(ctx: Ctx) -> list[Reply]:
    """/phancong: phân công đơn vị chủ trì, phối hợp cho từng nhiệm vụ."""
    if ctx.args.strip():
        return await _show_task(ctx, ctx.args)
    try:
        plan, views = await assignments.list_all(ctx.s)
    except AssignmentRefused as refused:
        ctx.finish()
        return [Reply(str(refused))]
    ctx.move(FLOW, Step.TASK, AssignDraft())
    header, *tasks = assignments.listing_text(plan, views).split("\n")
    shown = "\n".join([header, *folded(ctx, tasks, ft.TASKS_NOUN)])  # a phone's screen
    return [Reply(shown + "\n\n" + t.ASK_TASK.format(plan=plan.number))]


async def on_task(ctx: Ctx) -> list[Reply]:
    return await _show_task(ctx, ctx.text)


async def _show_task(ctx: Ctx, code: str) -> list[Reply]:
    try:
        plan = await assignments.plan_of(ctx.s)
        task = await assignments.find_task(ctx.s, plan, code)
    except AssignmentRefused as refused:
        ctx.move(FLOW, Step.TASK, AssignDraft())
        return [Reply(str(refused))]
    view = await assignments.task_view(ctx.s, plan.id, task.id)
    ctx.move(FLOW, Step.UNITS, AssignDraft(task.code))
    return [Reply(t.TASK_NOW.format(code=view.code, title=view.short_title,
                                    units=assignments.units_text(view)) + "\n"
                  + t.ASK_UNITS.format(known=await assignments.known_codes(ctx.s)))]


async def on_units(ctx: Ctx) -> list[Reply]:
    """"VP / KTHTDT, TTSNC": lead before the slash, join after; "tat ca": every unit."""
    task = ctx.draft(AssignDraft).task
    typed = ctx.text.strip()
    try:
        if fold(typed) in EVERYONE_WORDS:
            view = await assignments.clear_units(ctx.s, task)
        else:
            lead, _, join = typed.partition("/")
            view = await assignments.set_units(ctx.s, task, assignments.parse_codes(lead),
                                               assignments.parse_codes(join))
    except AssignmentRefused as refused:
        return [Reply(str(refused))]  # the same step: type the codes again
    actor = ctx.caller.person_id if ctx.caller else None
    await events.audit(ctx.s, ctx.now, actor, "task_assigned", task=view.code,
                       lead=[c for c, _ in view.lead], join=[c for c, _ in view.join])
    ctx.finish()
    return [Reply(assignments.set_text(view))]


def setup(router: Router) -> None:
    router.command("phancong", start_assign, roles=ADMIN, starts_flow=True,
                   aliases=("phan_cong", "assign"))
    router.step(FLOW, Step.TASK, on_task)
    router.step(FLOW, Step.UNITS, on_units)
