"""`ward add|list|rename|deactivate|reactivate` and the `--ward CODE` option every command that
acts on one ward takes (issue 19). The work is done by services.wards."""

from __future__ import annotations

import argparse
import sys

from bot.app import opened_app
from core.settings import Settings
from core.texts import cli
from core.texts import wards as t
from services import wards as ward_service

# Commands that act on no single ward (or on the whole deployment): no --ward.
NO_WARD = {"ward", "run", "db", "backup", "restore", "city"}


def _refused(problem: ward_service.WardProblem) -> int:
    print(cli.ERROR.format(problem=problem), file=sys.stderr)
    return 2


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("ward", help=t.WARD_HELP)
    actions = p.add_subparsers(dest="action", metavar=cli.ACTION_METAVAR, required=True)
    add = actions.add_parser("add", help=t.WARD_ADD_HELP)
    add.add_argument("code", help=t.WARD_CODE_HELP)
    add.add_argument("name", help=t.WARD_NAME_HELP)
    add.add_argument("--kind", default="phuong", help=t.WARD_KIND_HELP)
    add.set_defaults(func=add_ward)
    actions.add_parser("list", help=t.WARD_LIST_HELP).set_defaults(func=list_wards)
    rename = actions.add_parser("rename", help=t.WARD_RENAME_HELP)
    rename.add_argument("code", help=t.WARD_CODE_HELP)
    rename.add_argument("name", help=t.WARD_NAME_HELP)
    rename.add_argument("--kind", help=t.WARD_KIND_HELP)
    rename.add_argument("--doc-name", help=t.WARD_DOC_NAME_HELP)
    rename.add_argument("--signer", help=t.WARD_SIGNER_HELP)
    rename.add_argument("--recipients", help=t.WARD_RECIPIENTS_HELP)
    rename.set_defaults(func=rename_ward)
    for action, help_text in (("deactivate", t.WARD_DEACTIVATE_HELP),
                              ("reactivate", t.WARD_REACTIVATE_HELP)):
        p = actions.add_parser(action, help=help_text)
        p.add_argument("code", help=t.WARD_CODE_HELP)
        p.set_defaults(func=set_active, active=action == "reactivate")


def add_ward_options(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`--ward CODE` on every command that acts on one ward, nested actions included."""
    for name, parser in sub.choices.items():
        if name not in NO_WARD:
            _add_to_leaves(parser)


def _add_to_leaves(parser: argparse.ArgumentParser) -> None:
    nested = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not nested:
        if not any("--ward" in a.option_strings for a in parser._actions):
            parser.add_argument("--ward", metavar=t.WARD_METAVAR, help=t.WARD_OPTION_HELP)
        return
    for action in nested:
        for child in action.choices.values():
            _add_to_leaves(child)


async def add_ward(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings, needs_ward=False) as app:
        try:
            async with app.deps.sessions.begin() as s:
                ward = await ward_service.add(s, args.code, args.name, args.kind,
                                              app.deps.clock.now())
        except ward_service.WardProblem as problem:
            return _refused(problem)
    print(t.WARD_ADDED.format(kind=ward.kind, name=ward.name, code=ward.code))
    return 0


async def list_wards(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings, needs_ward=False) as app, app.deps.sessions() as s:
        every = await ward_service.every_ward(s, settings)
    print(t.WARD_LIST_HEADER)
    for w in every:
        print(t.WARD_LINE.format(code=w.code, kind=w.kind, name=w.name,
                                 state="" if w.active else t.WARD_INACTIVE_MARK))
    return 0


async def rename_ward(args: argparse.Namespace, settings: Settings) -> int:
    recipients = (tuple(x.strip() for x in args.recipients.split(";") if x.strip())
                  if args.recipients is not None else None)
    async with opened_app(settings, needs_ward=False) as app:
        try:
            async with app.deps.sessions.begin() as s:
                await ward_service.update(s, args.code, name=args.name, kind=args.kind,
                                          doc_name=args.doc_name, signer_name=args.signer,
                                          recipients=recipients)
                ward = await ward_service.view(s, await ward_service.find(s, args.code), settings)
        except ward_service.WardProblem as problem:
            return _refused(problem)
    print(t.WARD_RENAMED.format(code=ward.code, kind=ward.kind, name=ward.name))
    return 0


async def set_active(args: argparse.Namespace, settings: Settings) -> int:
    async with opened_app(settings, needs_ward=False) as app:
        try:
            async with app.deps.sessions.begin() as s:
                await ward_service.set_active(s, args.code, args.active)
        except ward_service.WardProblem as problem:
            return _refused(problem)
    done = t.WARD_REACTIVATED if args.active else t.WARD_DEACTIVATED
    print(done.format(code=args.code.upper()))
    return 0
