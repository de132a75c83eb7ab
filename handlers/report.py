"""/baocao: a unit head reports one task at a time.

period → section → task → status → result → difficulties → proposals → evidence → confirm.
Every saved answer is a new version; nothing is overwritten."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from core import texts
from core.texts import flows as t
from core.texts import menus
from core.textutil import has_words, shorten
from core.types import Option, Reply, Role, Status
from handlers.common import (
    choose_again,
    period_command,
    period_info,
    period_step,
    unit_outline,
    unit_sheet,
)
from handlers.router import Ctx, Router
from handlers.state import Flow, Refusal, decode
from services import reports
from services.rounds import RoundRefused
from storage import entries, events
from storage.entries import EntryDraft, EntryView
from storage.plans import PeriodInfo, SectionInfo, TaskInfo

FLOW = Flow.REPORT


class ReportStep(StrEnum):
    PERIOD = "period"
    SECTION = "section"
    TASK = "task"
    STATUS = "status"
    RESULT = "result"
    DIFFICULTIES = "difficulties"
    PROPOSALS = "proposals"
    EVIDENCE = "evidence"
    CONFIRM = "confirm"


@dataclass(frozen=True, slots=True)
class Answers:
    """What the unit head has answered so far for one task (the dialog's "draft" key)."""

    status: Status | None = None
    result: str = ""
    difficulties: str = ""
    proposals: str = ""
    evidence: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class ReportDraft:
    period_id: int
    section_id: int | None = None
    task_id: int | None = None
    draft: Answers = field(default_factory=Answers)
    task_code: str = ""  # named on the confirm screen and when the answers are redone
    # "Sửa lại": the answers are asked again with "Giữ nội dung cũ" for each typed one.
    redo: bool = False
    # The task had a saved answer when it was opened (shown then as its current version): its
    # result is offered back ("Giữ nội dung cũ") without reading it again at the status step.
    # Answers are never deleted, so this stays true; one a colleague saves after the task was
    # opened is not offered, as the person was not shown it (the result is read when chosen).
    had_answer: bool = False

    @property
    def task(self) -> int:
        if self.task_id is None:
            raise Refusal(texts.DIALOG_LOST)
        return self.task_id


REPORTERS = {Role.UNIT_HEAD, Role.ADMIN}
SKIP = Option("skip", menus.SKIP)
KEEP = Option("keep", menus.KEEP_OLD)
BACK = Option("back", menus.BACK_TO_TASKS)
STATUS_OPTIONS = (*(Option(f"s:{s.value}", texts.STATUS_LABELS[s]) for s in Status), BACK)
SECTION_LABEL_CHARS = 44  # a section's title in its menu line; the whole title is one step on
TASK_TEXT_CHARS = 900
RESULT_CHARS = 600
CONFIRM_OPTIONS = (Option("save", menus.SAVE), Option("redo", menus.REDO),
                   Option("cancel", menus.CANCEL))


def _answers(ctx: Ctx, **changes: Any) -> ReportDraft:
    """The draft with some answers changed."""
    draft = ctx.draft(ReportDraft)
    return replace(draft, draft=replace(draft.draft, **changes))


async def _open(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    return await _sections(ctx, period.id)


_pick_period = period_command(FLOW, t.REPORT_ASK_PERIOD, _open, open_only=True)


async def start_report(ctx: Ctx) -> list[Reply]:
    """/baocao: bắt đầu báo cáo kết quả thực hiện nhiệm vụ."""
    return await _pick_period(ctx)


on_period = period_step(_open, open_only=True)


async def _outline(ctx: Ctx) -> list[SectionInfo]:
    """The sections and tasks the caller's unit reports on: its assigned tasks only."""
    return await unit_outline(ctx, ctx.draft(ReportDraft).period_id, ctx.unit_id())


async def _sections(ctx: Ctx, period_id: int) -> list[Reply]:
    ctx.move(FLOW, ReportStep.SECTION, ReportDraft(period_id))
    period = await period_info(ctx, period_id)
    if period is None:
        raise Refusal(texts.DIALOG_LOST)
    sheet = await unit_sheet(ctx, period_id, ctx.unit_id())
    done, outline = sheet.entries, sheet.sections
    if not outline:
        ctx.finish()
        return [Reply(t.REPORT_NO_TASKS.format(period=period.title))]
    total = sum(len(x.tasks) for x in outline)
    # Short labels: five whole section titles were ~600 characters, a phone's whole screen;
    # the chosen section's full title heads its task list.
    options = tuple(
        Option(f"sec:{x.id}", menus.SECTION.format(
            code=x.code, title=shorten(x.title, SECTION_LABEL_CHARS),
            done=sum(1 for k in x.tasks if k.id in done), total=len(x.tasks)))
        for x in outline
    )
    reported = sum(1 for x in outline for k in x.tasks if k.id in done)
    text = t.REPORT_SECTIONS.format(period=period.title, done=reported, total=total)
    return [Reply(f"{text}\n{texts.MENU_HINT}", options)]


async def on_section(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None:
        # A task's code typed at the section menu ("1.2") opens that task at once.
        code = ctx.text.strip().rstrip(".")
        for listed in await _outline(ctx):
            task = next((k for k in listed.tasks if k.code == code), None)
            if task is not None:
                draft = replace(ctx.draft(ReportDraft), section_id=listed.id)
                return await _open_task(ctx, draft, task)
    if ctx.choice is None or not ctx.choice.id.startswith("sec:"):
        return choose_again(ctx)
    section_id = int(ctx.choice.id[4:])
    section = next((x for x in await _outline(ctx) if x.id == section_id), None)
    if section is None:
        return choose_again(ctx)
    return await _tasks(ctx, section)


async def _tasks(ctx: Ctx, section: SectionInfo) -> list[Reply]:
    draft = replace(ctx.draft(ReportDraft), section_id=section.id)
    ctx.move(FLOW, ReportStep.TASK, draft)
    done = (await unit_sheet(ctx, draft.period_id, ctx.unit_id())).entries
    options = tuple(
        Option(f"t:{task.id}", f"{_mark(done.get(task.id))} {task.code} {task.short_title}")
        for task in section.tasks
    )
    back = Option("back", menus.BACK_TO_SECTIONS)
    text = t.REPORT_TASKS.format(code=section.code, title=section.title)
    return [Reply(f"{text}\n{t.MARKS_LEGEND}\n{texts.MENU_HINT}", (*options, back))]


def _mark(entry: EntryView | None) -> str:
    return texts.MISSING_MARK if entry is None else texts.STATUS_MARKS[Status(entry.status)]


async def on_task(ctx: Ctx) -> list[Reply]:
    draft = ctx.draft(ReportDraft)
    if ctx.choice is not None and ctx.choice.id == "back":
        return await _sections(ctx, draft.period_id)
    if ctx.choice is None or not ctx.choice.id.startswith("t:"):
        return choose_again(ctx)
    task = await _task(ctx, draft, int(ctx.choice.id[2:]))
    if task is None:
        return choose_again(ctx)
    return await _open_task(ctx, draft, task)


async def _open_task(ctx: Ctx, draft: ReportDraft, task: TaskInfo) -> list[Reply]:
    # The task came from this update's unit_sheet: its current answer came with it.
    current = (await unit_sheet(ctx, draft.period_id, ctx.unit_id())).entries.get(task.id)
    ctx.move(FLOW, ReportStep.STATUS, replace(draft, task_id=task.id, task_code=task.code,
                                              draft=Answers(), redo=False,
                                              had_answer=current is not None))
    text = t.REPORT_TASK_DETAIL.format(code=task.code,
                                       text=shorten(task.full_text, TASK_TEXT_CHARS))
    if current is not None:
        text += "\n\n" + t.REPORT_CURRENT.format(version=current.version,
                                                  summary=describe(current.status, current.result))
    return [Reply(f"{text}\n\n{t.REPORT_ASK_STATUS}", STATUS_OPTIONS)]


async def _task(ctx: Ctx, draft: ReportDraft, task_id: int) -> TaskInfo | None:
    for section in await _outline(ctx):
        if section.id == draft.section_id:
            return next((k for k in section.tasks if k.id == task_id), None)
    return None


async def on_status(ctx: Ctx) -> list[Reply]:
    draft = ctx.draft(ReportDraft)
    if ctx.choice is not None and ctx.choice.id == "back":
        section = await _section(ctx, draft)
        return await _tasks(ctx, section) if section else await _sections(ctx, draft.period_id)
    kept_status = draft.draft.status if draft.redo else None
    if ctx.choice is not None and ctx.choice.id == "keep" and kept_status is not None:
        status = kept_status
    elif ctx.choice is None or not ctx.choice.id.startswith("s:"):
        return choose_again(ctx)
    else:
        status = Status(ctx.choice.id[2:])
    if status is Status.NOT_APPLICABLE:
        return _confirm(ctx, replace(draft, draft=Answers(status)))
    # Redone answers stay in the draft, offered back one by one.
    draft = replace(draft, draft=replace(draft.draft, status=status))
    ctx.move(FLOW, ReportStep.RESULT, draft)
    kept = draft.draft.result if draft.redo else ""
    if kept:
        return [Reply(_with_kept(t.REPORT_ASK_RESULT, kept), (KEEP,))]
    options = (KEEP,) if draft.had_answer else ()
    return [Reply(t.REPORT_ASK_RESULT, options)]


def _with_kept(prompt: str, kept: str) -> str:
    return f"{t.REPORT_KEPT.format(text=shorten(kept, RESULT_CHARS))}\n{prompt}"


async def _section(ctx: Ctx, draft: ReportDraft) -> SectionInfo | None:
    return next((x for x in await _outline(ctx) if x.id == draft.section_id), None)


async def _previous(ctx: Ctx) -> EntryView | None:
    draft = ctx.draft(ReportDraft)
    return await entries.entry_for(ctx.s, draft.period_id, ctx.unit_id(), draft.task)


async def on_result(ctx: Ctx) -> list[Reply]:
    draft = ctx.draft(ReportDraft)
    if ctx.choice is not None and ctx.choice.id == "keep":
        previous = None if draft.redo and draft.draft.result else await _previous(ctx)
        text = previous.result if previous else draft.draft.result
    else:
        text = ctx.text
    if not has_words(text):
        return [Reply(t.REPORT_RESULT_REQUIRED, tuple(ctx.dialog.options))]
    draft = _answers(ctx, result=text)
    ctx.move(FLOW, ReportStep.DIFFICULTIES, draft)
    return _ask_optional(draft, draft.draft.difficulties, t.REPORT_ASK_DIFFICULTIES)


def _ask_optional(draft: ReportDraft, kept: str, prompt: str) -> list[Reply]:
    """An optional step; when redoing, what was typed before is shown and offered back."""
    if draft.redo and kept:
        return [Reply(_with_kept(prompt, kept), (KEEP, SKIP))]
    return [Reply(prompt, (SKIP,))]


async def on_difficulties(ctx: Ctx) -> list[Reply]:
    draft = _optional_text(ctx, "difficulties", ReportStep.PROPOSALS)
    if draft is None:
        return [Reply(t.REPORT_TEXT_OR_SKIP, tuple(ctx.dialog.options))]
    return _ask_optional(draft, draft.draft.proposals, t.REPORT_ASK_PROPOSALS)


async def on_proposals(ctx: Ctx) -> list[Reply]:
    draft = _optional_text(ctx, "proposals", ReportStep.EVIDENCE)
    if draft is None:
        return [Reply(t.REPORT_TEXT_OR_SKIP, tuple(ctx.dialog.options))]
    if draft.redo and draft.draft.evidence:
        kept = t.REPORT_EVIDENCE_KEPT.format(count=len(draft.draft.evidence))
        return [Reply(f"{kept}\n{t.REPORT_ASK_EVIDENCE}", (KEEP, SKIP))]
    return [Reply(t.REPORT_ASK_EVIDENCE, (SKIP,))]


def _optional_text(ctx: Ctx, key: str, next_step: ReportStep) -> ReportDraft | None:
    """The draft after an optional text step (typed, kept or skipped: skipping clears what
    a redo offered back), or None when the answer is neither text nor an option."""
    choice = ctx.choice.id if ctx.choice else ""
    if choice == "keep":
        draft = ctx.draft(ReportDraft)
    elif choice == "skip":
        draft = _answers(ctx, **{key: ""})
    elif has_words(ctx.text):
        draft = _answers(ctx, **{key: ctx.text})
    else:
        return None
    ctx.move(FLOW, next_step, draft)
    return draft


async def on_evidence(ctx: Ctx) -> list[Reply]:
    evidence = ctx.draft(ReportDraft).draft.evidence
    if ctx.msg.attachments:
        files = tuple(
            {"path": str(a.local_path), "name": a.file_name or Path(str(a.local_path)).name,
             "kind": a.kind, "size": a.size}
            for a in ctx.msg.attachments if a.local_path is not None
        )
        draft = _answers(ctx, evidence=evidence + files)
        return _confirm(ctx, draft, note=t.REPORT_EVIDENCE_RECEIVED.format(count=len(files)))
    choice = ctx.choice.id if ctx.choice else ""
    if choice == "keep":
        return _confirm(ctx, ctx.draft(ReportDraft))
    if choice == "skip":
        return _confirm(ctx, _answers(ctx, evidence=()))
    if has_words(ctx.text) and not ctx.text.strip().rstrip(".)").isdigit():
        # A document number or a link is evidence too ("Quyết định số 12/QĐ-UBND", a URL).
        draft = _answers(ctx, evidence=(*evidence, {"kind": "text", "text": ctx.text}))
        return _confirm(ctx, draft, note=t.REPORT_EVIDENCE_TEXT_RECEIVED)
    return [Reply(t.REPORT_EVIDENCE_WAITING, tuple(ctx.dialog.options))]


def _confirm(ctx: Ctx, draft: ReportDraft, note: str = "") -> list[Reply]:
    ctx.move(FLOW, ReportStep.CONFIRM, draft)
    answers = draft.draft
    if answers.status is None:
        raise Refusal(texts.DIALOG_LOST)
    lines = [note] if note else []
    lines.append(t.REPORT_CONFIRM_HEADER.format(code=draft.task_code))
    lines.append(describe(answers.status, answers.result))
    if answers.difficulties:
        lines.append(t.REPORT_DIFFICULTIES_LINE.format(text=answers.difficulties))
    if answers.proposals:
        lines.append(t.REPORT_PROPOSALS_LINE.format(text=answers.proposals))
    files = [e for e in answers.evidence if e.get("kind") != "text"]
    notes = [str(e.get("text", "")) for e in answers.evidence if e.get("kind") == "text"]
    if files:
        lines.append(t.REPORT_EVIDENCE_LINE.format(count=len(files)))
    for text in notes:
        lines.append(t.REPORT_EVIDENCE_TEXT_LINE.format(text=shorten(text, RESULT_CHARS)))
    return [Reply("\n".join(lines), CONFIRM_OPTIONS)]


def describe(status: str, result: str) -> str:
    text = t.REPORT_STATUS_LINE.format(status=texts.STATUS_LABELS[Status(status)])
    if not result:
        return text
    return f"{text}\n{t.REPORT_RESULT_LINE.format(result=shorten(result, RESULT_CHARS))}"


async def on_confirm(ctx: Ctx) -> list[Reply]:
    choice = ctx.choice.id if ctx.choice else ""
    if choice == "cancel":
        draft = ctx.draft(ReportDraft)
        ctx.finish()
        period = await period_info(ctx, draft.period_id)
        code = period.code if period else ""
        after = (Option(f"cmd:baocao:{code}", menus.REPORT_TASK),
                 Option(f"cmd:tiendo:{code}", menus.VIEW_PROGRESS))
        return [Reply(t.REPORT_CANCELLED.format(code=draft.task_code), after)]
    if choice == "redo":
        draft = replace(ctx.draft(ReportDraft), redo=True)
        ctx.move(FLOW, ReportStep.STATUS, draft)
        status = draft.draft.status
        if status is None:
            raise Refusal(texts.DIALOG_LOST)
        text = t.REPORT_REDO.format(code=draft.task_code, status=texts.STATUS_LABELS[status])
        return [Reply(f"{text}\n{t.REPORT_ASK_STATUS}", (KEEP, *STATUS_OPTIONS))]
    if choice != "save":
        return choose_again(ctx)
    return await _save(ctx)


async def _save(ctx: Ctx) -> list[Reply]:
    draft, unit_id, person_id = ctx.draft(ReportDraft), ctx.unit_id(), ctx.person_id()
    answers, period_id = draft.draft, draft.period_id
    period = await period_info(ctx, period_id)
    if answers.status is None or period is None:
        raise Refusal(texts.DIALOG_LOST)
    try:
        saved = await reports.save_entry(
            ctx.s, period, unit_id=unit_id, task_id=draft.task,
            draft=EntryDraft(answers.status.value, answers.result, answers.difficulties,
                             answers.proposals, answers.evidence),
            author_id=person_id, now=ctx.now)
    except RoundRefused as refused:
        ctx.finish()
        return [Reply(str(refused))]
    await events.audit(ctx.s, ctx.now, person_id, "entry_saved", period=period_id,
                       unit=unit_id, task=draft.task, version=saved.version)
    standing = await entries.unit_standing(ctx.s, period_id, unit_id)
    text = t.REPORT_SAVED.format(code=draft.task_code, version=saved.version, done=standing.done,
                                 total=standing.total)
    if standing.submitted:
        text += "\n" + t.REPORT_RESUBMIT_HINT
    ctx.finish()
    # Plain command options: the flow is over, the menu stays remembered for "1"/"2"/"3".
    after = (Option(f"cmd:baocao:{period.code}", menus.REPORT_ANOTHER),
             Option(f"cmd:nop:{period.code}", menus.SUBMIT_REPORT),
             Option(f"cmd:tiendo:{period.code}", menus.VIEW_PROGRESS))
    return [Reply(text, after)]


def unsaved(data: dict[str, Any]) -> str:
    """What the person typed for the task and has not saved ("" when only menus were picked)."""
    draft = decode(ReportDraft, data)
    answers = draft.draft
    typed = [name for name, value in ((t.UNSAVED_RESULT, answers.result),
                                      (t.UNSAVED_DIFFICULTIES, answers.difficulties),
                                      (t.UNSAVED_PROPOSALS, answers.proposals),
                                      (t.UNSAVED_EVIDENCE, answers.evidence)) if value]
    if not typed:
        return ""
    return t.UNSAVED_REPORT.format(parts=", ".join(typed), code=draft.task_code)


def setup(router: Router) -> None:
    router.command("baocao", start_report, roles=REPORTERS, needs_unit=True, starts_flow=True,
                   aliases=("bc", "bao_cao", "report"))
    router.flow(FLOW, {
        ReportStep.PERIOD: on_period, ReportStep.SECTION: on_section, ReportStep.TASK: on_task,
        ReportStep.STATUS: on_status, ReportStep.RESULT: on_result,
        ReportStep.DIFFICULTIES: on_difficulties, ReportStep.PROPOSALS: on_proposals,
        ReportStep.EVIDENCE: on_evidence, ReportStep.CONFIRM: on_confirm,
    }, needs_unit=True, files=(ReportStep.EVIDENCE,))
    router.keeps_typed(FLOW, unsaved)
