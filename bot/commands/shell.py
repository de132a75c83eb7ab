"""`shell`: try every flow in a terminal; `--as` a person id, a name or an invite code."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.adapters.shell import run_shell, stdin_lines
from bot.app import opened_app
from core import texts
from core.settings import Settings
from core.texts import cli as t
from core.textutil import fold
from core.types import ChatRef, Platform, Role
from storage import roster
from storage.invites import looks_like_code
from storage.models import Person


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("shell", help=t.SHELL_HELP)
    p.add_argument("--as", dest="who", default="",
                   help=t.SHELL_AS_HELP)
    # The terminal is for conversations: only warnings and errors from the logs.
    p.set_defaults(func=run, log_level="WARNING")


class _SameName(Exception):
    """Several active people answer to the name given to --as."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(len(ids))
        self.ids = ids


async def run(args: argparse.Namespace, settings: Settings) -> int:
    # The person talking decides the ward (the engine scopes each message by them).
    async with opened_app(settings, needs_ward=False) as app:
        try:
            account, first = await _account(app.deps.sessions, args.who, app.deps.clock.now())
        except _SameName as same:
            print(await _ambiguous(app.deps.sessions, args.who, same.ids), file=sys.stderr)
            return 2
        if account is None:
            print(t.SHELL_UNKNOWN_PERSON.format(who=args.who), file=sys.stderr)
            return 2
        interactive = sys.stdin.isatty()
        if interactive:
            print(t.SHELL_BANNER)
            if not args.who:
                print(t.SHELL_GUEST_HINT)
            # Ctrl-C at the prompt ends the shell at once. asyncio's own handler only cancels
            # the task, which waits for the blocking read of the line to return (after Enter).
            signal.signal(signal.SIGINT, signal.default_int_handler)
        lines = [first] if first else []
        try:
            await run_shell(app.core, account, [*lines, *stdin_lines()] if not interactive
                            else _chain(lines), sys.stdout, interactive)
        except KeyboardInterrupt:
            print()
        return 0


async def _ambiguous(sessions: async_sessionmaker[AsyncSession], who: str,
                     ids: list[int]) -> str:
    """Every person of that name, by id, role and place, so that --as can name one."""
    async with sessions() as s:
        rows = [r for r in await roster.list_people(s) if r.id in ids]
    lines = [t.SHELL_AMBIGUOUS_PERSON.format(count=len(rows), who=who, first=rows[0].id)]
    for row in rows:
        place = row.unit or row.group
        role = texts.ROLE_LABELS[Role(row.role)] if row.role in set(Role) else row.role
        lines.append(t.SHELL_AMBIGUOUS_LINE.format(id=row.id, name=row.name, role=role,
                                                   where=f"; {place}" if place else ""))
    return "\n".join(lines)


def _chain(first: list[str]) -> Iterator[str]:
    yield from first
    yield from stdin_lines()


async def _account(sessions: async_sessionmaker[AsyncSession], who: str,
                   now: datetime) -> tuple[str | None, str]:
    """(shell account id, first line to send). A code registers a new shell account."""
    if not who:
        return "guest", ""
    async with sessions.begin() as s:
        if looks_like_code(who):
            # Registered by this code before: the same account, no second /dangky (which would
            # also stop a conversation left half-way).
            account = f"code-{who.upper()}"
            caller = await roster.caller_for(s, Platform.SHELL, account)
            return account, "" if caller else f"/dangky {who}"
        people = list(await s.scalars(select(Person).where(Person.active)))
        by_id = [p for p in people if str(p.id) == who]
        match = by_id or [p for p in people if fold(p.name) == fold(who)]
        if len(match) > 1:
            raise _SameName(sorted(p.id for p in match))
        if not match:
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
