"""Scheduler commands: planned reminder times, calendar overrides, closing a period."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from bot.app import opened_app
from core.calendar import OFF, WORK
from core.settings import Settings
from core.texts import cli
from core.texts import scheduler as t
from core.textutil import format_date, format_datetime, parse_date, weekday_name
from handlers.common import period_from_args
from services import audit
from services.reminders import PeriodPlan, plan_period
from storage import calendar as calendar_store
from storage import plans


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("schedule", help=cli.SCHEDULE_HELP)
    p.add_argument("--period", help=cli.SCHEDULE_PERIOD_HELP)
    p.set_defaults(func=show_schedule)

    p = sub.add_parser("calendar", help=cli.CALENDAR_HELP)
    actions = p.add_subparsers(dest="action", required=True, metavar=cli.ACTION_METAVAR)
    add = actions.add_parser("add", help=cli.CALENDAR_ADD_HELP)
    add.add_argument("day", help=cli.CALENDAR_DAY_HELP)
    kind = add.add_mutually_exclusive_group(required=True)
    kind.add_argument("--off", dest="kind", action="store_const", const=OFF,
                      help=cli.CALENDAR_OFF_HELP)
    kind.add_argument("--work", dest="kind", action="store_const", const=WORK,
                      help=cli.CALENDAR_WORK_HELP)
    add.add_argument("--note", default="", help=cli.CALENDAR_NOTE_HELP)
    add.set_defaults(func=add_override)
    actions.add_parser("list", help=cli.CALENDAR_LIST_HELP).set_defaults(
        func=list_overrides)
    remove = actions.add_parser("remove", help=cli.CALENDAR_REMOVE_HELP)
    remove.add_argument("day", help=cli.CALENDAR_DAY_HELP)
    remove.set_defaults(func=remove_override)


def _plan_lines(plan: PeriodPlan, settings: Settings, now_utc: datetime) -> list[str]:
    tz = settings.tz
    period = plan.period
    lines = [t.CLI_PERIOD.format(code=period.code, period=period.title,
                                 due=format_date(period.due_before),
                                 deadline=f"{weekday_name(plan.deadline)} "
                                          f"{format_date(plan.deadline)}",
                                 closed=t.CLI_CLOSED if period.closed else "")]
    for slot in plan.slots:
        past = t.CLI_PAST if slot.at <= now_utc else ""
        lines.append(t.CLI_SLOT.format(offset=slot.offset, weekday=weekday_name(slot.day),
                                       moment=format_datetime(slot.at.astimezone(tz)), past=past))
    first = plan.first_digest
    lines.append(t.CLI_DIGEST.format(weekday=weekday_name(first.day),
                                     moment=format_datetime(first.at.astimezone(tz))))
    return lines


async def show_schedule(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app, app.deps.sessions() as s:
        calendar = await calendar_store.working_calendar(s)
        periods = await plans.all_periods(s)
    if args.period:
        chosen = period_from_args(periods, args.period)
        if chosen is None:
            print(t.CLI_NO_PERIOD.format(arg=args.period), file=sys.stderr)
            return 1
        periods = [chosen]
    else:
        periods = [p for p in periods if not p.closed]
    now = app.deps.clock.now()
    for period in periods:
        print("\n".join(_plan_lines(plan_period(period, calendar, settings), settings, now)))
    return 0


async def add_override(args: argparse.Namespace, settings: Settings) -> int:
    day = parse_date(args.day)
    if day is None:
        print(t.CLI_BAD_DATE.format(arg=args.day), file=sys.stderr)
        return 2
    async with opened_app(settings) as app, app.deps.sessions.begin() as s:
        await calendar_store.set_override(s, day, args.kind, args.note)
        await audit.record(s, app.deps.clock.now(), None, "calendar_override", format_date(day),
                           kind=args.kind, note=args.note)
    print(t.CLI_OVERRIDE_SAVED.format(weekday=weekday_name(day), day=format_date(day),
                                      kind=t.CLI_OFF if args.kind == OFF else t.CLI_WORK,
                                      note=f" ({args.note})" if args.note else ""))
    return 0


async def remove_override(args: argparse.Namespace, settings: Settings) -> int:
    day = parse_date(args.day)
    if day is None:
        print(t.CLI_BAD_DATE.format(arg=args.day), file=sys.stderr)
        return 2
    async with opened_app(settings) as app, app.deps.sessions.begin() as s:
        removed = await calendar_store.remove_override(s, day)
        if removed:
            await audit.record(s, app.deps.clock.now(), None, "calendar_override_removed",
                               format_date(day))
    if not removed:
        print(t.CLI_NO_OVERRIDE_ON.format(day=format_date(day)), file=sys.stderr)
        return 1
    print(t.CLI_OVERRIDE_REMOVED.format(weekday=weekday_name(day), day=format_date(day)))
    return 0


async def list_overrides(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app, app.deps.sessions() as s:
        rows = await calendar_store.list_overrides(s)
    if not rows:
        print(t.CLI_NO_OVERRIDES)
    for row in rows:
        print(t.CLI_OVERRIDE_LINE.format(weekday=weekday_name(row.day), day=format_date(row.day),
                                         kind=t.CLI_OFF if row.kind == OFF else t.CLI_WORK,
                                         note=f" ({row.note})" if row.note else ""))
    return 0
