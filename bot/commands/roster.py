"""Roster commands: import (.xlsx or YAML) with a preview, export, deactivate and reactivate,
invites for everybody not registered yet. The work is done by services.roster_admin and
services.invites, which the chat and the web desk call too."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

from bot.app import opened_app
from bot.commands.confirm import confirmed
from core.settings import Settings
from core.texts import cli
from core.texts import roster as t
from core.textutil import format_datetime
from services import invites as invite_service
from services import roster_admin


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("roster", help=cli.ROSTER_HELP)
    actions = p.add_subparsers(dest="action", metavar=cli.ACTION_METAVAR, required=True)
    imp = actions.add_parser("import", help=cli.ROSTER_IMPORT_HELP)
    imp.add_argument("file", type=Path)
    imp.add_argument("--replace", action="store_true",
                     help=cli.ROSTER_REPLACE_HELP)
    imp.add_argument("--yes", "-y", action="store_true", help=cli.ROSTER_YES_HELP)
    imp.set_defaults(func=import_roster)
    exp = actions.add_parser("export", help=cli.ROSTER_EXPORT_HELP)
    exp.add_argument("--out", type=Path, required=True)
    exp.set_defaults(func=export_roster)

    for kind, label, key_help in (
            ("unit", cli.KIND_UNIT, cli.UNIT_KEY_HELP),
            ("group", cli.KIND_GROUP, cli.GROUP_KEY_HELP),
            ("person", cli.KIND_PERSON, cli.PERSON_KEY_HELP)):
        p = sub.add_parser(kind, help=cli.SET_ACTIVE_HELP.format(label=label))
        actions_of = ["deactivate", "reactivate", *(["handover"] if kind == "unit" else [])]
        p.add_argument("action", choices=actions_of)
        p.add_argument("key", help=key_help)
        if kind == "unit":
            p.add_argument("name", nargs="?", default="", help=cli.HANDOVER_NAME_HELP)
        p.set_defaults(func=set_active, kind=kind)


def add_bulk_invite_arguments(p: argparse.ArgumentParser) -> None:
    """`invite --all [--units A,B] [--groups X,Y] --out FILE.xlsx` (added to `invite`)."""
    p.add_argument("--all", action="store_true",
                   help=cli.INVITE_ALL_HELP)
    p.add_argument("--units", default="", help=cli.INVITE_UNITS_HELP)
    p.add_argument("--groups", default="", help=cli.INVITE_GROUPS_HELP)
    p.add_argument("--out", type=Path, help=cli.INVITE_OUT_HELP)


async def _confirmed(yes: bool) -> bool:
    if yes:
        return True
    if not sys.stdin.isatty():
        print(t.NO_TTY, file=sys.stderr)
        return False
    return await confirmed(t.ASK_CONFIRM)


async def import_roster(args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = roster_admin.read_roster(args.file)
    except roster_admin.RosterFileError as exc:
        print(cli.ERROR.format(problem=exc) + "\n" + t.NOT_CONFIRMED, file=sys.stderr)
        return 1
    async with opened_app(settings) as app:
        try:
            async with app.deps.sessions() as s:
                plan = await roster_admin.plan_import(s, data, replace=args.replace)
        except roster_admin.RosterFileError as exc:
            print(cli.ERROR.format(problem=f"{args.file.name}: {exc}") + "\n" + t.NOT_CONFIRMED,
                  file=sys.stderr)
            return 1
        print("\n".join(plan.lines(args.file.name)))
        if plan.empty:
            return 0
        if not await _confirmed(args.yes):
            print(t.NOT_CONFIRMED)
            return 1
        async with app.deps.sessions.begin() as s:
            done = await roster_admin.apply_import(s, data, app.deps.clock.now(),
                                                   replace=args.replace)
    print(t.IMPORTED.format(added=len(done.added), changed=len(done.changed),
                            deactivated=len(done.unlisted) if args.replace else 0,
                            people=done.new_people))
    if done.examples_left:
        print(t.EXAMPLES_LEFT.format(count=len(done.examples_left),
                                     codes=", ".join(done.examples_left)))
    return 0


async def export_roster(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app, app.deps.sessions() as s:
        report = await roster_admin.export_xlsx(s, args.out)
    print(t.EXPORT_DONE.format(units=report.units, groups=report.groups, path=args.out))
    return 0


async def set_active(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "handover":
        return await hand_over(args, settings)
    active = args.action == "reactivate"
    async with opened_app(settings) as app:
        try:
            async with app.deps.sessions.begin() as s:
                change = await roster_admin.set_active(s, args.kind, args.key, active,
                                                       app.deps.clock.now())
        except roster_admin.NotFound as exc:
            print(cli.ERROR.format(problem=exc), file=sys.stderr)
            return 2
    print(change.message())
    if args.kind == "person" and not active and change.changed:
        print(t.PERSON_ACCOUNTS_OFF)
    return 0


async def bulk_invite(args: argparse.Namespace, settings: Settings) -> int:
    if args.out is None:
        print(cli.ERROR.format(problem=t.NEED_OUT), file=sys.stderr)
        return 2
    from bot.adapters.telegram_identity import telegram_username  # SDK loaded only when needed

    username = settings.telegram.bot_username.lstrip("@") or await telegram_username(settings)
    async with opened_app(settings) as app:
        try:
            async with app.deps.sessions.begin() as s:
                rows = await invite_service.invite_unregistered(
                    s, now=app.deps.clock.now(), ttl=timedelta(days=settings.invite_ttl_days),
                    unit_codes=args.units.split(",") if args.units else None,
                    group_codes=args.groups.split(",") if args.groups else None)
                if rows:  # written before the codes are committed: no code is lost unwritten
                    invite_service.write_invites_xlsx(rows, args.out,
                                                      telegram_username=username or "",
                                                      tz=settings.tz)
        except invite_service.UnknownCodes as exc:
            print(cli.ERROR.format(problem=exc), file=sys.stderr)
            return 2
    if not rows:
        print(t.BULK_NOBODY)
        return 0
    expires = format_datetime(rows[0].expires_at.astimezone(settings.tz))
    print(t.BULK_DONE.format(count=len(rows), expires=expires, path=args.out))
    if not username:
        print(t.BULK_NO_LINK)
    return 0


async def hand_over(args: argparse.Namespace, settings: Settings) -> int:
    """`unit handover UNIT "Họ tên"`: invite the new head; the present heads keep access until
    the new one registers."""
    async with opened_app(settings) as app:
        try:
            async with app.deps.sessions.begin() as s:
                done = await invite_service.hand_over(
                    s, unit_code=args.key, name=args.name, now=app.deps.clock.now(),
                    ttl=timedelta(days=settings.invite_ttl_days))
        except invite_service.HandoverRefused as exc:
            print(cli.ERROR.format(problem=exc), file=sys.stderr)
            return 2
    print(invite_service.handover_text(done, settings.tz))
    from bot.adapters.telegram_identity import telegram_username  # SDK loaded only when needed

    username = settings.telegram.bot_username.lstrip("@") or await telegram_username(settings)
    if username:
        link = f"https://t.me/{username}?start={done.invite.code}"
        print(cli.INVITE_TELEGRAM_LINK.format(link=link))
    return 0
