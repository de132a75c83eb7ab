"""Plain-text rendering of replies (terminal and Zalo): menus become numbered lists."""

from __future__ import annotations

from core import texts
from core.types import Reply


def render_plain(reply: Reply) -> str:
    if not reply.options:
        return reply.text
    lines = [f"{i}. {option.label}" for i, option in enumerate(reply.options, 1)]
    text = reply.text
    if texts.MENU_HINT not in text:
        lines.append(f"({texts.MENU_HINT})")
    return f"{text}\n\n" + "\n".join(lines)
