"""Rounds on the command line: `period add|close|reopen`, `new-year` (a plan copied to a year).

Only input and output here: the rules are in services/rounds.py, shared with chat."""

from __future__ import annotations

import argparse
import sys

from bot.app import opened_app
from bot.commands.confirm import confirmed
from core.settings import Settings
from core.texts import cli
from core.texts import rounds as t
from core.textutil import format_date, parse_date
from services import audit, rounds


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("period", help=cli.PERIOD_HELP)
    actions = p.add_subparsers(dest="action", required=True, metavar=cli.ACTION_METAVAR)
    add = actions.add_parser("add", help=cli.PERIOD_ADD_HELP)
    add.add_argument("--year", type=int, help=cli.PERIOD_YEAR_HELP)
    add.add_argument("--kinds", default="6T,9T,NAM", help=cli.PERIOD_KINDS_HELP)
    add.add_argument("--adhoc", metavar=cli.NAME_METAVAR, help=cli.PERIOD_ADHOC_HELP)
    add.add_argument("--due", metavar="DD/MM/YYYY", help=cli.PERIOD_DUE_HELP)
    add.add_argument("--plan", help=cli.PERIOD_PLAN_HELP)
    add.add_argument("--tasks", default="", help=cli.PERIOD_TASKS_HELP)
    add.add_argument("--units", default="", help=cli.PERIOD_UNITS_HELP)
    add.set_defaults(func=add_rounds)
    for action, text in (("close", cli.PERIOD_CLOSE_HELP), ("reopen", cli.PERIOD_REOPEN_HELP)):
        q = actions.add_parser(action, help=text)
        q.add_argument("code", help=cli.PERIOD_CODE_HELP)
        q.set_defaults(func=close_round)

    p = sub.add_parser("new-year", help=cli.NEW_YEAR_HELP)
    p.add_argument("year", type=int, help=cli.NEW_YEAR_YEAR_HELP)
    p.add_argument("--number", required=True, help=cli.NEW_YEAR_NUMBER_HELP)
    p.add_argument("--date", required=True, metavar="DD/MM/YYYY", help=cli.NEW_YEAR_DATE_HELP)
    p.add_argument("--from-plan", help=cli.NEW_YEAR_FROM_HELP)
    p.add_argument("--yes", action="store_true", help=cli.YES_HELP)
    p.set_defaults(func=new_year)


def _fail(message: str, code: int = 1) -> int:
    print(message, file=sys.stderr)
    return code


async def add_rounds(args: argparse.Namespace, settings: Settings) -> int:
    due = parse_date(args.due) if args.due else None
    if args.adhoc and due is None:
        return _fail(t.BAD_DATE.format(text=args.due or ""), 2)
    if not args.adhoc and args.year is None:
        return _fail(t.BAD_YEAR.format(year="?"), 2)
    async with opened_app(settings) as app:
        try:
            async with app.deps.sessions.begin() as s:
                if args.adhoc and due is not None:
                    today = app.deps.clock.today()
                    tasks, units = rounds.split_codes(args.tasks), rounds.split_codes(args.units)
                    period = await rounds.add_adhoc_round(s, args.adhoc, due, today,
                                                          plan_number=args.plan,
                                                          task_codes=tasks, unit_codes=units)
                    await audit.record(s, app.deps.clock.now(), None, "round_added",
                                       period.code, tasks=tasks, units=units)
                    print(rounds.adhoc_text(period, tasks, units))
                    return 0
                kinds = tuple(k.strip().upper() for k in args.kinds.split(",") if k.strip())
                added = await rounds.add_yearly_rounds(s, args.year, plan_number=args.plan,
                                                       kinds=kinds)
                if added.added:
                    await audit.record(s, app.deps.clock.now(), None, "rounds_added",
                                       str(args.year), codes=[p.code for p in added.added])
        except rounds.RoundRefused as refused:
            return _fail(str(refused))
    print(rounds.added_text(added))
    return 0


async def close_round(args: argparse.Namespace, settings: Settings) -> int:
    closing = args.action == "close"
    async with opened_app(settings) as app:
        try:
            async with app.deps.sessions.begin() as s:
                period = await rounds.set_closed(s, args.code, closing, app.deps.clock.now())
                await audit.record(s, app.deps.clock.now(), None,
                                   "period_closed" if closing else "period_reopened",
                                   period.code, period=period.id)
        except rounds.RoundRefused as refused:
            return _fail(str(refused))
    text = t.CLOSED if closing else t.REOPENED
    print(text.format(name=rounds.round_name(period), code=period.code))
    return 0


async def new_year(args: argparse.Namespace, settings: Settings) -> int:
    issued = parse_date(args.date)
    if issued is None:
        return _fail(t.BAD_DATE.format(text=args.date), 2)
    async with opened_app(settings) as app:
        try:
            async with app.deps.sessions.begin() as s:
                preview = await rounds.copy_plan(s, args.number, issued, args.year,
                                                 source_number=args.from_plan, dry_run=True)
                print(t.COPY_PREVIEW.format(
                    number=preview.number, date=format_date(issued), source=preview.source,
                    sections=preview.sections, tasks=preview.tasks, year=args.year,
                    rounds=", ".join(preview.rounds)))
                if not args.yes and not await confirmed(t.CONFIRM_QUESTION):
                    print(t.NOT_CONFIRMED)
                    return 1
                done = await rounds.copy_plan(s, args.number, issued, args.year,
                                              source_number=args.from_plan)
                await audit.record(s, app.deps.clock.now(), None, "plan_copied", done.number,
                                   source=done.source)
        except rounds.RoundRefused as refused:
            return _fail(str(refused))
    print(t.COPY_DONE.format(number=done.number, tasks=done.tasks,
                             rounds=", ".join(done.rounds) or "—"))
    return 0
