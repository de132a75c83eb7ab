"""Task assignments: the units that lead (chủ trì) and join (phối hợp) each task.

A task without any assignment row belongs to every active unit (the default, and how every
plan behaved before assignments existed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    and_,
    bindparam,
    delete,
    exists,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import Period, PeriodTask, PeriodUnit, Task, TaskAssignment, Unit, table_of

LEAD, JOIN = "lead", "join"
ROLES = (LEAD, JOIN)

_A = table_of(TaskAssignment).c
_T = table_of(Task).c
_PT = table_of(PeriodTask).c
_PU = table_of(PeriodUnit).c


Column = ColumnElement[int] | InstrumentedAttribute[int]


def assigned_to(task_id: Column, unit_id: Column | int) -> ColumnElement[bool]:
    """SQL: the task is the unit's (no assignment row at all, or a row for the unit)."""
    return or_(~exists().where(_A.task_id == task_id),
               exists().where(_A.task_id == task_id, _A.unit_id == unit_id))


def in_round(period_id: Column | int, task_id: Column, unit_id: Column | int,
             ) -> ColumnElement[bool]:
    """SQL: the round asks the unit for the task (a round without a chosen subset of tasks or
    units asks for all of them)."""
    return and_(or_(~exists().where(_PT.period_id == period_id),
                    exists().where(_PT.period_id == period_id, _PT.task_id == task_id)),
                or_(~exists().where(_PU.period_id == period_id),
                    exists().where(_PU.period_id == period_id, _PU.unit_id == unit_id)))


@dataclass(frozen=True, slots=True)
class PlanAssignments:
    """Who does which task of one plan (of one round, when read for a round: an ad-hoc round
    may ask for some tasks only, and some units only)."""

    task_ids: tuple[int, ...]  # every task of the plan (of the round), in plan order
    explicit: dict[int, dict[int, str]] = field(default_factory=dict)  # task → unit → role
    units: frozenset[int] | None = None  # the units the round asks; None: every unit
    tasks: frozenset[int] | None = None  # the tasks the round asks for; None: every task

    @property
    def scoped(self) -> bool:
        """The round asks a chosen subset of units."""
        return self.units is not None

    def in_round(self, unit_id: int) -> bool:
        return self.units is None or unit_id in self.units

    def is_assigned(self, task_id: int, unit_id: int) -> bool:
        if not self.in_round(unit_id) or (self.tasks is not None and task_id not in self.tasks):
            return False
        units = self.explicit.get(task_id)
        return not units or unit_id in units

    def tasks_of(self, unit_id: int) -> frozenset[int]:
        """The unit's tasks."""
        if not self.in_round(unit_id):
            return frozenset()
        return frozenset(k for k in self.task_ids if self.is_assigned(k, unit_id))

    def per_unit(self, unit_ids: Iterable[int]) -> dict[int, frozenset[int]]:
        return {u: self.tasks_of(u) for u in unit_ids}

    def units_of(self, task_id: int, unit_ids: Iterable[int]) -> list[int]:
        """Those of `unit_ids` (e.g. the active units) the task is assigned to."""
        return [u for u in unit_ids if self.is_assigned(task_id, u)]

    def role(self, task_id: int, unit_id: int) -> str | None:
        return self.explicit.get(task_id, {}).get(unit_id)


def _statement(which: ColumnElement[bool]) -> Any:
    return (select(_T.id, _A.unit_id, _A.role)
            .select_from(table_of(Task).outerjoin(table_of(TaskAssignment), _A.task_id == _T.id))
            .where(which).order_by(_T.position, _T.id))


_OF_PLAN = _statement(_T.plan_id == bindparam("plan_id"))
_PERIOD_ID: BindParameter[int] = bindparam("period_id", type_=Integer)
# The plan's assignments and the round's chosen tasks and units in one round trip (a report
# step reads them): kind 0 rows are assignments in plan order, 1 the round's tasks, 2 its units.
_OF_PERIOD = union_all(
    select(literal(0).label("kind"), _T.id.label("task_id"), _A.unit_id.label("unit_id"),
           _A.role.label("role"), _T.position.label("position"))
    .select_from(table_of(Task).outerjoin(table_of(TaskAssignment), _A.task_id == _T.id))
    .where(_T.plan_id == select(table_of(Period).c.plan_id)
           .where(table_of(Period).c.id == _PERIOD_ID).scalar_subquery()),
    select(literal(1), _PT.task_id, null(), null(), literal(0)).where(_PT.period_id == _PERIOD_ID),
    select(literal(2), null(), _PU.unit_id, null(), literal(0)).where(_PU.period_id == _PERIOD_ID),
).order_by("kind", "position", "task_id")


def _collect(rows: Iterable[Any]) -> PlanAssignments:
    order: dict[int, None] = {}
    explicit: dict[int, dict[int, str]] = {}
    for task_id, unit_id, role in rows:
        order[task_id] = None
        if unit_id is not None:
            explicit.setdefault(task_id, {})[unit_id] = role
    return PlanAssignments(tuple(order), explicit)


def _collect_round(rows: Iterable[Any]) -> PlanAssignments:
    plan_rows, tasks, units = [], set(), set()
    for kind, task_id, unit_id, role, _position in rows:
        if kind == 0:
            plan_rows.append((task_id, unit_id, role))
        elif kind == 1:
            tasks.add(task_id)
        else:
            units.add(unit_id)
    found = _collect(plan_rows)
    task_ids = tuple(k for k in found.task_ids if k in tasks) if tasks else found.task_ids
    return PlanAssignments(task_ids, found.explicit, frozenset(units) if units else None,
                           frozenset(tasks) if tasks else None)


async def plan_assignments(s: AsyncSession, plan_id: int) -> PlanAssignments:
    """Every task of the plan with its assigned units (one query)."""
    return _collect(await s.execute(_OF_PLAN, {"plan_id": plan_id}))


async def period_assignments(s: AsyncSession, period_id: int) -> PlanAssignments:
    """plan_assignments() of the period's plan cut to what the round asks for (an ad-hoc round's
    chosen tasks and units), without reading the period first (one query)."""
    return _collect_round(await s.execute(_OF_PERIOD, {"period_id": period_id}))


async def rounds_not_asking(s: AsyncSession, unit_id: int) -> set[int]:
    """The rounds asking a chosen subset of units that leaves `unit_id` out (one query)."""
    other = table_of(PeriodUnit).alias("other")
    rows = await s.scalars(
        select(_PU.period_id).distinct()
        .where(~exists().where(other.c.period_id == _PU.period_id, other.c.unit_id == unit_id)))
    return set(rows)


async def round_scope_codes(s: AsyncSession, period_id: int) -> tuple[list[str], list[str]]:
    """The codes of the tasks and units a round asks for ([]: all of them), in order."""
    tasks = await s.scalars(select(Task.code).join(PeriodTask, PeriodTask.task_id == Task.id)
                            .where(PeriodTask.period_id == period_id).order_by(Task.position))
    units = await s.scalars(select(Unit.code).join(PeriodUnit, PeriodUnit.unit_id == Unit.id)
                            .where(PeriodUnit.period_id == period_id).order_by(Unit.code))
    return list(tasks), list(units)


async def set_round_scope(s: AsyncSession, period_id: int, task_ids: Iterable[int],
                          unit_ids: Iterable[int]) -> None:
    """The round asks for exactly these tasks and units (none: all of them)."""
    await s.execute(delete(PeriodTask).where(PeriodTask.period_id == period_id))
    await s.execute(delete(PeriodUnit).where(PeriodUnit.period_id == period_id))
    s.add_all([PeriodTask(period_id=period_id, task_id=k) for k in dict.fromkeys(task_ids)]
              + [PeriodUnit(period_id=period_id, unit_id=u) for u in dict.fromkeys(unit_ids)])
    await s.flush()


async def replace_units(s: AsyncSession, task_id: int, lead: Iterable[int],
                        join: Iterable[int]) -> None:
    """The task's units become exactly these (none at all: every unit)."""
    await s.execute(delete(TaskAssignment).where(TaskAssignment.task_id == task_id))
    leads = list(dict.fromkeys(lead))
    joins = [u for u in dict.fromkeys(join) if u not in leads]
    s.add_all([TaskAssignment(task_id=task_id, unit_id=u, role=LEAD) for u in leads]
              + [TaskAssignment(task_id=task_id, unit_id=u, role=JOIN) for u in joins])
    await s.flush()


@dataclass(frozen=True, slots=True)
class TaskUnitsView:
    task_id: int
    code: str
    short_title: str
    lead: tuple[tuple[str, str], ...]  # (unit code, unit name)
    join: tuple[tuple[str, str], ...]

    @property
    def everyone(self) -> bool:
        return not self.lead and not self.join


async def listing(s: AsyncSession, plan_id: int) -> list[TaskUnitsView]:
    """Every task of the plan with its lead and join units, for the CLI and chat (one query)."""
    rows = await s.execute(
        select(Task.id, Task.code, Task.short_title, Unit.code, Unit.name, TaskAssignment.role)
        .select_from(Task)
        .outerjoin(TaskAssignment, TaskAssignment.task_id == Task.id)
        .outerjoin(Unit, Unit.id == TaskAssignment.unit_id)
        .where(Task.plan_id == plan_id)
        .order_by(Task.position, Task.id, Unit.code))
    tasks: dict[int, tuple[str, str, list[tuple[str, str]], list[tuple[str, str]]]] = {}
    for task_id, code, title, unit_code, unit_name, role in rows:
        lead, join = tasks.setdefault(task_id, (code, title, [], []))[2:]
        if unit_code is not None:
            (lead if role == LEAD else join).append((unit_code, unit_name))
    return [TaskUnitsView(k, code, title, tuple(lead), tuple(join))
            for k, (code, title, lead, join) in tasks.items()]
