"""Report entries (versioned, never overwritten) and submissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Row, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.assignments import assigned_to, in_round
from storage.models import Entry, EntryVersion, Period, Section, Submission, Task, table_of
from storage.plans import SectionInfo, TaskInfo


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


def _upsert(insert_of: Any) -> Any:
    """The entry's next version in one statement: the first one inserted, a later one counted
    up from the row as it is at that moment (SQLite and PostgreSQL both have ON CONFLICT … DO
    UPDATE … RETURNING). Two heads of one unit saving the same task at once get two versions,
    never the same one, without a read before the write."""
    table = table_of(Entry)
    statement = insert_of(table)
    return statement.on_conflict_do_update(
        index_elements=[table.c.period_id, table.c.unit_id, table.c.task_id],
        set_={"version": table.c.version + 1, "status": statement.excluded.status,
              "result": statement.excluded.result,
              "difficulties": statement.excluded.difficulties,
              "proposals": statement.excluded.proposals,
              "evidence": statement.excluded.evidence,
              "author_id": statement.excluded.author_id,
              "updated_at": statement.excluded.updated_at},
    ).returning(table.c.id, table.c.version)


_SAVE = {postgres: _upsert(insert_of) for postgres, insert_of in ((True, pg_insert),
                                                                     (False, sqlite_insert))}
_VERSION = insert(table_of(EntryVersion))


async def save_entry(s: AsyncSession, *, period_id: int, unit_id: int, task_id: int,
                     draft: EntryDraft, author_id: int, now: datetime) -> EntryView:
    """Write a new version of the unit's answer; earlier versions stay in entry_versions."""
    answer = {"status": draft.status, "result": draft.result,
              "difficulties": draft.difficulties, "proposals": draft.proposals,
              "evidence": list(draft.evidence), "author_id": author_id}
    saved = (await s.execute(_SAVE[s.get_bind().dialect.name == "postgresql"], {
        **answer, "period_id": period_id, "unit_id": unit_id, "task_id": task_id,
        "version": 1, "updated_at": now})).one()
    await s.execute(_VERSION, {**answer, "entry_id": saved.id, "period_id": period_id,
                               "version": saved.version, "created_at": now})
    return EntryView(task_id, saved.version, draft.status, draft.result, draft.difficulties,
                     draft.proposals, tuple(draft.evidence), now)


async def unit_entries(s: AsyncSession, period_id: int, unit_id: int) -> dict[int, EntryView]:
    rows = await s.execute(_OF_UNIT, {"period_id": period_id, "unit_id": unit_id})
    return {row.task_id: _view(row) for row in rows}


@dataclass(frozen=True, slots=True)
class UnitSheet:
    """What a unit reports on in a round: the sections with the tasks it is asked for (assigned
    to it, and asked by the round), in plan order, and its current answers to them."""

    sections: list[SectionInfo]
    entries: dict[int, EntryView]  # task id → the unit's current answer


_S, _T = table_of(Section).c, table_of(Task).c
_UNIT = bindparam("unit_id", type_=Integer)
_PERIOD = bindparam("period_id", type_=Integer)
# The report menus' one read (plans.outline_of_period, assignments.period_assignments and
# unit_entries were three): sections ⋈ the unit's tasks ⟕ its entries. A section without any
# of the unit's tasks drops out, as plans.within leaves it out.
_SHEET = (
    select(_S.id, _S.code, _S.title, _T.id, _T.code, _T.short_title, _T.full_text,
           _E.version, _E.status, _E.result, _E.difficulties, _E.proposals, _E.evidence,
           _E.updated_at)
    .select_from(table_of(Section)
                 .join(table_of(Task), _T.section_id == _S.id)
                 .outerjoin(table_of(Entry), (_E.task_id == _T.id) & (_E.period_id == _PERIOD)
                            & (_E.unit_id == _UNIT)))
    .where(_S.plan_id == select(table_of(Period).c.plan_id)
           .where(table_of(Period).c.id == _PERIOD).scalar_subquery(),
           assigned_to(_T.id, _UNIT), in_round(_PERIOD, _T.id, _UNIT))
    .order_by(_S.position, _S.id, _T.position, _T.id))


async def unit_sheet(s: AsyncSession, period_id: int, unit_id: int) -> UnitSheet:
    """The unit's sections, tasks and current answers for the round, in one statement."""
    sections: dict[int, tuple[str, str, list[TaskInfo]]] = {}
    answers: dict[int, EntryView] = {}
    for (section_id, code, title, task_id, task_code, short_title, full_text, version, status,
         result, difficulties, proposals, evidence, updated_at) in await s.execute(
            _SHEET, {"period_id": period_id, "unit_id": unit_id}):
        tasks = sections.setdefault(section_id, (code, title, []))[2]
        tasks.append(TaskInfo(task_id, task_code, short_title, full_text, section_id))
        if version is not None:
            answers[task_id] = EntryView(task_id, version, status, result, difficulties,
                                         proposals, tuple(evidence or ()), updated_at)
    return UnitSheet([SectionInfo(key, code, title, tuple(tasks))
                      for key, (code, title, tasks) in sections.items()], answers)


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
