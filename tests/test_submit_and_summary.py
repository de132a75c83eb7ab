"""/nop (refused while tasks are missing, late after the deadline, re-submission) and /tonghop."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.app import App
from core.ports import FixedClock
from core.types import Role, Status
from storage import entries, plans
from storage.entries import EntryDraft
from storage.models import Submission, Task, Unit
from tests.conftest import TZ
from tests.factories import Talk, make_person


async def fill(app: App, unit_code: str, person_id: int, *,
               skip: frozenset[str] | set[str] = frozenset(), difficulty: str = "") -> None:
    """Answer every task of the annual 2025 round for a unit (except `skip`)."""
    async with app.deps.sessions.begin() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        unit = await s.scalar(select(Unit).where(Unit.code == unit_code))
        assert unit is not None
        for task in await s.scalars(select(Task).order_by(Task.position)):
            if task.code in skip:
                continue
            status = Status.NOT_APPLICABLE if task.code == "2.6" else Status.DONE
            draft = EntryDraft(status.value, "" if status is Status.NOT_APPLICABLE
                               else f"{unit.name} đã thực hiện {task.code}",
                               difficulty if task.code == "2.1" else "",
                               "Đề nghị bổ sung kinh phí" if task.code == "2.1" else "")
            await entries.save_entry(s, period_id=period.id, unit_id=unit.id, task_id=task.id,
                                     draft=draft, author_id=person_id, now=app.deps.clock.now())


async def test_submit_refused_while_tasks_are_missing(app: App) -> None:
    person, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    await fill(app, "VP", person, skip={"3.4", "5.1"})
    talk = Talk(app, account)
    await talk.say("/nop NAM-2025")
    assert "còn 2/23 nhiệm vụ" in talk.text and "3.4" in talk.text and "5.1" in talk.text
    async with app.deps.sessions() as s:
        assert list(await s.scalars(select(Submission))) == []


async def test_submit_on_time_then_late_resubmission_is_recorded(app: App,
                                                                 clock: FixedClock) -> None:
    person, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    await fill(app, "VP", person)
    talk = Talk(app, account)
    await talk.say("/nop NAM-2025")
    assert "Hạn nộp: thứ Sáu, 28/11/2025" in talk.text
    await talk.say("nop")
    assert "(đúng hạn)" in talk.text
    # an edit after the deadline, then a re-submission: recorded, punctuality kept
    clock.set(datetime(2025, 12, 2, 9, 0, tzinfo=TZ))
    await fill(app, "VP", person)
    await talk.say("/tiendo NAM-2025")
    assert "sửa sau lần nộp" in talk.text
    await talk.say("/nop NAM-2025")
    assert "nộp muộn" in talk.text  # the warning before confirming
    await talk.say("1")
    assert "lần nộp thứ 2" in talk.text
    async with app.deps.sessions() as s:
        rows = list(await s.scalars(select(Submission).order_by(Submission.id)))
    assert [r.late for r in rows] == [False, True]


async def test_late_first_submission_is_marked_late(app: App, clock: FixedClock) -> None:
    person, account = await make_person(app, Role.UNIT_HEAD, unit="TTSNC")
    await fill(app, "TTSNC", person)
    clock.set(datetime(2025, 11, 29, 8, 0, tzinfo=TZ))  # Saturday after Fri 28/11 deadline
    talk = Talk(app, account)
    await talk.say("/nop NAM-2025")
    await talk.say("nộp")
    assert "(nộp muộn)" in talk.text


async def test_summary_digest(app: App, clock: FixedClock) -> None:
    # setup: VP on time, TTSNC late, the others missing
    vp, vp_account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    ttsnc, ttsnc_account = await make_person(app, Role.UNIT_HEAD, unit="TTSNC")
    await fill(app, "VP", vp, difficulty="Người dân chưa đồng thuận giá bồi thường")
    await fill(app, "TTSNC", ttsnc)
    for answer in ("/nop NAM-2025", "1"):
        await Talk(app, vp_account).say(answer)
    clock.set(datetime(2025, 12, 1, 9, 0, tzinfo=TZ))
    for answer in ("/nop NAM-2025", "1"):
        await Talk(app, ttsnc_account).say(answer)
    _, admin = await make_person(app, Role.ADMIN, unit="VHXH")
    # execute
    talk = Talk(app, admin)
    await talk.say("/tonghop")
    await talk.say("Báo cáo năm 2025")
    # verify: the first screen says who submitted and what next; the rest is one step on
    first = talk.text
    assert "Đúng hạn (1): Văn phòng HĐND và UBND" in first
    assert "Nộp muộn (1): Trung tâm Sự nghiệp công" in first
    assert "Chưa nộp (3):" in first and "Phòng Văn hóa - Xã hội" in first
    assert "2.6:" not in first and "xem thêm" in first and "/xuat" in first
    assert talk.options[1].label == "Xem thêm"
    await talk.say("2")
    text = talk.text
    assert "2.6: HT 0 · ĐTK 0 · CTK 0 · KPS 2 · chưa BC 3" in text
    assert "1.1: HT 2 · ĐTK 0 · CTK 0 · KPS 0 · chưa BC 3" in text
    assert "- Văn phòng HĐND và UBND: Người dân chưa đồng thuận giá bồi thường" in text
    assert text.count("Đề nghị bổ sung kinh phí") == 2
