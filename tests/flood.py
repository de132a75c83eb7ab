"""A messenger's flood control for the fake servers: at most N messages in any second overall,
and per chat ~1 message/s after a short burst (GCRA), as Telegram documents. Rejections and
the peak rates are recorded for tests to assert on."""

from __future__ import annotations

import time
from collections import deque


class FloodGate:
    def __init__(self, per_second: float, per_chat_per_second: float, chat_burst: int = 1,
                 slack_s: float = 0.05) -> None:
        self.per_second = per_second
        self.chat_gap = 1.0 / per_chat_per_second
        self.tolerance = (chat_burst - 1) * self.chat_gap + slack_s
        self.rejected = 0
        self.accepted = 0
        self._recent: deque[float] = deque()
        self._tat: dict[str, float] = {}

    def admit(self, chat: str) -> bool:
        """Count one message to `chat` arriving now; False (a 429) when over a limit."""
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        tat = self._tat.get(chat, now)
        if len(self._recent) >= self.per_second or now < tat - self.tolerance:
            self.rejected += 1
            return False
        self._recent.append(now)
        self._tat[chat] = max(tat, now) + self.chat_gap
        self.accepted += 1
        return True
