"""The city's reads across wards (issue 19): a fixed number of statements whatever the number
of wards (120 wards × 40 units × 23 tasks is the target), and the ward reports sent upward."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    CalendarOverride,
    Entry,
    EntryVersion,
    Period,
    Person,
    Plan,
    ReportSection,
    Section,
    Submission,
    Task,
    Unit,
    Ward,
    WardReport,
)


@dataclass(frozen=True, slots=True)
class WardRound:
    """One ward's period of a city round (same kind, same year)."""

    ward_id: int
    period_id: int
    code: str
    title: str
    due_before: date


async def city_periods(s: AsyncSession) -> list[tuple[int, Period]]:
    """Every period of every active ward: (ward id, period), by deadline."""
    rows = await s.execute(
        select(Plan.ward_id, Period).join(Plan, Plan.id == Period.plan_id)
        .join(Ward, Ward.id == Plan.ward_id).where(Ward.active)
        .order_by(Period.due_before, Period.id))
    return [(ward_id, period) for ward_id, period in rows]


async def reports_sent(s: AsyncSession, period_ids: list[int]
                       ) -> dict[int, tuple[datetime, datetime, bool, int]]:
    """period id → (first sent, last sent, first was late, sends) of its ward's report."""
    if not period_ids:
        return {}
    first_late = (select(WardReport.late).where(WardReport.period_id == Period.id)
                  .order_by(WardReport.id).limit(1).correlate(Period).scalar_subquery())
    rows = await s.execute(
        select(Period.id, func.min(WardReport.sent_at), func.max(WardReport.sent_at),
               first_late, func.count(WardReport.id))
        .join(WardReport, WardReport.period_id == Period.id)
        .where(Period.id.in_(period_ids)).group_by(Period.id))
    return {pid: (first, last, bool(late), n) for pid, first, last, late, n in rows}


async def last_changes(s: AsyncSession, period_ids: list[int]) -> dict[int, datetime]:
    """period id → the latest unit submission or report part saved: what a send covers."""
    if not period_ids:
        return {}
    changed: dict[int, datetime] = {}
    for column, period_col in ((Submission.submitted_at, Submission.period_id),
                               (ReportSection.created_at, ReportSection.period_id)):
        rows = await s.execute(select(period_col, func.max(column))
                               .where(period_col.in_(period_ids)).group_by(period_col))
        for pid, moment in rows:
            if moment is not None and (pid not in changed or moment > changed[pid]):
                changed[pid] = moment
    return changed


async def section_status_counts(s: AsyncSession, period_ids: list[int]
                                ) -> Counter[tuple[int, str, str]]:
    """(period id, section code, status) → entries counted, submitted versions of active
    units only (what the ward's own report counts)."""
    counts: Counter[tuple[int, str, str]] = Counter()
    if not period_ids:
        return counts
    v = EntryVersion
    rows = await s.execute(
        select(Entry.period_id, Section.code, v.status, func.count())
        .join(v, and_(v.entry_id == Entry.id, v.version == Entry.submitted_version,
                      v.period_id == Entry.period_id))
        .join(Task, Task.id == Entry.task_id).join(Section, Section.id == Task.section_id)
        .join(Unit, Unit.id == Entry.unit_id)
        .where(Entry.period_id.in_(period_ids), Unit.active)
        .group_by(Entry.period_id, Section.code, v.status))
    for pid, code, status, n in rows:
        counts[(pid, code, status)] = n
    return counts


async def record_send(s: AsyncSession, *, ward_id: int, period_id: int, person_id: int | None,
                      now: datetime, late: bool) -> None:
    s.add(WardReport(ward_id=ward_id, period_id=period_id, person_id=person_id, sent_at=now,
                     late=late))
    await s.flush()


async def overrides_by_ward(s: AsyncSession) -> dict[int, dict[date, str]]:
    """Every ward's days off and make-up days, in one statement."""
    found: dict[int, dict[date, str]] = {}
    for ward_id, day, kind in await s.execute(
            select(CalendarOverride.ward_id, CalendarOverride.day, CalendarOverride.kind)):
        found.setdefault(ward_id, {})[day] = kind
    return found


async def ward_admins(s: AsyncSession) -> dict[int, list[Person]]:
    """Active admins by ward, in one statement."""
    found: dict[int, list[Person]] = {}
    for person in await s.scalars(select(Person).where(Person.role == "admin", Person.active,
                                                       Person.ward_id.is_not(None))
                                  .order_by(Person.id)):
        found.setdefault(person.ward_id or 0, []).append(person)
    return found
