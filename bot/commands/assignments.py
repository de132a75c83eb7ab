"""Task assignments on the command line: `assign TASK --lead VP --join KTHTDT,TTSNC`,
`assign TASK --all` (every unit again), `assignments` (the list).

Only input and output here: the rules are in services/assignments.py, shared with chat."""

from __future__ import annotations

import argparse
import sys

from bot.app import opened_app
from core.settings import Settings
from core.texts import assignments as t
from core.texts import desk as desk_texts
from services import assignments, audit
from services.assignments import AssignmentRefused


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("assign", help=t.CLI_HELP)
    p.add_argument("task", help=t.CLI_TASK_HELP)
    p.add_argument("--lead", default="", help=t.CLI_LEAD_HELP)
    p.add_argument("--join", default="", help=t.CLI_JOIN_HELP)
    p.add_argument("--all", action="store_true", help=t.CLI_ALL_HELP)
    p.add_argument("--plan", help=t.CLI_PLAN_HELP)
    p.set_defaults(func=assign)
    q = sub.add_parser("assignments", help=t.CLI_LIST_HELP)
    q.add_argument("--plan", help=t.CLI_PLAN_HELP)
    q.set_defaults(func=show)


async def assign(args: argparse.Namespace, settings: Settings) -> int:
    lead, join = assignments.parse_codes(args.lead), assignments.parse_codes(args.join)
    if args.all and (lead or join):
        print(t.CLI_CONFLICT, file=sys.stderr)
        return 2
    async with opened_app(settings) as app:
        try:
            async with app.deps.sessions.begin() as s:
                if args.all:
                    view = await assignments.clear_units(s, args.task, plan_number=args.plan)
                else:
                    view = await assignments.set_units(s, args.task, lead, join,
                                                       plan_number=args.plan)
                await audit.record(s, app.deps.clock.now(), None, "task_assigned",
                                   desk_texts.AUDIT_TASK.format(code=view.code),
                                   units=assignments.units_text(view))
        except AssignmentRefused as refused:
            print(refused, file=sys.stderr)
            return 1
    print(assignments.set_text(view))
    return 0


async def show(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app:
        try:
            async with app.deps.sessions() as s:
                plan, views = await assignments.list_all(s, args.plan)
        except AssignmentRefused as refused:
            print(refused, file=sys.stderr)
            return 1
    print(assignments.listing_text(plan, views))
    return 0
