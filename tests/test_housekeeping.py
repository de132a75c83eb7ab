"""The sweep keeps the inbound de-duplication table small without forgetting recent ids."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from core.ports import FixedClock
from scheduler import jobs
from storage.models import InboundEvent
from tests.factories import Talk


async def test_sweep_forgets_old_update_ids_only(app: App, clock: FixedClock) -> None:
    # setup: one update four days ago, one an hour ago
    talk = Talk(app, "someone")
    await talk.say("xin chào", native_id="old")
    clock.advance(timedelta(days=4))
    await talk.say("xin chào", native_id="recent")
    clock.advance(timedelta(hours=1))
    # execute
    await jobs.sweep(app.deps)
    # verify: the recent id is still de-duplicated, the old one is gone
    async with app.deps.sessions() as s:
        kept = list(await s.scalars(select(InboundEvent.native_id)))
    assert kept == ["recent"]
    assert await talk.say("xin chào", native_id="recent") == []
