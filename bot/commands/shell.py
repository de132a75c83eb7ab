"""`shell`: try every flow in a terminal; `--as` a person id, a name or an invite code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.adapters.shell import run_shell, stdin_lines
from bot.app import opened_app
from core.settings import Settings
from core.texts import cli as t
from core.textutil import fold
from core.types import ChatRef, Platform
from storage import roster
from storage.invites import looks_like_code
from storage.models import Person


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("shell", help=t.SHELL_HELP)
    p.add_argument("--as", dest="who", default="",
                   help=t.SHELL_AS_HELP)
    # The terminal is for conversations: only warnings and errors from the logs.
    p.set_defaults(func=run, log_level="WARNING")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    # The person talking decides the ward (the engine scopes each message by them).
    async with opened_app(settings, needs_ward=False) as app:
        account, first = await _account(app.deps.sessions, args.who, app.deps.clock.now())
        if account is None:
            print(t.SHELL_UNKNOWN_PERSON.format(who=args.who), file=sys.stderr)
            return 2
        interactive = sys.stdin.isatty()
        if interactive:
            print(t.SHELL_BANNER)
            if not args.who:
                print(t.SHELL_GUEST_HINT)
        lines = [first] if first else []
        await run_shell(app.core, account, [*lines, *stdin_lines()] if not interactive
                        else _chain(lines), sys.stdout, interactive)
        return 0


def _chain(first: list[str]) -> Iterator[str]:
    yield from first
    yield from stdin_lines()


async def _account(sessions: async_sessionmaker[AsyncSession], who: str,
                   now: datetime) -> tuple[str | None, str]:
    """(shell account id, first line to send). A code registers a new shell account."""
    if not who:
        return "guest", ""
    if looks_like_code(who):
        return f"code-{who.upper()}", f"/dangky {who}"
    async with sessions.begin() as s:
        people = list(await s.scalars(select(Person).where(Person.active)))
        match = [p for p in people if str(p.id) == who or fold(p.name) == fold(who)]
        if len(match) != 1:
            return None, ""
        person = match[0]
        # The terminal account they registered with, if any: its menus and the messages the
        # bot queued for it (announcements, reminders) are theirs.
        known = [c.chat_id for c in (await roster.chats_of(s, [person.id])).get(person.id, [])
                 if c.platform is Platform.SHELL]
        account = known[0] if known else f"person-{person.id}"
        if await roster.caller_for(s, Platform.SHELL, account) is None:
            await roster.bind_account(s, person.id, ChatRef(Platform.SHELL, account), account,
                                      person.name, now)
        return account, ""
