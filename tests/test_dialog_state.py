"""Typed conversation state: drafts to and from the dialog's JSON, dialogs stored by older
versions, and steps that refuse cleanly when what they need is gone."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.app import App
from core import texts
from core.types import ChatRef, Platform, Role, Status
from handlers.report import Answers, ReportDraft, ReportStep
from handlers.state import decode, encode
from storage import dialogs
from storage.models import Person
from tests.factories import Talk, make_person


def test_a_draft_round_trips_through_json_data() -> None:
    # setup
    draft = ReportDraft(7, section_id=2, task_id=11,
                        draft=Answers(Status.DONE, "Đã tổ chức", evidence=({"path": "a"},)))
    # execute
    data = encode(draft)
    # verify
    assert data["draft"] == {"status": "done", "result": "Đã tổ chức", "difficulties": "",
                             "proposals": "", "evidence": [{"path": "a"}]}
    assert decode(ReportDraft, data) == draft


def test_unknown_keys_are_ignored_and_missing_ones_defaulted() -> None:
    # execute
    draft = decode(ReportDraft, {"period_id": 3, "legacy": "x", "draft": {"status": "done"}})
    # verify
    assert draft == ReportDraft(3, draft=Answers(Status.DONE))
    with pytest.raises(LookupError):
        decode(ReportDraft, {"section_id": 1})


def test_step_values_are_the_strings_stored_before() -> None:
    assert [s.value for s in ReportStep] == [
        "period", "section", "task", "status", "result", "difficulties", "proposals",
        "evidence", "confirm"]


async def _to_result_step(app: App) -> tuple[int, Talk]:
    person_id, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    for answer in ("/baocao NAM-2025", "1", "1", "hoàn thành"):
        await talk.say(answer)
    assert "Kết quả thực hiện" in talk.text
    return person_id, talk


async def test_a_dialog_stored_in_the_old_shape_goes_on(app: App) -> None:
    # setup: the dialog as an older version wrote it, plus a key this one does not know
    _, talk = await _to_result_step(app)
    chat = ChatRef(Platform.SHELL, talk.account)
    async with app.deps.sessions.begin() as s:
        state = await dialogs.load(s, chat)
        state.data = {**state.data, "old_key": [1, 2]}
        await dialogs.save(s, chat, state, app.deps.clock.now())
    # execute
    for answer in ("Đã quán triệt cho 45 cán bộ", "bỏ qua", "bỏ qua", "bỏ qua", "lưu"):
        await talk.say(answer)
    # verify
    assert "phiên bản 1" in talk.text


async def test_a_step_refuses_cleanly_when_the_unit_is_gone(app: App) -> None:
    # setup: the head is moved off the unit in the middle of a report
    person_id, talk = await _to_result_step(app)
    async with app.deps.sessions.begin() as s:
        await s.execute(update(Person).where(Person.id == person_id).values(unit_id=None))
    # execute
    await talk.say("Đã quán triệt cho 45 cán bộ")
    # verify: a clear reply, the flow over
    assert talk.text == texts.NO_UNIT
    await talk.say("bỏ qua")
    assert talk.text == texts.DONT_UNDERSTAND


async def test_a_lost_draft_ends_the_flow_with_a_clear_reply(app: App) -> None:
    # setup: the draft's period is gone from the stored dialog
    _, talk = await _to_result_step(app)
    chat = ChatRef(Platform.SHELL, talk.account)
    async with app.deps.sessions.begin() as s:
        state = await dialogs.load(s, chat)
        state.data = {"draft": {"status": "done"}}
        await dialogs.save(s, chat, state, app.deps.clock.now())
    # execute
    await talk.say("Đã quán triệt cho 45 cán bộ")
    # verify
    assert talk.text == texts.DIALOG_LOST
