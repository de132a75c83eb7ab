"""Two writers at the same moment: a re-delivered update is dropped silently, any other conflict
gets a clear answer and leaves nothing half-written."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from bot.app import App
from core import texts
from core.types import Role
from storage import events
from storage.models import Dialog, EntryVersion, InboundEvent
from tests.factories import Talk, make_person

NOW = datetime(2025, 11, 17, 2, 0, tzinfo=UTC)


async def integrity_error(app: App, make_row: Callable[[], object]) -> IntegrityError:
    """The real error the database raises when a second such row breaks a unique key."""
    async with app.deps.sessions.begin() as s:
        s.add(make_row())
    with pytest.raises(IntegrityError) as caught:
        async with app.deps.sessions.begin() as s:
            s.add(make_row())
    return caught.value


async def test_only_the_inbound_id_counts_as_a_duplicate_update(app: App) -> None:
    # setup: real unique violations from the database in use
    duplicate = await integrity_error(
        app, lambda: InboundEvent(platform="telegram", native_id="42", received_at=NOW))
    conflict = await integrity_error(
        app, lambda: Dialog(platform="telegram", chat_id="7", data={}, options=[],
                            updated_at=NOW))
    # execute and verify
    assert events.is_duplicate_update(duplicate)
    assert not events.is_duplicate_update(conflict)


@pytest.mark.postgres
async def test_a_conflicting_write_is_answered_and_keeps_nothing(app: App, db_url: str) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("one process on SQLite runs one transaction at a time: no conflict")
    # setup: one account whose first two messages are handled at once (two processes behind
    # a webhook could do that). A lock held by the test lets both read "no conversation yet"
    # and then holds both at the insert of their conversation row.
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    first, second = Talk(app, account), Talk(app, account)
    async with app.engine.connect() as blocker:
        await blocker.execute(text("LOCK TABLE dialogs IN SHARE MODE"))
        both = asyncio.gather(first.say("/trogiup"), second.say("/baocao NAM-2025"))
        async with app.engine.connect() as probe:
            for _ in range(200):
                waiting = await probe.scalar(text(
                    "SELECT count(*) FROM pg_locks WHERE NOT granted AND database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"))
                if waiting == 2:
                    break
                await asyncio.sleep(0.02)
        assert waiting == 2
        await blocker.commit()  # execute: both inserts go; the second finds the first's row
    answers = await asyncio.wait_for(both, 10)
    # verify: one was handled, the other told to send again; one conversation row
    texts_of = ["\n".join(r.text for r in replies) for replies in answers]
    assert sum(texts.WRITE_CONFLICT in t for t in texts_of) == 1
    assert sum(bool(t) and texts.WRITE_CONFLICT not in t for t in texts_of) == 1
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Dialog)) == 1


async def test_the_same_update_handled_twice_at_once_is_answered_once(app: App) -> None:
    # setup: a unit head in the middle of an entry, at the confirm step
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    for number, step in enumerate(("/baocao NAM-2025", "1", "1", "dang trien khai",
                                   "Đã tổ chức hội nghị", "bo qua", "bo qua", "bo qua")):
        await talk.say(step, native_id=f"setup-{number}")
    # execute: the save delivered twice and handled side by side (both read the update as new)
    first, second = await asyncio.gather(talk.say("luu", native_id="twin"),
                                         Talk(app, account).say("luu", native_id="twin"))
    # verify: one answer, one saved version, one de-dup record
    answered = [replies for replies in (first, second) if replies]
    assert len(answered) == 1 and "phiên bản 1" in answered[0][0].text
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(EntryVersion)) == 1
        assert await s.scalar(select(func.count()).select_from(InboundEvent)
                              .where(InboundEvent.native_id == "twin")) == 1
