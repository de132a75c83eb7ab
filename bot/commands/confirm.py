"""The one way a command asks the person at the terminal to confirm (plans, roster, new year)."""

from __future__ import annotations

import asyncio

from core.texts import cli
from core.textutil import fold


async def confirmed(question: str) -> bool:
    """True when the answer to `question` is yes ("c", "có", "đồng ý", …); end of input is no."""
    try:
        answer = await asyncio.to_thread(input, question)
    except EOFError:
        return False
    return fold(answer) in cli.YES_WORDS
