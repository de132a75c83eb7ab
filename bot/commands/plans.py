"""`plan import FILE`: a plan from YAML, or from the official document (.docx, .txt) after a
preview the officer confirms (`--yes` confirms without asking)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app import opened_app
from bot.commands import data
from bot.commands.confirm import confirmed
from core.settings import Settings
from core.texts import desk as desk_texts
from core.texts import plans as texts
from services import audit, plan_import


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("plan", help=texts.CLI_HELP)
    p.add_argument("action", choices=["import"])
    p.add_argument("file", type=Path, help=texts.CLI_FILE_HELP)
    p.add_argument("--yes", action="store_true", help=texts.CLI_YES_HELP)
    p.set_defaults(func=import_plan)


async def import_plan(args: argparse.Namespace, settings: Settings) -> int:
    if args.file.suffix.lower() in (".yaml", ".yml"):
        return await data.import_plan(args, settings)
    try:
        parsed = plan_import.read_document(args.file)
    except plan_import.PlanReadError as exc:
        print(plan_import.refusal(args.file, exc), file=sys.stderr)
        return 1
    async with opened_app(settings) as app:
        draft = await plan_import.prepare(app.deps.sessions, parsed)
        print(plan_import.preview(draft))
        if not args.yes and not await confirmed(texts.CONFIRM):
            print(texts.DECLINED)
            return 1
        report = await plan_import.save(app.deps.sessions, draft)
        async with app.deps.sessions.begin() as s:
            await audit.record(s, app.deps.clock.now(), None, "plan_imported",
                               desk_texts.AUDIT_PLAN.format(number=draft.plan.plan.number),
                               tasks=report.tasks, periods=report.periods)
    done = texts.IMPORTED if report.created else texts.UPDATED
    print(done.format(number=draft.plan.plan.number, sections=report.sections,
                      tasks=report.tasks, periods=report.periods))
    return 0
