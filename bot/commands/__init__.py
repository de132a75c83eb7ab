"""The command-line interface: `python -m bot ...` / `danvan ...`.

Each module here adds its sub-commands with `register(subparsers)`; a sub-command's `func` is
`async def run(args, settings) -> int`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from bot.commands import (
    assignments,
    backup,
    broadcast,
    city,
    data,
    export,
    plans,
    roster,
    rounds,
    run,
    schedule,
    shell,
    wards,
    web,
)
from core.logs import setup_logging
from core.settings import SettingsError, load_settings
from core.texts import cli as t
from services.wards import WardProblem

MODULES = [shell, run, data, plans, roster, schedule, rounds, export, broadcast, backup,
           assignments, web, wards, city]


class VietnameseHelp(argparse.HelpFormatter):
    """argparse's own words ("usage:") in Vietnamese."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups,
                          prefix=t.USAGE_PREFIX if prefix is None else prefix)


class VietnameseParser(argparse.ArgumentParser):
    """A parser whose headings, help flag and errors speak Vietnamese, like the rest of the bot."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", VietnameseHelp)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = t.POSITIONALS_TITLE
        self._optionals.title = t.OPTIONALS_TITLE
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help=t.HELP_HELP)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        for english, vietnamese in t.ARGPARSE_PHRASES:
            message = message.replace(english, vietnamese)
        self.exit(2, t.ARGUMENT_ERROR.format(prog=self.prog, message=message) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = VietnameseParser(prog="python -m bot", description=t.DESCRIPTION)
    sub = parser.add_subparsers(dest="command", metavar=t.COMMAND_METAVAR,
                                parser_class=VietnameseParser)
    for module in MODULES:
        module.register(sub)
    wards.add_ward_options(sub)
    return parser


def _log_level(args: argparse.Namespace, configured: str) -> str:
    """`run` logs as configured; a one-off command prints its answer in Vietnamese and keeps
    the bot's English INFO lines out of it (LOG_LEVEL=DEBUG still shows everything)."""
    level = getattr(args, "log_level", None) or configured
    if args.command != "run" and level.upper() == "INFO":
        return "WARNING"
    return level


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    setup_logging(_log_level(args, settings.log_level), settings.secret_values())
    if getattr(args, "ward", None):
        settings = settings.model_copy(update={"ward_code": args.ward})
    try:
        return int(asyncio.run(args.func(args, settings)) or 0)
    except WardProblem as problem:  # which ward a command acts on is not clear
        print(t.ERROR.format(problem=problem), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
