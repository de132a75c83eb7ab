"""A per-address counter for sign-in attempts, in this process's memory (a restart forgets it,
and several processes count separately): enough to stop guessing links in bulk."""

from __future__ import annotations

from collections import deque


class AttemptLimiter:
    def __init__(self, limit: int = 20, window_seconds: float = 600) -> None:
        self.limit, self.window = limit, window_seconds
        self._seen: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float) -> bool:
        """Counts this attempt; False once `limit` attempts fell in the last window."""
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        if len(self._seen) > 10_000:  # forget idle addresses rather than grow without end
            for stale in [k for k, v in self._seen.items() if not v]:
                del self._seen[stale]
        return True
