"""Terminal channel: every flow in a terminal, menus as numbered lists (Zalo's rendering).

Reads stdin line by line, so a whole conversation can be piped in; exits at end of input."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from core import texts
from core.render import render_plain
from core.types import ChatRef, IncomingMessage, Platform, Reply
from handlers.engine import Engine
from storage import deliveries

PROMPT = "> "


def shell_message(account: str, text: str) -> IncomingMessage:
    return IncomingMessage(chat=ChatRef(Platform.SHELL, account), sender_id=account, text=text,
                           received_at=datetime.now(UTC), display_name="Người dùng shell")


async def show_inbox(engine: Engine, account: str, out: TextIO) -> None:
    """What the bot sent this person on its own (announcements, reminders) since they last
    typed: nothing pushes to a terminal, so it waits in the outbox until now."""
    deps = engine.deps
    async with deps.sessions.begin() as s:
        pending = await deliveries.take_inbox(s, ChatRef(Platform.SHELL, account),
                                              deps.clock.now())
    for reply in pending:
        out.write(f"{texts.SHELL_INBOX}\n{render_reply(reply)}\n")


async def run_shell(engine: Engine, account: str, lines: Iterable[str], out: TextIO,
                    interactive: bool) -> None:
    """Feed each input line to the engine and print the replies."""
    await show_inbox(engine, account, out)
    for line in lines:
        text = line.rstrip("\n")
        if not interactive:
            out.write(f"{PROMPT}{text}\n")
        if not text.strip():
            if interactive:
                out.write(PROMPT)
                out.flush()
            continue
        await show_inbox(engine, account, out)

        async def show(reply: Reply) -> None:  # a progress message, before the replies
            out.write(render_reply(reply) + "\n")
            out.flush()

        for reply in await engine.handle(shell_message(account, text), show):
            out.write(render_reply(reply) + "\n")
        if interactive:
            out.write(PROMPT)
        out.flush()


def render_reply(reply: Reply) -> str:
    text = render_plain(reply)
    if reply.file is not None:
        text += f"\n[Tệp: {reply.file.path}]"
    return text


def stdin_lines() -> Iterable[str]:
    if sys.stdin.isatty():
        sys.stdout.write(PROMPT)
        sys.stdout.flush()
    yield from sys.stdin
