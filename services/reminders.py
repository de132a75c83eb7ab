"""Reminder policy: when to remind unit heads and when to send admins the missing-units digest.

Nothing here remembers what was sent: every slot becomes outbox rows with a unique dedupe key,
so the once-a-minute sweep may run late, twice, or in two processes without a duplicate.
Catch-up: after downtime only the latest slot that has come due is sent, and only while the
deadline day has not ended; older missed slots are skipped (no morning flood of stale nagging)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calendar import WorkingCalendar
from core.settings import Settings
from core.texts import scheduler as t
from core.textutil import format_date, weekday_name
from core.types import ChatRef, Option, Reply, Role
from storage import assignments, deliveries, roster
from storage.models import Entry, Person, Submission, Unit
from storage.plans import PeriodInfo, plan_outline


@dataclass(frozen=True, slots=True)
class Slot:
    offset: int  # working days before the effective deadline (0 = the deadline day)
    day: date
    at: datetime  # aware UTC


@dataclass(frozen=True, slots=True)
class PeriodPlan:
    period: PeriodInfo
    deadline: date
    slots: tuple[Slot, ...]
    first_digest: Slot  # the first working day after the deadline
    ends_at: datetime  # end of the deadline day (UTC): reminders stop being useful


def at_local(day: date, hour: int, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def plan_period(period: PeriodInfo, calendar: WorkingCalendar, settings: Settings) -> PeriodPlan:
    """The reminder slots (D−5, D−2, D−1, D by default) and the first digest of a period."""
    tz, hour = settings.tz, settings.reminder_hour
    deadline = calendar.effective_deadline(period.due_before)
    slots = tuple(
        Slot(n, day, at_local(day, hour, tz))
        for n in settings.offsets
        for day in [calendar.working_days_before(deadline, n)]
    )
    after = calendar.next_working_day(deadline)
    ends_at = datetime.combine(deadline + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return PeriodPlan(period, deadline, slots, Slot(-1, after, at_local(after, hour, tz)), ends_at)


def due_slot(plan: PeriodPlan, now: datetime) -> Slot | None:
    """The reminder slot to (catch up and) send now, if any."""
    if now >= plan.ends_at:
        return None
    due = [slot for slot in plan.slots if slot.at <= now]
    return due[-1] if due else None


def in_office_hours(now: datetime, calendar: WorkingCalendar, settings: Settings) -> bool:
    """Reminders (also caught-up ones) go out on working days between the reminder hour and
    the end of office hours, never at night: a bot restarted at 22:00 waits for the morning."""
    local = now.astimezone(settings.tz)
    return (calendar.is_working_day(local.date())
            and settings.reminder_hour <= local.hour < settings.reminder_until_hour)


def digest_day(plan: PeriodPlan, calendar: WorkingCalendar, now: datetime,
               settings: Settings) -> date | None:
    """Today, when today's digest hour has come on a working day after the deadline."""
    today = now.astimezone(settings.tz).date()
    if today <= plan.deadline or not calendar.is_working_day(today):
        return None
    if (calendar.working_days_until(plan.deadline, today) or 0) > settings.digest_working_days:
        return None  # a round nobody closed must not mail the admins for ever
    return today if now >= at_local(today, settings.reminder_hour, settings.tz) else None


# --- Who is missing ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnitGap:
    """An active unit that has not submitted the period's report."""

    unit_id: int
    name: str
    missing_codes: tuple[str, ...]
    total_tasks: int


async def units_missing(s: AsyncSession, period: PeriodInfo) -> tuple[list[UnitGap], int]:
    """Units without a submission, with the assigned tasks they have not answered; and the
    unit count."""
    tasks = [k for section in await plan_outline(s, period.plan_id) for k in section.tasks]
    assigned = await assignments.period_assignments(s, period.id)  # an ad-hoc round's subset
    units = [u for u in await s.scalars(select(Unit).where(Unit.active).order_by(Unit.code))
             if assigned.in_round(u.id)]
    submitted = set(await s.scalars(
        select(Submission.unit_id).where(Submission.period_id == period.id)))
    answered: dict[int, set[int]] = {}
    for unit_id, task_id in await s.execute(
        select(Entry.unit_id, Entry.task_id).where(Entry.period_id == period.id)
    ):
        answered.setdefault(unit_id, set()).add(task_id)
    gaps = [
        UnitGap(u.id, u.name,
                tuple(k.code for k in mine if k.id not in answered.get(u.id, set())), len(mine))
        for u in units if u.id not in submitted
        for mine in [[k for k in tasks if assigned.is_assigned(k.id, u.id)]]
        if mine  # a unit with no task assigned has nothing to report
    ]
    return gaps, len(units)


async def unit_heads(s: AsyncSession, unit_ids: list[int]) -> dict[int, list[Person]]:
    """Unit heads, and admins bound to the unit, who answer for each unit."""
    people = await s.scalars(
        select(Person).where(Person.active, Person.unit_id.in_(unit_ids),
                             Person.role.in_([Role.UNIT_HEAD.value, Role.ADMIN.value]))
        .order_by(Person.id)
    )
    result: dict[int, list[Person]] = {}
    for person in people:
        result.setdefault(person.unit_id or 0, []).append(person)
    return result


async def reachable(s: AsyncSession, people: list[Person]) -> list[tuple[Person, ChatRef]]:
    chats = await roster.chats_of(s, [p.id for p in people])
    # A shell account too: its messages wait in the outbox until its person next types.
    return [(p, chat) for p in people for chat in chats.get(p.id, [])]


# --- Messages ----------------------------------------------------------------------------------


def reminder_reply(person_name: str, gap: UnitGap, plan: PeriodPlan, days_left: int | None,
                   *, manual: bool = False) -> Reply:
    when = (t.WHEN_OVERDUE if days_left is None else
            t.WHEN_TODAY if days_left == 0 else t.WHEN_DAYS_LEFT.format(days=days_left))
    template = t.REMINDER_MANUAL if manual else t.REMINDER
    lines = [template.format(name=person_name, period=plan.period.title, unit=gap.name,
                             deadline=day_text(plan.deadline), when=when)]
    if gap.missing_codes:
        lines.append(t.MISSING_TASKS.format(missing=len(gap.missing_codes), total=gap.total_tasks,
                                            codes=", ".join(gap.missing_codes)))
    else:
        lines.append(t.ALL_REPORTED_NOT_SUBMITTED.format(total=gap.total_tasks))
    lines.append(t.REMINDER_CLOSING)
    options = [Option(f"cmd:baocao:{plan.period.code}", t.REPORT_NOW)]
    if not gap.missing_codes:
        options.append(Option(f"cmd:nop:{plan.period.code}", t.SUBMIT_NOW))
    return Reply("\n".join(lines), tuple(options))


def digest_reply(person_name: str, gaps: list[UnitGap], unit_count: int, plan: PeriodPlan,
                 today: date) -> Reply:
    lines = [t.DIGEST.format(name=person_name, today=format_date(today), period=plan.period.title,
                             deadline=day_text(plan.deadline), count=len(gaps), total=unit_count)]
    for gap in gaps:
        lines.append(t.DIGEST_LINE.format(unit=gap.name, missing=len(gap.missing_codes),
                                          tasks=gap.total_tasks) if gap.missing_codes
                     else t.DIGEST_LINE_UNSUBMITTED.format(unit=gap.name))
    lines.append(t.DIGEST_FOOTER)
    return Reply("\n".join(lines))


def day_text(day: date) -> str:
    return f"{weekday_name(day)}, {format_date(day)}"


# --- Enqueueing ----------------------------------------------------------------------------


async def enqueue_reminders(s: AsyncSession, plan: PeriodPlan, gaps: list[UnitGap], tag: str,
                            now: datetime, days_left: int | None, *,
                            manual: bool = False) -> int:
    """Outbox rows for every reachable head of every missing unit; new rows only."""
    heads = await unit_heads(s, [g.unit_id for g in gaps])
    written = 0
    for gap in gaps:
        for person, chat in await reachable(s, heads.get(gap.unit_id, [])):
            reply = reminder_reply(person.name, gap, plan, days_left, manual=manual)
            key = (f"reminder:{plan.period.id}:{gap.unit_id}:{person.id}:{chat.platform.value}:"
                   f"{chat.chat_id}:{tag}")
            written += await deliveries.enqueue(
                s, key=key, kind="reminder", chat=chat, payload=deliveries.reply_to_payload(reply),
                now=now, person_id=person.id, ref_id=plan.period.id)
    return written


async def enqueue_digests(s: AsyncSession, plan: PeriodPlan, gaps: list[UnitGap],
                          unit_count: int, today: date, now: datetime) -> int:
    admins = await roster.people_with_role(s, Role.ADMIN)
    written = 0
    for person, chat in await reachable(s, admins):
        reply = digest_reply(person.name, gaps, unit_count, plan, today)
        key = (f"digest:{plan.period.id}:{person.id}:{chat.platform.value}:{chat.chat_id}:"
               f"{today.isoformat()}")
        written += await deliveries.enqueue(
            s, key=key, kind="digest", chat=chat, payload=deliveries.reply_to_payload(reply),
            now=now, person_id=person.id, ref_id=plan.period.id)
    return written
