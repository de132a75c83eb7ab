"""Report entries (versioned, never overwritten) and submissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.assignments import assigned_to, in_round
from storage.models import Entry, EntryVersion, Period, Submission, Task, table_of


@dataclass(frozen=True, slots=True)
class EntryDraft:
    status: str
    result: str = ""
    difficulties: str = ""
    proposals: str = ""
    evidence: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class EntryView:
    task_id: int
    version: int
    status: str
    result: str
    difficulties: str
    proposals: str
    evidence: tuple[dict[str, Any], ...]
    updated_at: datetime


def _view(e: Entry | Row[*tuple[Any, ...]]) -> EntryView:
    return EntryView(e.task_id, e.version, e.status, e.result, e.difficulties, e.proposals,
                     tuple(e.evidence or ()), e.updated_at)


# The reads of a report's steps, built once with bound parameters on the table (a statement
# built per call, and ORM objects, cost more than SQLite answering).
_E = table_of(Entry).c
_OF_UNIT = select(_E.task_id, _E.version, _E.status, _E.result, _E.difficulties, _E.proposals,
                  _E.evidence, _E.updated_at).where(_E.period_id == bindparam("period_id"),
                                                    _E.unit_id == bindparam("unit_id"))
_OF_TASK = _OF_UNIT.where(_E.task_id == bindparam("task_id"))


async def save_entry(s: AsyncSession, *, period_id: int, unit_id: int, task_id: int,
                     draft: EntryDraft, author_id: int, now: datetime) -> EntryView:
    """Write a new version of the unit's answer; earlier versions stay in entry_versions."""
    entry = await s.scalar(
        select(Entry).where(Entry.period_id == period_id, Entry.unit_id == unit_id,
                            Entry.task_id == task_id).with_for_update()
    )
    if entry is None:
        entry = Entry(period_id=period_id, unit_id=unit_id, task_id=task_id, version=0)
        s.add(entry)
    entry.version += 1
    entry.status, entry.result = draft.status, draft.result
    entry.difficulties, entry.proposals = draft.difficulties, draft.proposals
    entry.evidence = list(draft.evidence)
    entry.author_id, entry.updated_at = author_id, now
    await s.flush()
    s.add(EntryVersion(entry_id=entry.id, period_id=period_id, version=entry.version,
                       status=draft.status,
                       result=draft.result, difficulties=draft.difficulties,
                       proposals=draft.proposals, evidence=list(draft.evidence),
                       author_id=author_id, created_at=now))
    await s.flush()
    return _view(entry)


async def unit_entries(s: AsyncSession, period_id: int, unit_id: int) -> dict[int, EntryView]:
    rows = await s.execute(_OF_UNIT, {"period_id": period_id, "unit_id": unit_id})
    return {row.task_id: _view(row) for row in rows}


@dataclass(frozen=True, slots=True)
class UnitStanding:
    done: int  # tasks assigned to the unit it has an entry for in the period
    total: int  # tasks of the period's plan assigned to the unit (and asked for by the round)
    submitted: bool  # the unit has submitted the period at least once


async def unit_standing(s: AsyncSession, period_id: int, unit_id: int) -> UnitStanding:
    """Counts shown after each save, in one statement (three scalar subqueries)."""
    done = (select(func.count()).select_from(Entry)
            .where(Entry.period_id == period_id, Entry.unit_id == unit_id,
                   assigned_to(Entry.task_id, unit_id),
                   in_round(period_id, Entry.task_id, unit_id)).scalar_subquery())
    plan_id = select(Period.plan_id).where(Period.id == period_id).scalar_subquery()
    total = (select(func.count()).select_from(Task)
             .where(Task.plan_id == plan_id, assigned_to(Task.id, unit_id),
                    in_round(period_id, Task.id, unit_id)).scalar_subquery())
    submitted = (select(Submission.id).where(Submission.period_id == period_id,
                                             Submission.unit_id == unit_id).exists())
    row = (await s.execute(select(done, total, submitted))).one()
    return UnitStanding(int(row[0]), int(row[1]), bool(row[2]))


async def entry_for(s: AsyncSession, period_id: int, unit_id: int,
                    task_id: int) -> EntryView | None:
    row = (await s.execute(_OF_TASK, {"period_id": period_id, "unit_id": unit_id,
                                      "task_id": task_id})).first()
    return _view(row) if row else None


@dataclass(frozen=True, slots=True)
class SubmissionView:
    submitted_at: datetime
    late: bool
    count: int  # how many times the unit has submitted this period


async def submit(s: AsyncSession, *, period_id: int, unit_id: int, person_id: int,
                 now: datetime, late: bool) -> SubmissionView:
    """Record a (re-)submission and freeze the unit's current versions: only those count in
    /tonghop and the exports until the unit submits again."""
    await s.execute(update(Entry).where(Entry.period_id == period_id, Entry.unit_id == unit_id)
                    .values(submitted_version=Entry.version))
    s.add(Submission(period_id=period_id, unit_id=unit_id, person_id=person_id,
                     submitted_at=now, late=late))
    await s.flush()
    latest = await last_submission(s, period_id, unit_id)
    assert latest is not None
    return latest


async def last_submission(s: AsyncSession, period_id: int, unit_id: int) -> SubmissionView | None:
    rows = list(
        await s.scalars(
            select(Submission).where(Submission.period_id == period_id,
                                     Submission.unit_id == unit_id)
            .order_by(Submission.submitted_at.desc(), Submission.id.desc())
        )
    )
    if not rows:
        return None
    # On time when the first submission was on time; a later re-submission after an edit
    # does not make a punctual unit late.
    first = rows[-1]
    return SubmissionView(rows[0].submitted_at, first.late, len(rows))


async def unsubmitted_edits(s: AsyncSession, period_id: int, unit_id: int) -> int:
    """Entries saved since the unit's latest submission (new tasks or new versions)."""
    changed = (Entry.submitted_version.is_(None)) | (Entry.submitted_version != Entry.version)
    n = await s.scalar(select(func.count()).select_from(Entry).where(
        Entry.period_id == period_id, Entry.unit_id == unit_id, changed))
    return int(n or 0)


async def latest_change(s: AsyncSession, period_id: int, unit_id: int) -> datetime | None:
    return await s.scalar(
        select(func.max(Entry.updated_at)).where(Entry.period_id == period_id,
                                                 Entry.unit_id == unit_id)
    )
