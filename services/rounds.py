"""Reporting rounds the officers manage: the year's 6-month, 9-month and annual rounds, ad-hoc
rounds, closing and reopening, and a new year's plan copied from last year's.

Every caller (chat, command line, web desk) goes through these functions, so a closed round is
refused the same way whichever way it is named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.texts import catalog as catalog_texts
from core.texts import rounds as t
from core.textutil import fold, format_date, shorten
from storage import assignments, plans
from storage.catalog import KIND_TITLES
from storage.models import Period, Plan, Section, Task, TaskAssignment, Unit
from storage.plans import PeriodInfo

# The plan's reporting requirements (domain.md): before 01/6, 01/9 and 01/12 of the year.
YEARLY_ROUNDS: dict[str, tuple[str, int]] = {
    "6T": ("six_month", 6), "9T": ("nine_month", 9), "NAM": ("annual", 12),
}


class RoundRefused(Exception):
    """The request cannot be carried out; the message is worded for an officer."""


def round_title(kind: str, year: int) -> str:
    if kind == "annual":
        return catalog_texts.ANNUAL_TITLE.format(year=year)
    return catalog_texts.PERIOD_TITLE.format(kind=KIND_TITLES[kind], year=year)


def round_name(period: PeriodInfo) -> str:
    """The one form a round is named everywhere: 'Báo cáo 9 tháng năm 2025'."""
    if fold(period.title).startswith("bao cao"):
        return period.title  # an ad-hoc round named in full by the admin
    return t.ROUND_NAME.format(title=period.title)


def closed_text(period: PeriodInfo) -> str:
    return t.ROUND_CLOSED.format(name=round_name(period), code=period.code)


def ensure_open(period: PeriodInfo) -> None:
    """Closed rounds take no new entry, edit or submission, however they were named."""
    if period.closed:
        raise RoundRefused(closed_text(period))


async def find_round(s: AsyncSession, named: str) -> PeriodInfo:
    """A round by code ('9T-2025'), title ('9 tháng năm 2025') or id, accent-insensitively."""
    key = fold(named).removeprefix("bao cao ").strip()
    for period in await plans.all_periods(s):
        if key in (fold(period.code), fold(period.title), str(period.id)):
            return period
    raise RoundRefused(t.NO_ROUND.format(named=shorten(named.strip(), 40)))


async def latest_plan(s: AsyncSession, number: str | None = None) -> Plan:
    """The plan named by its number, or the most recently issued one."""
    query = select(Plan).order_by(Plan.issued_on.desc(), Plan.id.desc())
    if number:
        query = select(Plan).where(func.lower(Plan.number) == number.strip().lower())
    plan = await s.scalar(query.limit(1))
    if plan is None:
        raise RoundRefused(t.NO_PLAN.format(number=number) if number else t.NO_PLANS)
    return plan


@dataclass(frozen=True, slots=True)
class RoundsAdded:
    plan_number: str
    added: tuple[PeriodInfo, ...]
    existing: tuple[str, ...]  # codes that were already there


async def add_yearly_rounds(s: AsyncSession, year: int, *, plan_number: str | None = None,
                            kinds: tuple[str, ...] = ("6T", "9T", "NAM")) -> RoundsAdded:
    """The year's regular rounds of a plan; rounds that exist already are left as they are."""
    if not 2000 <= year <= 2100:
        raise RoundRefused(t.BAD_YEAR.format(year=year))
    unknown = [k for k in kinds if k not in YEARLY_ROUNDS]
    if unknown:
        raise RoundRefused(t.BAD_KINDS.format(kinds=", ".join(unknown)))
    plan = await latest_plan(s, plan_number)
    taken = set(await s.scalars(select(Period.code)))
    added: list[Period] = []
    existing: list[str] = []
    for key in kinds:
        kind, month = YEARLY_ROUNDS[key]
        code = f"{key}-{year}"
        if code in taken:
            existing.append(code)
            continue
        row = Period(plan_id=plan.id, code=code, kind=kind, title=round_title(kind, year),
                     due_before=date(year, month, 1))
        s.add(row)
        added.append(row)
    await s.flush()
    return RoundsAdded(plan.number, tuple(plans.period_info(p) for p in added), tuple(existing))


def added_text(added: RoundsAdded) -> str:
    if not added.added:
        return t.NOTHING_ADDED.format(codes=", ".join(added.existing))
    lines = "; ".join(t.ADDED_LINE.format(name=round_name(p), code=p.code,
                                         due=format_date(p.due_before)) for p in added.added)
    text = t.ADDED.format(plan=added.plan_number, rounds=lines)
    if added.existing:
        text += " " + t.ALREADY.format(codes=", ".join(added.existing))
    return text


def split_codes(typed: str) -> list[str]:
    """'1.1, 2.3 VP' → ['1.1', '2.3', 'VP']; 'tất cả' (or nothing) → [] (all of them)."""
    if fold(typed).strip(" .") in ("", "tat ca", "all", "*"):
        return []
    return [c for c in typed.replace(",", " ").replace(";", " ").split() if c]


async def scope_ids(s: AsyncSession, plan_id: int, task_codes: list[str],
                    unit_codes: list[str]) -> tuple[list[int], list[int]]:
    """The ids of the tasks (of the plan) and active units named by their codes; RoundRefused
    naming the codes that are not there."""
    tasks = {fold(code): id_ for id_, code in await s.execute(
        select(Task.id, Task.code).where(Task.plan_id == plan_id))}
    units = {fold(code): id_ for id_, code in await s.execute(
        select(Unit.id, Unit.code).where(Unit.active))}
    bad_tasks = [c for c in task_codes if fold(c) not in tasks]
    if bad_tasks:
        raise RoundRefused(t.UNKNOWN_TASKS.format(codes=", ".join(bad_tasks)))
    bad_units = [c for c in unit_codes if fold(c) not in units]
    if bad_units:
        raise RoundRefused(t.UNKNOWN_UNITS.format(codes=", ".join(bad_units)))
    return [tasks[fold(c)] for c in task_codes], [units[fold(c)] for c in unit_codes]


async def add_adhoc_round(s: AsyncSession, title: str, due_before: date, today: date, *,
                          plan_number: str | None = None, task_codes: list[str] | None = None,
                          unit_codes: list[str] | None = None) -> PeriodInfo:
    """A 'báo cáo đột xuất' with its own title and deadline, asking for the chosen tasks of the
    chosen units (none chosen: every task, every active unit)."""
    words = title.split()
    if fold(" ".join(words[:2])) == "bao cao":
        # Stored without it: every text says "Báo cáo {title}", or "Báo cáo Báo cáo đột xuất".
        words = words[2:]
    title = " ".join(words)
    if not 3 <= len(title) <= 200:
        raise RoundRefused(t.BAD_TITLE)
    if due_before <= today:
        raise RoundRefused(t.PAST_DUE.format(day=format_date(due_before)))
    plan = await latest_plan(s, plan_number)
    task_ids, unit_ids = await scope_ids(s, plan.id, task_codes or [], unit_codes or [])
    count = await s.scalar(select(func.count()).select_from(Period).where(
        Period.kind == "adhoc", Period.code.like(f"DX%-{due_before.year}")))
    code = f"DX{int(count or 0) + 1}-{due_before.year}"
    row = Period(plan_id=plan.id, code=code, kind="adhoc", title=title, due_before=due_before)
    s.add(row)
    await s.flush()
    await assignments.set_round_scope(s, row.id, task_ids, unit_ids)
    return plans.period_info(row)


def adhoc_text(period: PeriodInfo, task_codes: list[str], unit_codes: list[str]) -> str:
    """What was added, with the subset it asks for."""
    text = t.ADHOC_ADDED.format(name=round_name(period), code=period.code,
                                due=format_date(period.due_before))
    scope = t.ADHOC_SCOPE.format(tasks=", ".join(task_codes) or t.ALL_TASKS,
                                 units=", ".join(unit_codes) or t.ALL_UNITS)
    return f"{text}\n{scope}"


async def set_closed(s: AsyncSession, named: str, closed: bool, now: datetime) -> PeriodInfo:
    """Close (stop reminders, digests and edits) or reopen a round."""
    period = await find_round(s, named)
    row = await s.get(Period, period.id)
    assert row is not None  # just read in this transaction
    row.closed_at = (row.closed_at or now) if closed else None
    await s.flush()
    return plans.period_info(row)


@dataclass(frozen=True, slots=True)
class PlanCopy:
    source: str
    number: str
    issued_on: date
    sections: int
    tasks: int
    rounds: tuple[str, ...]


async def copy_plan(s: AsyncSession, number: str, issued_on: date, year: int, *,
                    source_number: str | None = None, dry_run: bool = False) -> PlanCopy:
    """A new year's plan from last year's: its sections and tasks, a new number and date, and
    that year's rounds. With dry_run nothing is written (the preview)."""
    number = number.strip()
    if not number:
        raise RoundRefused(t.BAD_NUMBER)
    source = await latest_plan(s, source_number)
    clash = await s.scalar(select(Plan.id).where(func.lower(Plan.number) == number.lower()))
    if clash is not None:
        raise RoundRefused(t.PLAN_EXISTS.format(number=number))
    sections = list(await s.scalars(
        select(Section).where(Section.plan_id == source.id).order_by(Section.position)))
    tasks = list(await s.scalars(
        select(Task).where(Task.plan_id == source.id).order_by(Task.position)))
    codes = tuple(f"{key}-{year}" for key in YEARLY_ROUNDS)
    preview = PlanCopy(source.number, number, issued_on, len(sections), len(tasks), codes)
    if dry_run:
        return preview
    plan = Plan(number=number, title=source.title.replace(str(source.issued_on.year), str(year)),
                issued_on=issued_on, issuer=source.issuer, place=source.place,
                meta=dict(source.meta or {}))
    s.add(plan)
    await s.flush()
    new_sections: dict[int, int] = {}
    for section in sections:
        copy = Section(plan_id=plan.id, code=section.code, title=section.title,
                       position=section.position)
        s.add(copy)
        await s.flush()
        new_sections[section.id] = copy.id
    copies = {task.id: Task(plan_id=plan.id, section_id=new_sections[task.section_id],
                            code=task.code, short_title=task.short_title,
                            full_text=task.full_text, position=task.position) for task in tasks}
    s.add_all(copies.values())
    await s.flush()
    for row in await s.scalars(select(TaskAssignment).where(
            TaskAssignment.task_id.in_(list(copies)))):  # last year's assignments carry over
        s.add(TaskAssignment(task_id=copies[row.task_id].id, unit_id=row.unit_id, role=row.role))
    await s.flush()
    added = await add_yearly_rounds(s, year, plan_number=number)
    return PlanCopy(source.number, number, issued_on, len(sections), len(tasks),
                    tuple(p.code for p in added.added))
