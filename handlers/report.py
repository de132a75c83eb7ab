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
from core.textutil import has_words
from core.types import Option, Reply, Role, Status
from handlers.common import (
    choose_again,
    period_command,
    period_info,
    period_step,
    unit_outline,
)
from handlers.router import Ctx, Router
from handlers.state import Flow, Refusal
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

    @property
    def task(self) -> int:
        if self.task_id is None:
            raise Refusal(texts.DIALOG_LOST)
        return self.task_id


REPORTERS = {Role.UNIT_HEAD, Role.ADMIN}
SKIP = Option("skip", menus.SKIP)
KEEP = Option("keep", menus.KEEP_OLD)
STATUS_OPTIONS = tuple(Option(f"s:{s.value}", texts.STATUS_LABELS[s]) for s in Status)
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
    done = await entries.unit_entries(ctx.s, period_id, ctx.unit_id())
    outline = await _outline(ctx)
    if not outline:
        ctx.finish()
        return [Reply(t.REPORT_NO_TASKS.format(period=period.title))]
    total = sum(len(x.tasks) for x in outline)
    options = tuple(
        Option(f"sec:{x.id}", menus.SECTION.format(
            code=x.code, done=sum(1 for k in x.tasks if k.id in done), total=len(x.tasks)))
        for x in outline
    )
    reported = sum(1 for x in outline for k in x.tasks if k.id in done)
    text = t.REPORT_SECTIONS.format(period=period.title, done=reported, total=total)
    lines = [text, *(t.REPORT_SECTION_LINE.format(code=x.code, title=x.title) for x in outline),
             texts.MENU_HINT]
    return [Reply("\n".join(lines), options)]


async def on_section(ctx: Ctx) -> list[Reply]:
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
    done = await entries.unit_entries(ctx.s, draft.period_id, ctx.unit_id())
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
    current = await entries.entry_for(ctx.s, draft.period_id, ctx.unit_id(), task.id)
    ctx.move(FLOW, ReportStep.STATUS, replace(draft, task_id=task.id, draft=Answers()))
    text = t.REPORT_TASK_DETAIL.format(code=task.code, text=_clip(task.full_text, 900))
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
    if ctx.choice is None or not ctx.choice.id.startswith("s:"):
        return choose_again(ctx)
    status = Status(ctx.choice.id[2:])
    draft = replace(ctx.draft(ReportDraft), draft=Answers(status))
    if status is Status.NOT_APPLICABLE:
        return _confirm(ctx, draft)
    ctx.move(FLOW, ReportStep.RESULT, draft)
    options = (KEEP,) if await _previous(ctx) else ()
    return [Reply(t.REPORT_ASK_RESULT, options)]


async def _previous(ctx: Ctx) -> EntryView | None:
    draft = ctx.draft(ReportDraft)
    return await entries.entry_for(ctx.s, draft.period_id, ctx.unit_id(), draft.task)


async def on_result(ctx: Ctx) -> list[Reply]:
    if ctx.choice is not None and ctx.choice.id == "keep":
        previous = await _previous(ctx)
        text = previous.result if previous else ""
    else:
        text = ctx.text
    if not has_words(text):
        return [Reply(t.REPORT_RESULT_REQUIRED, tuple(ctx.dialog.options))]
    ctx.move(FLOW, ReportStep.DIFFICULTIES, _answers(ctx, result=text))
    return [Reply(t.REPORT_ASK_DIFFICULTIES, (SKIP,))]


async def on_difficulties(ctx: Ctx) -> list[Reply]:
    return _optional_text(ctx, "difficulties", ReportStep.PROPOSALS, t.REPORT_ASK_PROPOSALS)


async def on_proposals(ctx: Ctx) -> list[Reply]:
    return _optional_text(ctx, "proposals", ReportStep.EVIDENCE, t.REPORT_ASK_EVIDENCE)


def _optional_text(ctx: Ctx, key: str, next_step: ReportStep, prompt: str) -> list[Reply]:
    draft = ctx.draft(ReportDraft)
    if ctx.choice is None or ctx.choice.id != "skip":
        if not has_words(ctx.text):
            return [Reply(t.REPORT_TEXT_OR_SKIP, (SKIP,))]
        draft = _answers(ctx, **{key: ctx.text})
    ctx.move(FLOW, next_step, draft)
    return [Reply(prompt, (SKIP,))]


async def on_evidence(ctx: Ctx) -> list[Reply]:
    if ctx.msg.attachments:
        files = tuple(
            {"path": str(a.local_path), "name": a.file_name or Path(str(a.local_path)).name,
             "kind": a.kind, "size": a.size}
            for a in ctx.msg.attachments if a.local_path is not None
        )
        draft = _answers(ctx, evidence=ctx.draft(ReportDraft).draft.evidence + files)
        return _confirm(ctx, draft, note=t.REPORT_EVIDENCE_RECEIVED.format(count=len(files)))
    if ctx.choice is not None and ctx.choice.id == "skip":
        return _confirm(ctx, ctx.draft(ReportDraft))
    return [Reply(t.REPORT_EVIDENCE_WAITING, (SKIP,))]


def _confirm(ctx: Ctx, draft: ReportDraft, note: str = "") -> list[Reply]:
    ctx.move(FLOW, ReportStep.CONFIRM, draft)
    answers = draft.draft
    if answers.status is None:
        raise Refusal(texts.DIALOG_LOST)
    lines = [note] if note else []
    lines.append(t.REPORT_CONFIRM_HEADER)
    lines.append(describe(answers.status, answers.result))
    if answers.difficulties:
        lines.append(t.REPORT_DIFFICULTIES_LINE.format(text=answers.difficulties))
    if answers.proposals:
        lines.append(t.REPORT_PROPOSALS_LINE.format(text=answers.proposals))
    if answers.evidence:
        lines.append(t.REPORT_EVIDENCE_LINE.format(count=len(answers.evidence)))
    return [Reply("\n".join(lines), CONFIRM_OPTIONS)]


def describe(status: str, result: str) -> str:
    text = t.REPORT_STATUS_LINE.format(status=texts.STATUS_LABELS[Status(status)])
    if not result:
        return text
    return f"{text}\n{t.REPORT_RESULT_LINE.format(result=_clip(result, 600))}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def on_confirm(ctx: Ctx) -> list[Reply]:
    choice = ctx.choice.id if ctx.choice else ""
    if choice == "cancel":
        ctx.finish()
        return [Reply(texts.CANCELLED)]
    if choice == "redo":
        ctx.move(FLOW, ReportStep.STATUS, replace(ctx.draft(ReportDraft), draft=Answers()))
        return [Reply(t.REPORT_ASK_STATUS, STATUS_OPTIONS)]
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
    text = t.REPORT_SAVED.format(version=saved.version, done=standing.done,
                                 total=standing.total)
    if standing.submitted:
        text += "\n" + t.REPORT_RESUBMIT_HINT
    ctx.finish()
    # Plain command options: the flow is over, the menu stays remembered for "1"/"2"/"3".
    after = (Option(f"cmd:baocao:{period.code}", menus.REPORT_ANOTHER),
             Option(f"cmd:nop:{period.code}", menus.SUBMIT_REPORT),
             Option(f"cmd:tiendo:{period.code}", menus.VIEW_PROGRESS))
    return [Reply(text, after)]


def setup(router: Router) -> None:
    router.command("baocao", start_report, roles=REPORTERS, needs_unit=True, starts_flow=True,
                   aliases=("bc", "bao_cao", "report"))
    router.flow(FLOW, {
        ReportStep.PERIOD: on_period, ReportStep.SECTION: on_section, ReportStep.TASK: on_task,
        ReportStep.STATUS: on_status, ReportStep.RESULT: on_result,
        ReportStep.DIFFICULTIES: on_difficulties, ReportStep.PROPOSALS: on_proposals,
        ReportStep.EVIDENCE: on_evidence, ReportStep.CONFIRM: on_confirm,
    }, needs_unit=True, files=(ReportStep.EVIDENCE,))
