"""Data commands: database upgrade, plan and roster import, listings, invites."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta

from bot.app import opened_app
from bot.commands import city as city_commands
from bot.commands import roster as roster_commands
from core import texts
from core.settings import Settings
from core.texts import cli as t
from core.texts import roster as roster_texts
from core.textutil import format_datetime
from core.types import Role
from services import invites as invite_service
from storage import assignments, catalog, db, plans, roster


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help=t.DB_HELP)
    p.add_argument("action", choices=["upgrade"])
    p.set_defaults(func=upgrade)

    sub.add_parser("units", help=t.UNITS_HELP).set_defaults(
        func=list_units)
    sub.add_parser("people", help=t.PEOPLE_HELP).set_defaults(func=list_people)
    sub.add_parser("periods", help=t.PERIODS_HELP).set_defaults(func=list_periods)

    p = sub.add_parser("invite", help=t.INVITE_HELP)
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--unit", help=t.INVITE_UNIT_HELP)
    p.add_argument("--group", help=t.INVITE_GROUP_HELP)
    p.add_argument("--name", default="", help=t.INVITE_NAME_HELP)
    p.add_argument("--person", type=int, help=t.INVITE_PERSON_HELP)
    roster_commands.add_bulk_invite_arguments(p)
    p.set_defaults(func=create_invite)


async def upgrade(args: argparse.Namespace, settings: Settings) -> int:
    await db.upgrade(settings.database_url)
    print(t.UPGRADED)
    return 0


async def import_plan(args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = catalog.load_plan(args.file)
    except catalog.CatalogError as exc:
        print(t.IMPORT_FAILED.format(error=exc), file=sys.stderr)
        return 1
    async with opened_app(settings) as app, app.deps.sessions.begin() as s:
        report = await plans.import_plan(s, data)
    done = t.PLAN_IMPORTED if report.created else t.PLAN_UPDATED
    print(done.format(number=data.plan.number, sections=report.sections, tasks=report.tasks,
                      periods=report.periods))
    return 0


async def list_units(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app, app.deps.sessions() as s:
        print(t.UNITS_HEADER)
        for u in await roster.list_units(s):
            print(f"  {u.code:<10} {u.name}")
        print(t.GROUPS_HEADER)
        for g in await roster.list_groups(s):
            print(f"  {g.code:<10} {g.name}")
    return 0


async def list_people(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app, app.deps.sessions() as s:
        rows = await roster.list_people(s)
    if not rows:
        print(t.NO_PEOPLE)
    for r in rows:
        where = r.unit or r.group or "-"
        role = texts.ROLE_LABELS.get(Role(r.role), r.role) if r.role in set(Role) else r.role
        linked = ", ".join(sorted(set(r.accounts))) or t.NOT_LINKED  # one word per messenger
        print(f"  {r.id:>4}  {r.name:<28} {role:<34} {where:<32} {linked}")
    return 0


async def list_periods(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings) as app, app.deps.sessions() as s:
        for p in await plans.all_periods(s):
            state = t.PERIOD_CLOSED if p.closed else t.PERIOD_OPEN
            print(t.PERIOD_LINE.format(id=p.id, code=p.code, title=p.title, due=p.due_before,
                                       state=state))
            if p.kind == "adhoc":
                tasks, units = await assignments.round_scope_codes(s, p.id)
                print(t.PERIOD_SCOPE.format(tasks=", ".join(tasks) or t.PERIOD_ALL,
                                            units=", ".join(units) or t.PERIOD_ALL))
    return 0


async def create_invite(args: argparse.Namespace, settings: Settings) -> int:
    if getattr(args, "all", False):
        return await roster_commands.bulk_invite(args, settings)
    if not args.role:
        print(t.ERROR.format(problem=roster_texts.NEED_ROLE), file=sys.stderr)
        return 2
    if args.role == Role.CITY:
        return await city_commands.invite_city(args, settings)
    if args.role == Role.UNIT_HEAD and not args.unit and not args.person:
        print(t.HEAD_NEEDS_UNIT, file=sys.stderr)
        return 2
    if args.role == Role.GROUP_LEADER and not args.group and not args.person:
        print(t.LEADER_NEEDS_GROUP, file=sys.stderr)
        return 2
    async with opened_app(settings) as app, app.deps.sessions.begin() as s:
        unit = await roster.unit_by_code(s, args.unit) if args.unit else None
        group = await roster.group_by_code(s, args.group) if args.group else None
        if (args.unit and unit is None) or (args.group and group is None):
            print(t.UNKNOWN_CODE.format(code=args.unit or args.group), file=sys.stderr)
            return 2
        new = await invite_service.invite_one(
            s, role=args.role, now=app.deps.clock.now(),
            ttl=timedelta(days=settings.invite_ttl_days),
            unit_id=unit.id if unit else None, group_id=group.id if group else None,
            person_id=args.person, name=args.name)
    if new.reused is not None:
        print(invite_service.reuse_note(new, unit.name if unit else group.name if group else ""))
    expires = format_datetime(new.expires_at.astimezone(settings.tz))
    print(t.INVITE_CREATED.format(code=new.code, expires=expires))
    from bot.adapters.telegram_identity import telegram_username  # SDK loaded only when needed

    username = settings.telegram.bot_username.lstrip("@") or await telegram_username(settings)
    if username:
        print(t.INVITE_TELEGRAM_LINK.format(link=f"https://t.me/{username}?start={new.code}"))
    return 0
