"""`broadcast`: queue or schedule a broadcast whose (long) text is prepared in a file; with
`--city`, the city's broadcast to every ward's admins or unit heads, or to the tổ trưởng of
chosen wards (`--wards`), acting on no ward."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app import opened_app
from core.settings import Settings
from core.texts import broadcast as t
from core.texts import cli
from core.textutil import clean_input, parse_local_datetime
from services import broadcasts as jobs
from storage import broadcasts as repo


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("broadcast", help=cli.BROADCAST_HELP)
    p.add_argument("--file", required=True, type=Path, help=cli.BROADCAST_FILE_HELP)
    p.add_argument("--audience", required=True, help=cli.BROADCAST_AUDIENCE_HELP)
    p.add_argument("--city", action="store_true", help=cli.BROADCAST_CITY_HELP)
    p.add_argument("--wards", default="", help=cli.BROADCAST_WARDS_HELP)
    p.add_argument("--at", help=cli.BROADCAST_AT_HELP)
    p.add_argument("--remind-after", type=int, default=None, metavar=cli.HOURS_METAVAR,
                   help=cli.BROADCAST_REMIND_HELP)
    p.set_defaults(func=broadcast)


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
        return _fail(cli.ERROR.format(problem=problem))
    wrong = _audience_problem(args, audience, codes)
    if wrong:
        return _fail(wrong)
    at = parse_local_datetime(args.at, settings.tz) if args.at else None
    if args.at and at is None:
        return _fail(cli.ERROR.format(problem=t.BAD_DATETIME.format(text=args.at)))
    async with opened_app(settings, needs_ward=not args.city) as app:
        try:
            async with app.deps.sessions.begin() as s:
                items = [c.strip() for c in codes.split(",") if c.strip()]
                group_ids = await jobs.resolve_groups(s, items) if audience == "groups" else []
                ward_ids = (await jobs.resolve_wards(s, _items(args.wards))
                            if audience == "city_groups" else [])
                row = await repo.create(s, text=text, audience=audience, group_ids=group_ids,
                                        created_by=None, now=app.deps.clock.now(),
                                        remind_after_hours=_remind_after(args, settings),
                                        city=args.city, ward_ids=ward_ids)
                done = await jobs.launch(s, app.deps, row, app.deps.clock.now(), actor=None,
                                         at=at)
        except jobs.BroadcastRefused as refused:
            return _fail(cli.ERROR.format(problem=refused))
    if at is not None:
        print(t.CLI_SCHEDULED.format(id=done.broadcast_id, people=done.people,
                                     when=jobs.local_text(done.at, settings.tz)))
    else:
        print(t.CLI_QUEUED.format(id=done.broadcast_id, messages=done.messages,
                                  people=done.people))
    print(t.CLI_NEEDS_RUN)
    return 0


def _items(listed: str) -> list[str]:
    return [c.strip() for c in listed.split(",") if c.strip()]


def _audience_problem(args: argparse.Namespace, audience: str, codes: str) -> str:
    """The audience checked against --city and --wards before anything opens ('' when fine)."""
    if args.city:
        if not repo.is_city_audience(audience) or codes:
            return t.CLI_CITY_ONLY_AUDIENCE
    elif repo.is_city_audience(audience):
        return t.CLI_NEEDS_CITY.format(audience=audience)
    elif audience not in repo.AUDIENCES or (audience == "groups") != bool(codes):
        return t.CLI_BAD_AUDIENCE
    if args.wards and audience != "city_groups":
        return t.CLI_WARDS_ONLY_GROUPS
    return ""


def _remind_after(args: argparse.Namespace, settings: Settings) -> int:
    if args.remind_after is None:
        return settings.broadcast_remind_after_hours
    return max(args.remind_after, 0)
