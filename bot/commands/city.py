"""`city rollup [ROUND]` and `invite --role city` (issue 19): the city level from the terminal,
through the same use cases as chat (services.city, services.invites)."""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from pathlib import Path

from bot.app import opened_app
from core.settings import Settings
from core.texts import city as t
from core.texts import cli
from core.texts import wards as wt
from core.textutil import format_datetime
from core.types import Role
from services import city
from services import invites as invite_service
from services.exports import CityIssuer, render_city


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("city", help=t.CITY_HELP)
    actions = p.add_subparsers(dest="action", metavar=cli.ACTION_METAVAR, required=True)
    rollup = actions.add_parser("rollup", help=t.CITY_ROLLUP_HELP)
    rollup.add_argument("round", nargs="?", default="", help=t.CITY_ROUND_HELP)
    rollup.add_argument("--xlsx", type=Path, help=t.CITY_XLSX_HELP)
    rollup.add_argument("--docx", type=Path, help=t.CITY_DOCX_HELP)
    rollup.set_defaults(func=show_rollup)


async def show_rollup(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings, needs_ward=False) as app, app.deps.sessions() as s:
        try:
            view = await city.rollup(s, settings, today=app.deps.clock.today(),
                                     round_arg=args.round)
        except city.CityProblem as problem:
            print(cli.ERROR.format(problem=problem), file=sys.stderr)
            return 2
    print(city.format_rollup(view))
    issuer = CityIssuer.of(settings, app.deps.clock.today())
    for fmt, path, written in (("xlsx", args.xlsx, t.XLSX_WRITTEN),
                               ("docx", args.docx, t.DOCX_WRITTEN)):
        if path is not None:
            render_city(view, fmt, issuer, path)
            print(written.format(path=path))
    return 0


async def invite_city(args: argparse.Namespace, settings: Settings) -> int:
    """A city user's invite: no ward, no unit, no tổ dân phố."""
    if settings.ward_code or args.unit or args.group:
        print(cli.ERROR.format(problem=wt.CITY_INVITE_NO_WARD), file=sys.stderr)
        return 2
    async with opened_app(settings, needs_ward=False) as app, app.deps.sessions.begin() as s:
        new = await invite_service.invite_one(
            s, role=Role.CITY.value, now=app.deps.clock.now(),
            ttl=timedelta(days=settings.invite_ttl_days), person_id=args.person, name=args.name)
    expires = format_datetime(new.expires_at.astimezone(settings.tz))
    print(cli.INVITE_CREATED.format(code=new.code, expires=expires))
    return 0
