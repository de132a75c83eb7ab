"""`broadcast`: queue or schedule a broadcast whose (long) text is prepared in a file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app import open_app
from core.settings import Settings
from core.texts import broadcast as t
from core.textutil import clean_input
from handlers.broadcast import parse_local
from services import broadcasts as jobs
from storage import broadcasts as repo
from storage import events, roster


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("broadcast", help="gửi hoặc hẹn giờ gửi thông báo từ tệp văn bản")
    p.add_argument("--file", required=True, type=Path, help="tệp UTF-8 chứa nội dung")
    p.add_argument("--audience", required=True,
                   help="all_groups | groups:TDP01,TDP02 | unit_heads | everyone")
    p.add_argument("--at",
                   help='thời điểm gửi "dd/mm/yyyy hh:mm" (giờ Việt Nam); bỏ trống: gửi ngay')
    p.add_argument("--remind-after", type=int, default=None, metavar="GIỜ",
                   help="tự nhắc một lần người chưa xác nhận sau số giờ làm việc này (0: không; "
                        "mặc định: BROADCAST_REMIND_AFTER_HOURS)")
    p.set_defaults(func=broadcast)


class Refused(Exception):
    """Bad input found inside the transaction: raising rolls the draft back."""


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


async def broadcast(args: argparse.Namespace, settings: Settings) -> int:
    try:
        text = clean_input(args.file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return _fail(t.CLI_FILE_MISSING.format(file=args.file))
    problem = jobs.text_problem(text)
    audience, _, codes = str(args.audience).partition(":")
    if problem:
        return _fail(f"Lỗi: {problem}")
    if audience not in repo.AUDIENCES or (audience == "groups") != bool(codes):
        return _fail(t.CLI_BAD_AUDIENCE)
    app = await open_app(settings)
    try:
        async with app.deps.sessions.begin() as s:
            group_ids = []
            for code in filter(None, (c.strip() for c in codes.split(","))):
                group = await roster.group_by_code(s, code)
                if group is None:
                    raise Refused(t.CLI_BAD_AUDIENCE)
                group_ids.append(group.id)
            now = app.deps.clock.now()
            at = parse_local(args.at, settings.tz) if args.at else now
            if at is None:
                raise Refused("Lỗi: " + t.BAD_DATETIME.format(text=args.at))
            if args.at and at <= now:
                when = jobs.local_text(at, settings.tz)
                raise Refused("Lỗi: " + t.PAST_DATETIME.format(when=when))
            row = await repo.create(s, text=text, audience=audience, group_ids=group_ids,
                                    created_by=None, now=now,
                                    remind_after_hours=_remind_after(args, settings))
            plan = await jobs.plan_run(s, app.deps, row)
            if not plan.reachable:
                raise Refused(t.CLI_NOBODY.format(audience=t.AUDIENCE_LABELS[audience]))
            quota_text = await jobs.quota_problem(s, app.deps, plan, now)
            if quota_text:
                raise Refused("Lỗi: " + quota_text)
            row.status, row.send_at, row.next_run_at = repo.SCHEDULED, at, at
            await events.audit(s, now, None, "broadcast_cli", id=row.id)
            written = await jobs.fire(s, app.deps, row.id, now) if not args.at else 0
    except Refused as exc:
        return _fail(str(exc))
    finally:
        await app.close()
    if args.at:
        print(t.CLI_SCHEDULED.format(id=row.id, when=jobs.local_text(at, settings.tz),
                                     people=plan.reachable))
    else:
        print(t.CLI_QUEUED.format(id=row.id, messages=written, people=plan.reachable))
    return 0


def _remind_after(args: argparse.Namespace, settings: Settings) -> int:
    if args.remind_after is None:
        return settings.broadcast_remind_after_hours
    return max(args.remind_after, 0)
