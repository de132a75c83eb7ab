"""The compiled state of one period across all units: one DTO for /tonghop and the exports.

Only what units submitted counts: every result, count and text comes from the entry versions
the unit's latest submission froze (entries.submitted_version); drafts of a unit that never
submitted, and edits after a submission, wait for the next /nop (UnitState.edits counts them).
A fixed number of queries whatever the number of units (city scale)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import and_, case, func, literal, null, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from core.types import Status
from storage.assignments import PlanAssignments, assigned_to, in_round, period_assignments
from storage.calendar import working_calendar
from storage.models import Entry, EntryVersion, Plan, Submission, Unit
from storage.plans import PeriodInfo, SectionInfo, period_by_id, plan_outline, within


class UnitEntry(NamedTuple):
    """One unit's entry for a task. A named tuple, not a frozen dataclass: at city scale
    115,000 are built per export, and a frozen dataclass's __init__ costs four times as much."""

    unit_id: int
    unit_name: str
    task_id: int
    status: str
    result: str
    difficulties: str
    proposals: str
    version: int
    updated_at: datetime
    evidence: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class UnitState:
    unit_id: int
    code: str
    name: str
    reported: int  # assigned tasks with an entry, drafts included (the unit's progress)
    submitted_at: datetime | None
    late: bool
    submissions: int
    total: int  # tasks assigned to the unit
    edits: int = 0  # entries new or changed since the latest submission: "đã sửa, chưa nộp lại"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def edited_after_submission(self) -> bool:
        return self.submitted and self.edits > 0


@dataclass(frozen=True, slots=True)
class PeriodSummary:
    period: PeriodInfo
    deadline: date
    plan_number: str
    plan_title: str
    plan_issued_on: date
    plan_meta: dict[str, Any]
    sections: list[SectionInfo]
    units: list[UnitState]
    entries: list[UnitEntry]
    task_count: int
    by_task: dict[int, list[UnitEntry]] = field(default_factory=dict)
    # (task id, status) -> number of units; counted by the database
    task_counts: Counter[tuple[int, str]] = field(default_factory=Counter)
    # who does which task; a cell (unit, task) not assigned is "not assigned", never "missing"
    assignments: PlanAssignments = field(default_factory=lambda: PlanAssignments(()))

    def status_counts(self, task_id: int) -> Counter[str]:
        """Statuses of the task among the active units assigned to it; "missing": those of
        them without a submitted entry."""
        counts: Counter[str] = Counter(
            {status: n for (task, status), n in self.task_counts.items() if task == task_id})
        counts["missing"] = self.assigned_count(task_id) - sum(counts.values())
        return counts

    def assigned_count(self, task_id: int) -> int:
        return len(self.assignments.units_of(task_id, (u.unit_id for u in self.units)))

    def is_assigned(self, task_id: int, unit_id: int) -> bool:
        return self.assignments.is_assigned(task_id, unit_id)

    @property
    def on_time(self) -> list[UnitState]:
        return [u for u in self.units if u.submitted and not u.late]

    @property
    def late(self) -> list[UnitState]:
        return [u for u in self.units if u.submitted and u.late]

    @property
    def not_submitted(self) -> list[UnitState]:
        # a unit no task is assigned to has nothing to submit
        return [u for u in self.units if not u.submitted and u.total > 0]


async def period_summary(s: AsyncSession, period_id: int, *, details: bool = True,
                         evidence: bool = False) -> PeriodSummary | None:
    """The period's state.

    details=False (the chat digest, the chart, the progress overview) lets the database count
    statuses per task and entries per unit, and reads only the entries that carry difficulties
    or proposals: at city scale (115,000 entries) reading every row was most of /tonghop's
    time. `entries` then holds just those. Evidence (a JSON list per entry) is read only with
    evidence=True; no report shows it."""
    period = await period_by_id(s, period_id)
    if period is None:
        return None
    plan = await s.get(Plan, period.plan_id)
    assert plan is not None
    calendar = await working_calendar(s, ward_id=plan.ward_id)
    assignments = await period_assignments(s, period.id)
    # an ad-hoc round counts only the tasks and units it asks for
    sections = within(await plan_outline(s, period.plan_id), assignments.tasks)
    # The period's ward's units: also right where no ward scopes the session (the scheduler).
    units = [u for u in await s.scalars(select(Unit).where(Unit.active,
                                                          Unit.ward_id == plan.ward_id)
                                        .order_by(Unit.code))
             if assignments.in_round(u.id)]
    names = {u.id: u.name for u in units}
    v = EntryVersion
    query = (
        select(Entry.unit_id, Entry.task_id, v.status,
               v.result if details else literal(""), v.difficulties,
               v.proposals, v.version, v.created_at,
               v.evidence if details and evidence else null())
        .join(v, _SUBMITTED)
        .where(Entry.period_id == period_id)
    )
    if not details:
        query = query.where(or_(v.difficulties != "", v.proposals != ""))
    rows = (await s.execute(query)).all()
    entries = [
        UnitEntry(unit, names[unit], task, status, result, difficulties, proposals, version,
                  updated_at, tuple(evidence) if evidence else ())
        for unit, task, status, result, difficulties, proposals, version, updated_at, evidence
        in rows if unit in names and assignments.is_assigned(task, unit)
    ]
    subs: dict[int, list[Submission]] = {}
    for sub in await s.scalars(
        select(Submission).where(Submission.period_id == period_id).order_by(Submission.id)
    ):
        subs.setdefault(sub.unit_id, []).append(sub)
    task_counts, reported, edits = await _counts(s, period_id, set(names), assignments)
    states = [
        UnitState(u.id, u.code, u.name, reported[u.id],
                  subs[u.id][-1].submitted_at if u.id in subs else None,
                  subs[u.id][0].late if u.id in subs else False, len(subs.get(u.id, [])),
                  len(assignments.tasks_of(u.id)), edits[u.id])
        for u in units
    ]
    by_task: dict[int, list[UnitEntry]] = {}
    for e in sorted(entries, key=lambda x: x.unit_name):
        by_task.setdefault(e.task_id, []).append(e)
    return PeriodSummary(
        period=period, deadline=calendar.effective_deadline(period.due_before),
        plan_number=plan.number, plan_title=plan.title, plan_issued_on=plan.issued_on,
        plan_meta=dict(plan.meta or {}), sections=sections, units=states, entries=entries,
        task_count=sum(len(x.tasks) for x in sections), by_task=by_task,
        task_counts=task_counts, assignments=assignments,
    )


# An entry's submitted version: the row of entry_versions its latest submission froze.
# The period's equality lets the database find a round's versions by their own index.
_SUBMITTED = and_(EntryVersion.entry_id == Entry.id,
                  EntryVersion.version == Entry.submitted_version,
                  EntryVersion.period_id == Entry.period_id)
_EDITED = or_(Entry.submitted_version.is_(None), Entry.submitted_version != Entry.version)

Counts = tuple[Counter[tuple[int, str]], Counter[int], Counter[int]]


async def _counts(s: AsyncSession, period_id: int, unit_ids: set[int],
                  assignments: PlanAssignments) -> Counts:
    """Submitted entries of active units per (task, status); entries per unit, and entries
    changed since the unit's latest submission per unit; counted by the database."""
    # Without a single assignment row every task is every unit's: the per-row EXISTS checks
    # cost more than half of /tonghop at city scale, for nothing.
    assigned = (assigned_to(Entry.task_id, Entry.unit_id) if assignments.explicit
                else true())
    if assignments.scoped or assignments.tasks is not None:
        assigned = and_(assigned, in_round(period_id, Entry.task_id, Entry.unit_id))
    per_task = (
        await s.execute(
            select(Entry.task_id, EntryVersion.status, func.count())
            .join(EntryVersion, _SUBMITTED)
            .join(Unit, Unit.id == Entry.unit_id)
            .where(Entry.period_id == period_id, Unit.active, assigned)
            .group_by(Entry.task_id, EntryVersion.status)
        )
    ).all()
    per_unit = (
        await s.execute(
            select(Entry.unit_id, func.count(), func.sum(case((_EDITED, 1), else_=0)))
            .where(Entry.period_id == period_id, assigned)
            .group_by(Entry.unit_id)
        )
    ).all()
    return (Counter({(task, status): int(n) for task, status, n in per_task}),
            Counter({unit: int(n) for unit, n, _ in per_unit if unit in unit_ids}),
            Counter({unit: int(e or 0) for unit, _, e in per_unit if unit in unit_ids}))


STATUS_ORDER = (Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE)
