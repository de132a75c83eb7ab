"""The command-line interface: `python -m bot ...` / `danvan ...`.

Each module here adds its sub-commands with `register(subparsers)`; a sub-command's `func` is
`async def run(args, settings) -> int`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.commands import (
    assignments,
    backup,
    broadcast,
    data,
    export,
    plans,
    roster,
    rounds,
    run,
    schedule,
    shell,
    web,
)
from core.logs import setup_logging
from core.settings import SettingsError, load_settings
from core.texts import cli as t

MODULES = [shell, run, data, plans, roster, schedule, rounds, export, broadcast, backup,
           assignments, web]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=t.DESCRIPTION,
    )
    sub = parser.add_subparsers(dest="command", metavar=t.COMMAND_METAVAR)
    for module in MODULES:
        module.register(sub)
    return parser


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
    setup_logging(getattr(args, "log_level", None) or settings.log_level,
                  settings.secret_values())
    try:
        return int(asyncio.run(args.func(args, settings)) or 0)
    except KeyboardInterrupt:
        return 130
