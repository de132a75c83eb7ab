"""Chat lanes: updates of different chats run side by side, each chat's in arrival order."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import pytest

from bot.lanes import ChatLanes


async def test_a_slow_chat_does_not_hold_up_others_and_keeps_its_order() -> None:
    # setup
    lanes = ChatLanes(limit=4)
    done: list[str] = []
    release_first = asyncio.Event()

    def step(name: str, gate: asyncio.Event | None = None) -> Callable[[], Awaitable[None]]:
        async def work() -> None:
            if gate is not None:
                await gate.wait()
            done.append(name)
        return work

    # execute: chat A's first update is stuck (a slow download, say); B's are not
    await lanes.submit("A", step("A1", release_first))
    await lanes.submit("A", step("A2"))
    await lanes.submit("B", step("B1"))
    await lanes.submit("B", step("B2"))
    for _ in range(5):
        await asyncio.sleep(0)
    # verify: B went ahead, A2 waits behind A1
    assert done == ["B1", "B2"]
    assert lanes.pending == 2
    release_first.set()
    await lanes.drain()
    assert done == ["B1", "B2", "A1", "A2"]
    assert lanes.pending == 0


async def test_at_most_limit_updates_run_at_once() -> None:
    # setup
    lanes = ChatLanes(limit=3)
    running = peak = 0

    async def work() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.01)
        running -= 1

    # execute
    for chat in range(12):
        await lanes.submit(str(chat), work)
    await lanes.drain()
    # verify
    assert peak == 3


async def test_drain_waits_for_updates_submitted_meanwhile() -> None:
    # setup
    lanes = ChatLanes()
    done: list[int] = []

    async def second() -> None:
        done.append(2)

    async def first() -> None:
        await asyncio.sleep(0.01)
        await lanes.submit("A", second)  # e.g. an update queued while stopping
        done.append(1)

    await lanes.submit("A", first)
    # execute
    await lanes.drain()
    # verify
    assert done == [1, 2]


async def test_a_failing_update_is_logged_and_the_chat_goes_on(
        caplog: pytest.LogCaptureFixture) -> None:
    # setup
    lanes = ChatLanes()
    done: list[str] = []

    async def broken() -> None:
        raise RuntimeError("boom")

    async def fine() -> None:
        done.append("next")

    # execute
    with caplog.at_level(logging.ERROR, logger="bot.lanes"):
        await lanes.submit("A", broken)
        await lanes.submit("A", fine)
        await lanes.drain()
    # verify
    assert done == ["next"]
    assert "update failed" in caplog.text and "boom" in caplog.text


async def test_a_full_backlog_makes_the_channel_wait() -> None:
    # setup: room for two updates in hand
    lanes = ChatLanes(limit=1, backlog=2)
    release = asyncio.Event()

    async def stuck() -> None:
        await release.wait()

    await lanes.submit("A", stuck)
    await lanes.submit("B", stuck)
    # execute: a third update has to wait for room
    third = asyncio.create_task(lanes.submit("C", stuck))
    await asyncio.sleep(0.02)
    # verify
    assert not third.done() and lanes.pending == 2
    release.set()
    await asyncio.wait_for(third, 1)
    await lanes.drain()
    assert lanes.pending == 0
