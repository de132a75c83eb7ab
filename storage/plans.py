"""Plan catalog repository: import (idempotent upsert), periods, tasks."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Result, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.catalog import PlanFile
from storage.models import Period, Plan, Section, Task, table_of


@dataclass(frozen=True, slots=True)
class ImportReport:
    plan_id: int
    created: bool
    sections: int
    tasks: int
    periods: int


async def import_plan(s: AsyncSession, data: PlanFile) -> ImportReport:
    """Create or update a plan by its number; sections, tasks and periods by their codes."""
    header = data.plan
    plan = await s.scalar(select(Plan).where(Plan.number == header.number))
    created = plan is None
    if plan is None:
        plan = Plan(number=header.number)
        s.add(plan)
    plan.title = header.title
    plan.issued_on = header.issued_on
    plan.issuer = header.issuer
    plan.place = header.place
    plan.meta = header.model_dump(mode="json", exclude={"number", "title", "issued_on"})
    await s.flush()

    existing = await s.scalars(select(Section).where(Section.plan_id == plan.id))
    sections = {x.code: x for x in existing}
    for position, section_file in enumerate(data.sections):
        code = section_file.code
        section = sections.get(code) or Section(plan_id=plan.id, code=code)
        section.title, section.position = section_file.title, position
        sections[code] = section
        s.add(section)
    await s.flush()

    tasks = {x.code: x for x in await s.scalars(select(Task).where(Task.plan_id == plan.id))}
    for position, task_file in enumerate(data.tasks):
        task = tasks.get(task_file.code) or Task(plan_id=plan.id, code=task_file.code)
        task.section_id = sections[task_file.section].id
        task.short_title, task.full_text = task_file.short_title, task_file.full_text
        task.position = position
        s.add(task)

    periods = {x.code: x for x in await s.scalars(select(Period).where(Period.plan_id == plan.id))}
    for period_file in data.periods:
        code = period_file.code
        period = periods.get(code) or Period(plan_id=plan.id, code=code)
        period.kind, period.title = period_file.kind, period_file.display_title()
        period.due_before = period_file.due_before
        s.add(period)
    await s.flush()
    return ImportReport(plan.id, created, len(data.sections), len(data.tasks), len(data.periods))


async def has_any_plan(s: AsyncSession) -> bool:
    return (await s.scalar(select(Plan.id).limit(1))) is not None


@dataclass(frozen=True, slots=True)
class PeriodInfo:
    id: int
    plan_id: int
    code: str
    kind: str
    title: str
    due_before: date
    closed: bool


def period_info(p: Period) -> PeriodInfo:
    closed = p.closed_at is not None
    return PeriodInfo(p.id, p.plan_id, p.code, p.kind, p.title, p.due_before, closed)


async def all_periods(s: AsyncSession) -> list[PeriodInfo]:
    rows = await s.scalars(select(Period).order_by(Period.due_before, Period.id))
    return [period_info(p) for p in rows]


async def period_by_id(s: AsyncSession, period_id: int) -> PeriodInfo | None:
    row = await s.get(Period, period_id)
    return period_info(row) if row else None


async def open_periods(s: AsyncSession, today: date) -> list[PeriodInfo]:
    """Periods still accepting reports, the default (next due, else latest) first."""
    return open_among(await all_periods(s), today)


def open_among(every: list[PeriodInfo], today: date) -> list[PeriodInfo]:
    """open_periods() over periods already read (all_periods order)."""
    periods = [p for p in every if not p.closed]
    upcoming = [p for p in periods if p.due_before > today]
    past = [p for p in periods if p.due_before <= today]
    return upcoming + list(reversed(past))


@dataclass(frozen=True, slots=True)
class TaskInfo:
    id: int
    code: str
    short_title: str
    full_text: str
    section_id: int


@dataclass(frozen=True, slots=True)
class SectionInfo:
    id: int
    code: str
    title: str
    tasks: tuple[TaskInfo, ...]


def _outline_statement(which: ColumnElement[bool]) -> Select[Any]:
    # Plain columns on the tables, not ORM objects: this runs on most steps of a report. A
    # section without tasks still comes back (outer join) with an empty task list.
    section, task = table_of(Section).c, table_of(Task).c
    return (select(section.id, section.code, section.title, task.id, task.code,
                   task.short_title, task.full_text)
            .select_from(table_of(Section).outerjoin(table_of(Task),
                                                     task.section_id == section.id))
            .where(which)
            .order_by(section.position, section.id, task.position, task.id))


# Built once with a bound parameter: building a statement per call cost more than running it.
_OUTLINE_OF_PLAN = _outline_statement(table_of(Section).c.plan_id == bindparam("plan_id"))
_OUTLINE_OF_PERIOD = _outline_statement(
    table_of(Section).c.plan_id == select(table_of(Period).c.plan_id)
    .where(table_of(Period).c.id == bindparam("period_id")).scalar_subquery())


def within(sections: list[SectionInfo], task_ids: Collection[int] | None) -> list[SectionInfo]:
    """The outline cut to `task_ids` (None: all); sections left without a task are left out."""
    if task_ids is None:
        return sections
    return [replace(x, tasks=tasks) for x in sections
            for tasks in [tuple(k for k in x.tasks if k.id in task_ids)] if tasks]


async def plan_outline(s: AsyncSession, plan_id: int) -> list[SectionInfo]:
    """Sections with their tasks, in plan order (one query)."""
    return _sections(await s.execute(_OUTLINE_OF_PLAN, {"plan_id": plan_id}))


async def outline_of_period(s: AsyncSession, period_id: int) -> list[SectionInfo]:
    """plan_outline() of the period's plan, without reading the period first (one query)."""
    return _sections(await s.execute(_OUTLINE_OF_PERIOD, {"period_id": period_id}))


def _sections(rows: Result[*tuple[Any, ...]]) -> list[SectionInfo]:
    sections: dict[int, tuple[str, str, list[TaskInfo]]] = {}
    for section_id, code, title, task_id, task_code, short_title, full_text in rows:
        tasks = sections.setdefault(section_id, (code, title, []))[2]
        if task_id is not None:
            tasks.append(TaskInfo(task_id, task_code, short_title, full_text, section_id))
    return [SectionInfo(key, code, title, tuple(tasks))
            for key, (code, title, tasks) in sections.items()]


async def task_texts(s: AsyncSession, number: str) -> dict[str, tuple[str, str]]:
    """The tasks of the plan with this number: code → (short title, full text); {} if none."""
    rows = await s.execute(select(Task.code, Task.short_title, Task.full_text)
                           .join(Plan, Plan.id == Task.plan_id).where(Plan.number == number))
    return {code: (title, text) for code, title, text in rows}
