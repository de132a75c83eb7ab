"""Terminal channel: every flow in a terminal, menus as numbered lists (Zalo's rendering).

Reads stdin line by line, so a whole conversation can be piped in; exits at end of input."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TextIO

from core.render import render_plain
from core.types import ChatRef, IncomingMessage, Platform, Reply
from handlers.engine import Engine

PROMPT = "> "


def shell_message(account: str, text: str) -> IncomingMessage:
    return IncomingMessage(chat=ChatRef(Platform.SHELL, account), sender_id=account, text=text,
                           received_at=datetime.now(UTC), display_name="Người dùng shell")


async def run_shell(engine: Engine, account: str, lines: Iterable[str], out: TextIO,
                    interactive: bool) -> None:
    """Feed each input line to the engine and print the replies."""
    for line in lines:
        text = line.rstrip("\n")
        if not interactive:
            out.write(f"{PROMPT}{text}\n")
        if not text.strip():
            continue

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
