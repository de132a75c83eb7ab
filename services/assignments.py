"""Assignments of tasks to units, by task code and unit codes: shared by the CLI and chat.

A task without assignment rows is every active unit's; setting units makes it theirs only."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.texts import assignments as t
from core.textutil import fold, shorten
from services.rounds import RoundRefused, latest_plan
from storage import assignments, roster
from storage.assignments import TaskUnitsView
from storage.models import Plan, Task


class AssignmentRefused(Exception):
    """Input the ward must correct; the message says what, in Vietnamese."""


def parse_codes(text: str | None) -> list[str]:
    """"VP, KTHTDT TTSNC" → ["VP", "KTHTDT", "TTSNC"]."""
    return [x for x in re.split(r"[\s,;]+", (text or "").strip()) if x]


async def plan_of(s: AsyncSession, plan_number: str | None = None) -> Plan:
    try:
        return await latest_plan(s, plan_number)
    except RoundRefused as refused:
        raise AssignmentRefused(str(refused)) from None


async def find_task(s: AsyncSession, plan: Plan, code: str) -> Task:
    key = fold(code.strip()).rstrip(".")
    for task in await s.scalars(select(Task).where(Task.plan_id == plan.id)):
        if fold(task.code) == key:
            return task
    raise AssignmentRefused(t.NO_TASK.format(code=shorten(code.strip(), 20), plan=plan.number))


async def unit_ids(s: AsyncSession, codes: Iterable[str]) -> list[int]:
    """Active units by code (any case), in the order given; unknown codes refused, all named."""
    units = await roster.list_units(s)
    by_code = {u.code.upper(): u.id for u in units}
    wanted = [c.strip().upper() for c in codes if c.strip()]
    unknown = [c for c in dict.fromkeys(wanted) if c not in by_code]
    if unknown:
        raise AssignmentRefused(t.UNKNOWN_UNITS.format(
            codes=", ".join(unknown), known=", ".join(u.code for u in units)))
    return [by_code[c] for c in wanted]


async def set_units(s: AsyncSession, task_code: str, lead: Iterable[str], join: Iterable[str],
                    *, plan_number: str | None = None) -> TaskUnitsView:
    """The task is assigned to exactly these units (lead and join)."""
    plan = await plan_of(s, plan_number)
    task = await find_task(s, plan, task_code)
    lead, join = list(lead), list(join)
    await unit_ids(s, lead + join)  # every unknown code named at once
    leads, joins = await unit_ids(s, lead), await unit_ids(s, join)
    if not leads and not joins:
        raise AssignmentRefused(t.NO_UNITS)
    await assignments.replace_units(s, task.id, leads, joins)
    return await task_view(s, plan.id, task.id)


async def clear_units(s: AsyncSession, task_code: str, *,
                      plan_number: str | None = None) -> TaskUnitsView:
    """The task is every unit's again."""
    plan = await plan_of(s, plan_number)
    task = await find_task(s, plan, task_code)
    await assignments.replace_units(s, task.id, (), ())
    return await task_view(s, plan.id, task.id)


async def task_view(s: AsyncSession, plan_id: int, task_id: int) -> TaskUnitsView:
    return next(x for x in await assignments.listing(s, plan_id) if x.task_id == task_id)


async def list_all(s: AsyncSession, plan_number: str | None = None,
                   ) -> tuple[Plan, list[TaskUnitsView]]:
    plan = await plan_of(s, plan_number)
    return plan, await assignments.listing(s, plan.id)


async def known_codes(s: AsyncSession) -> str:
    return ", ".join(u.code for u in await roster.list_units(s))


def units_text(view: TaskUnitsView) -> str:
    """"chủ trì: VP; phối hợp: KTHTDT, TTSNC", or "mọi đơn vị"."""
    if view.everyone:
        return t.EVERYONE
    parts = []
    if view.lead:
        parts.append(t.LEAD.format(names=", ".join(code for code, _ in view.lead)))
    if view.join:
        parts.append(t.JOIN.format(names=", ".join(code for code, _ in view.join)))
    return "; ".join(parts)


def set_text(view: TaskUnitsView) -> str:
    if view.everyone:
        return t.CLEARED.format(code=view.code)
    return t.SET.format(code=view.code, units=units_text(view))


def listing_text(plan: Plan, views: list[TaskUnitsView]) -> str:
    lines = [t.LIST_HEADER.format(plan=plan.number, count=len(views))]
    lines += [t.LINE.format(code=v.code, title=v.short_title, units=units_text(v)) for v in views]
    return "\n".join(lines)


async def save_from_plan(s: AsyncSession, plan_id: int,
                         units: dict[str, tuple[list[str], list[str]]]) -> int:
    """The lead/join unit codes a plan document gives per task code (plan import); tasks the
    document names no unit for keep theirs. Returns how many tasks were assigned."""
    tasks = {k.code: k.id for k in await s.scalars(select(Task).where(Task.plan_id == plan_id))}
    by_code = {u.code: u.id for u in await roster.list_units(s)}
    count = 0
    for code, (lead, join) in units.items():
        task_id = tasks.get(code)
        leads = [by_code[c] for c in lead if c in by_code]
        joins = [by_code[c] for c in join if c in by_code]
        if task_id is not None and (leads or joins):
            await assignments.replace_units(s, task_id, leads, joins)
            count += 1
    return count
