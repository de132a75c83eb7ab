"""Task assignments: the units that lead (chủ trì) and join (phối hợp) each task.

A task without any assignment row belongs to every active unit (the default, and how every
plan behaved before assignments existed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import Period, Task, TaskAssignment, Unit, table_of

LEAD, JOIN = "lead", "join"
ROLES = (LEAD, JOIN)

_A = table_of(TaskAssignment).c
_T = table_of(Task).c


Column = ColumnElement[int] | InstrumentedAttribute[int]


def assigned_to(task_id: Column, unit_id: Column | int) -> ColumnElement[bool]:
    """SQL: the task is the unit's (no assignment row at all, or a row for the unit)."""
    return or_(~exists().where(_A.task_id == task_id),
               exists().where(_A.task_id == task_id, _A.unit_id == unit_id))


@dataclass(frozen=True, slots=True)
class PlanAssignments:
    """Who does which task of one plan."""

    task_ids: tuple[int, ...]  # every task of the plan, in plan order
    explicit: dict[int, dict[int, str]] = field(default_factory=dict)  # task → unit → role

    def is_assigned(self, task_id: int, unit_id: int) -> bool:
        units = self.explicit.get(task_id)
        return not units or unit_id in units

    def tasks_of(self, unit_id: int) -> frozenset[int]:
        """The unit's tasks."""
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
_OF_PERIOD = _statement(_T.plan_id == select(table_of(Period).c.plan_id)
                        .where(table_of(Period).c.id == bindparam("period_id")).scalar_subquery())


def _collect(rows: Iterable[Any]) -> PlanAssignments:
    order: dict[int, None] = {}
    explicit: dict[int, dict[int, str]] = {}
    for task_id, unit_id, role in rows:
        order[task_id] = None
        if unit_id is not None:
            explicit.setdefault(task_id, {})[unit_id] = role
    return PlanAssignments(tuple(order), explicit)


async def plan_assignments(s: AsyncSession, plan_id: int) -> PlanAssignments:
    """Every task of the plan with its assigned units (one query)."""
    return _collect(await s.execute(_OF_PLAN, {"plan_id": plan_id}))


async def period_assignments(s: AsyncSession, period_id: int) -> PlanAssignments:
    """plan_assignments() of the period's plan, without reading the period first (one query)."""
    return _collect(await s.execute(_OF_PERIOD, {"period_id": period_id}))


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
