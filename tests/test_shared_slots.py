"""One sending budget per platform for every process (storage/send_slots.py): two pacers, as
two `run` processes on one PostgreSQL database would have, together keep to the platform's
rate; a 429 met by one holds the other too. On SQLite (one process) there is no shared budget."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from bot.app import App
from core.pacing import Pacer
from storage.send_slots import shared_slots

RATE = 20.0  # messages per second for the whole deployment
MESSAGES = 30  # per pacer


def busiest_second(moments: list[float]) -> int:
    """The most messages in any one-second window."""
    moments = sorted(moments)
    return max(sum(1 for m in moments[i:] if m < start + 1.0)
               for i, start in enumerate(moments))


async def send_all(pacer: Pacer, name: str, moments: list[float],
                   late: Callable[[int], float] = lambda n: 0.0) -> None:
    for n in range(MESSAGES):
        async with pacer.turn(f"{name}-{n}"):  # a different chat each: only the rate counts
            await asyncio.sleep(late(n))  # a busy process acting late on its slot
            moments.append(time.monotonic())  # the message reaches the platform


async def test_two_processes_share_one_budget(app: App) -> None:
    # setup: two pacers at the deployment's rate, as two processes would have them
    slots = shared_slots(app.engine, "telegram")
    if slots is None:
        assert app.engine.dialect.name == "sqlite"
        pytest.skip("one process on SQLite: its own pacer is the whole budget")
    first = Pacer(RATE, 1.0, shared=slots)
    second = Pacer(RATE, 1.0, shared=shared_slots(app.engine, "telegram"))
    moments: list[float] = []
    # execute: both send as fast as they are let
    started = time.monotonic()
    await asyncio.gather(send_all(first, "a", moments), send_all(second, "b", moments))
    took = time.monotonic() - started
    # verify: together at the rate (each alone at RATE would put ~2 × RATE in a second)
    assert len(moments) == 2 * MESSAGES
    assert busiest_second(moments) <= RATE
    assert took >= (2 * MESSAGES - 1) / RATE * 0.95


async def test_a_late_process_never_puts_one_message_too_many_in_a_second(app: App) -> None:
    """Slots alone let a message sent late share its second with the RATE messages booked
    after it, sent on time; the budget counts from when each message was answered."""
    # setup: the second process acts half a second late on every tenth of its slots
    slots = shared_slots(app.engine, "telegram")
    if slots is None:
        pytest.skip("one process on SQLite: its own pacer is the whole budget")
    on_time = Pacer(RATE, 1.0, shared=slots)
    busy = Pacer(RATE, 1.0, shared=shared_slots(app.engine, "telegram"))
    moments: list[float] = []
    # execute
    await asyncio.gather(send_all(on_time, "a", moments),
                         send_all(busy, "b", moments, lambda n: 0.5 if n % 10 == 0 else 0.0))
    # verify: everything went, and no second held more than the rate
    assert len(moments) == 2 * MESSAGES
    assert busiest_second(moments) <= RATE


async def test_a_429_met_by_one_process_holds_the_other(app: App) -> None:
    # setup
    slots = shared_slots(app.engine, "zalo")
    if slots is None:
        pytest.skip("one process on SQLite: its own pacer is the whole budget")
    other = Pacer(RATE, 1.0, shared=shared_slots(app.engine, "zalo"))
    # execute: the first process was told to wait 1.5 s; the other sends next
    await slots.hold(1.5)
    started = time.monotonic()
    await other.wait("chat")
    # verify
    assert time.monotonic() - started >= 1.4


async def test_sqlite_has_no_shared_budget(sqlite_url: str) -> None:
    from storage import db

    engine = db.make_engine(sqlite_url)
    try:
        assert shared_slots(engine, "telegram") is None
    finally:
        await engine.dispose()
