"""One sending budget per platform for every process on the PostgreSQL database (issue 19,
bench 7). Each process paced at its share (30 / processes) drifted against the other: now and
then one second held 31 messages and drew a 429. Here a message books the platform's next slot
in one statement, the database's clock spacing them; a process only waits the seconds the
database answers, so the processes' clocks need not agree."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_CLAIM = text(
    "INSERT INTO send_slots (platform, next_at) "
    "VALUES (:platform, clock_timestamp() + make_interval(secs => :gap)) "
    "ON CONFLICT (platform) DO UPDATE SET next_at = "
    "GREATEST(send_slots.next_at, clock_timestamp()) + make_interval(secs => :gap) "
    "RETURNING EXTRACT(EPOCH FROM (send_slots.next_at - clock_timestamp())) - :gap")
_HOLD = text(
    "INSERT INTO send_slots (platform, next_at) "
    "VALUES (:platform, clock_timestamp() + make_interval(secs => :seconds)) "
    "ON CONFLICT (platform) DO UPDATE SET next_at = "
    "GREATEST(send_slots.next_at, clock_timestamp() + make_interval(secs => :seconds))")


class DatabaseSlots:
    """`core.ports.SharedSlots` in the send_slots table (PostgreSQL only: SQLite serves one
    process, whose own pacer is the whole budget)."""

    def __init__(self, engine: AsyncEngine, platform: str) -> None:
        self.engine, self.platform = engine, platform

    async def claim(self, gap: float) -> float:
        # Its own short transaction: the row lock is held for this statement only.
        async with self.engine.begin() as conn:
            wait = (await conn.execute(_CLAIM, {"platform": self.platform,
                                                "gap": gap})).scalar_one()
        return max(float(wait), 0.0)

    async def hold(self, seconds: float) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(_HOLD, {"platform": self.platform, "seconds": seconds})


def shared_slots(engine: AsyncEngine, platform: str) -> DatabaseSlots | None:
    """The deployment's shared budget for the platform, where several processes can share
    the database (PostgreSQL); None on SQLite."""
    return DatabaseSlots(engine, platform) if engine.dialect.name == "postgresql" else None
