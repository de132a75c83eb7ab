"""Heartbeats of the running bot (channels, sweep), read by /healthz and /metrics.

Wall-clock UTC on purpose, not the injected Clock: they measure the process, not the plan."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from core.types import Platform


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class ChannelState:
    """What the supervisor knows of one channel; `reason` is empty while it is up."""

    mode: str = "polling"
    up: bool = True
    reason: str = ""
    started_at: datetime = field(default_factory=utcnow)
    last_poll: datetime | None = None  # last successful getUpdates or webhook delivery
    last_send: datetime | None = None  # last message the platform accepted
    restarts: int = 0

    def polled(self) -> None:
        self.last_poll = utcnow()

    def sent(self) -> None:
        self.last_send = utcnow()


# Upper bounds (seconds) of the handler latency histogram's buckets.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Latency:
    counts: list[int] = field(default_factory=lambda: [0] * len(LATENCY_BUCKETS))
    total: int = 0
    sum_s: float = 0.0

    def observe(self, seconds: float) -> None:
        for i, bound in enumerate(LATENCY_BUCKETS):
            if seconds <= bound:
                self.counts[i] += 1
        self.total += 1
        self.sum_s += seconds


@dataclass
class OpsState:
    channels: dict[Platform, ChannelState] = field(default_factory=dict)
    last_sweep: datetime | None = None
    sweep_expected: bool = False  # the scheduler runs in this process
    started_at: datetime = field(default_factory=utcnow)
    updates: Counter[str] = field(default_factory=Counter)  # handled, per platform
    sends: Counter[tuple[str, str]] = field(default_factory=Counter)  # (platform, outcome)
    latency: dict[str, Latency] = field(default_factory=dict)  # per platform
    # Answers to people, by how they ended: sent, or given up as retry (transient errors
    # outlasted the retries) or gone (blocked, refused).
    replies: Counter[tuple[str, str]] = field(default_factory=Counter)

    def sent(self, platform: Platform, outcome: str) -> None:
        self.sends[(platform.value, outcome)] += 1
        if outcome == "sent":
            self.channel(platform).sent()

    def replied(self, platform: Platform, outcome: str) -> None:
        self.replies[(platform.value, outcome)] += 1

    def handled(self, platform: Platform, seconds: float) -> None:
        self.updates[platform.value] += 1
        self.latency.setdefault(platform.value, Latency()).observe(seconds)

    def channel(self, platform: Platform, mode: str = "polling") -> ChannelState:
        state = self.channels.get(platform)
        if state is None:
            state = self.channels[platform] = ChannelState(mode=mode)
        return state

    def swept(self) -> None:
        self.last_sweep = utcnow()
