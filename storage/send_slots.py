"""One sending budget per platform for every process on the PostgreSQL database (issue 19,
bench 7). Each process paced at its share (30 / processes) drifted against the other: now and
then one second held 31 messages and drew a 429. Here a message books the platform's next slot
in one statement, the database's clock spacing them; a process only waits the seconds the
database answers, so the processes' clocks need not agree.

Slots alone were not enough: a process that acts late on its slot (a busy loop on a loaded
machine) sends message k late while message k+30 goes on time, and the 31 land in one second.
So the row also keeps a ring of the last `count` messages' times, each the booked slot until
its sender reports when the platform's answer came back (`sent`): the message booked next is
never earlier than `span` seconds after the one `count` bookings before it. As a message
reaches the platform before its answer comes back, `count` + 1 messages can then never arrive
within `span`, however late any of them went (tests/test_shared_slots.py) -- as long as each
answer is reported before the message `count` bookings later is booked, about `span` later:
a process stalled that long between its send and its report is not covered."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_CREATE = text("INSERT INTO send_slots (platform, next_at, seq) "
               "VALUES (:platform, clock_timestamp(), 0) ON CONFLICT (platform) DO NOTHING")
# Times are seconds since the epoch on the database's clock. Message n's entry in the ring is
# n % count + 1; before n is booked it still holds message n - count.
_CLAIM = text("""
WITH cur AS (
    SELECT seq + 1 AS seq, CAST((seq + 1) % :count + 1 AS integer) AS i, sent_at,
           CAST(EXTRACT(EPOCH FROM next_at) AS float8) AS next_at,
           CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS float8) AS now
    FROM send_slots WHERE platform = :platform FOR UPDATE),
slot AS (
    SELECT seq, i, GREATEST(next_at, now, sent_at[i] + :span) AS at FROM cur)
UPDATE send_slots SET seq = slot.seq, sent_at[slot.i] = slot.at,
    next_at = to_timestamp(slot.at + :gap)
FROM slot WHERE platform = :platform
RETURNING slot.seq, slot.at - CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS float8)""")
# `ago` is measured when the process asks; the statement runs later, so `now - ago` is never
# earlier than the real moment (the safe side).
_SENT = text("""
UPDATE send_slots SET sent_at[CAST(CAST(:seq AS bigint) % :count + 1 AS integer)] = GREATEST(
    sent_at[CAST(CAST(:seq AS bigint) % :count + 1 AS integer)],
    CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS float8) - CAST(:ago AS float8))
WHERE platform = :platform AND seq - CAST(:seq AS bigint) < :count""")
_HOLD = text(
    "INSERT INTO send_slots (platform, next_at, seq) "
    "VALUES (:platform, clock_timestamp() + make_interval(secs => :seconds), 0) "
    "ON CONFLICT (platform) DO UPDATE SET next_at = "
    "GREATEST(send_slots.next_at, clock_timestamp() + make_interval(secs => :seconds))")


class DatabaseSlots:
    """`core.ports.SharedSlots` in the send_slots table (PostgreSQL only: SQLite serves one
    process, whose own pacer is the whole budget)."""

    def __init__(self, engine: AsyncEngine, platform: str) -> None:
        # Each statement is atomic on its own: autocommit spares a BEGIN and a COMMIT round
        # trip per message, and the row lock is held for the statement only.
        self.engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self.platform = platform

    async def claim(self, gap: float, count: int, span: float) -> tuple[int, float]:
        params = {"platform": self.platform, "gap": gap, "count": count, "span": span}
        async with self.engine.connect() as conn:
            row = (await conn.execute(_CLAIM, params)).one_or_none()
            if row is None:  # the platform's first message ever
                await conn.execute(_CREATE, {"platform": self.platform})
                row = (await conn.execute(_CLAIM, params)).one()
        return int(row[0]), max(float(row[1]), 0.0)

    async def sent(self, seq: int, ago: float, count: int) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(_SENT, {"platform": self.platform, "seq": seq, "ago": ago,
                                       "count": count})

    async def hold(self, seconds: float) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(_HOLD, {"platform": self.platform, "seconds": seconds})


def shared_slots(engine: AsyncEngine, platform: str) -> DatabaseSlots | None:
    """The deployment's shared budget for the platform, where several processes can share
    the database (PostgreSQL); None on SQLite."""
    return DatabaseSlots(engine, platform) if engine.dialect.name == "postgresql" else None
