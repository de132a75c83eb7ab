"""/tonghop at city scale: the chat digest condenses long lists (the exports keep everything),
and the number of SQL statements does not grow with the number of units."""

from __future__ import annotations

from sqlalchemy import event, insert, select

from bot.app import App
from core.types import Role
from storage import plans
from storage.models import Entry, EntryVersion, Submission, Unit
from tests.factories import Talk, make_person


async def add_units(app: App, count: int, *, difficulty: str) -> None:
    """`count` more units, each reporting (and submitting) task 1.1 of NAM-2025 with the same
    difficulty."""
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        outline = await plans.plan_outline(s, period.plan_id)
        task = outline[0].tasks[0]
        start = len(list(await s.scalars(select(Unit.id))))
        await s.execute(insert(Unit), [dict(code=f"X{start + i:04d}", name=f"Đơn vị {start + i}",
                                            active=True) for i in range(count)])
        ids = list(await s.scalars(select(Unit.id).where(Unit.code.like("X%"))
                                   .order_by(Unit.id)))
        await s.execute(insert(Entry), [
            dict(period_id=period.id, unit_id=unit_id, task_id=task.id, version=1, status="done",
                 result="Đã làm", difficulties=difficulty, proposals="", evidence=[],
                 author_id=None, updated_at=now, submitted_version=1)
            for unit_id in ids[-count:]])
        entry_ids = list(await s.scalars(select(Entry.id).where(Entry.unit_id.in_(ids[-count:]))))
        await s.execute(insert(EntryVersion), [
            dict(entry_id=entry_id, period_id=period.id, version=1, status="done",
                 result="Đã làm",
                 difficulties=difficulty, proposals="", evidence=[], author_id=None,
                 created_at=now) for entry_id in entry_ids])
        await s.execute(insert(Submission), [
            dict(period_id=period.id, unit_id=unit_id, person_id=None, submitted_at=now,
                 late=False) for unit_id in ids[-count:]])


async def summary_statements(app: App, talk: Talk) -> int:
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(app.engine.sync_engine, "before_cursor_execute", count)
    try:
        await talk.say("/tonghop NAM-2025")
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", count)
    return len(seen)


async def test_digest_condenses_and_statements_stay_constant(app: App) -> None:
    # setup: an admin; the five seeded units, then 200 more with the same difficulty
    _, admin = await make_person(app, Role.ADMIN)
    talk = Talk(app, admin)
    await talk.say("/tonghop NAM-2025")  # the first call also creates the chat's dialog row
    small = await summary_statements(app, talk)
    await add_units(app, 200, difficulty="Thiếu kinh phí tổ chức hội nghị")
    # execute
    big = await summary_statements(app, talk)
    text = talk.text
    await talk.say("xem thêm")  # the digest's rest: counts per task, difficulties, proposals
    text += "\n" + talk.text
    # verify: same number of statements at 5 and at 205 units
    assert big == small
    # verify: names are capped, the 200 identical difficulties become one counted line
    assert "Đúng hạn (200):" in text and "… và 170 đơn vị khác" in text
    assert "- Thiếu kinh phí tổ chức hội nghị (200 đơn vị)" in text
    assert text.count("Thiếu kinh phí tổ chức hội nghị") == 1
    assert "/xuat" in text
    assert len(text) < 8000  # two Telegram messages at most, not dozens
