"""/baocao: a unit head reports one task at a time.

period → section → task → status → result → difficulties → proposals → evidence → confirm.
Every saved answer is a new version; nothing is overwritten."""

from __future__ import annotations

from pathlib import Path

from core import texts
from core.texts import flows as t
from core.textutil import has_words
from core.types import Option, Reply, Role, Status
from handlers.common import (
    choose_again,
    period_command,
    period_info,
    period_outline,
    period_step,
)
from handlers.router import Ctx, Router
from services import reports
from services.rounds import RoundRefused
from storage import entries, events
from storage.entries import EntryDraft, EntryView
from storage.plans import PeriodInfo, SectionInfo, TaskInfo

FLOW = "report"
REPORTERS = {Role.UNIT_HEAD, Role.ADMIN}
SKIP = Option("skip", "Bỏ qua")
KEEP = Option("keep", "Giữ nội dung cũ")
STATUS_OPTIONS = tuple(Option(f"s:{s.value}", texts.STATUS_LABELS[s]) for s in Status)
CONFIRM_OPTIONS = (Option("save", "Lưu"), Option("redo", "Sửa lại"), Option("cancel", "Hủy"))


async def _open(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    return await _sections(ctx, period.id)


start_report = period_command(FLOW, t.REPORT_ASK_PERIOD, _open, open_only=True,
                              doc="/baocao: bắt đầu báo cáo kết quả thực hiện nhiệm vụ.")
on_period = period_step(_open, open_only=True)


async def _outline(ctx: Ctx) -> list[SectionInfo]:
    return await period_outline(ctx, ctx.dialog.data["period_id"])


async def _sections(ctx: Ctx, period_id: int) -> list[Reply]:
    ctx.goto(FLOW, "section", period_id=period_id)
    period = await period_info(ctx, period_id)
    assert period is not None and ctx.caller is not None and ctx.caller.unit_id is not None
    done = await entries.unit_entries(ctx.s, period_id, ctx.caller.unit_id)
    outline = await _outline(ctx)
    total = sum(len(x.tasks) for x in outline)
    options = tuple(
        Option(f"sec:{x.id}",
               f"Mục {x.code} ({sum(1 for k in x.tasks if k.id in done)}/{len(x.tasks)})")
        for x in outline
    )
    text = t.REPORT_SECTIONS.format(period=period.title, done=len(done), total=total)
    lines = [text, *(f"Mục {x.code}. {x.title}" for x in outline), texts.MENU_HINT]
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
    assert ctx.caller is not None and ctx.caller.unit_id is not None
    ctx.goto(FLOW, "task", section_id=section.id)
    done = await entries.unit_entries(ctx.s, ctx.dialog.data["period_id"], ctx.caller.unit_id)
    options = tuple(
        Option(f"t:{task.id}", f"{_mark(done.get(task.id))} {task.code} {task.short_title}")
        for task in section.tasks
    )
    back = Option("back", "Quay lại danh sách mục")
    text = t.REPORT_TASKS.format(code=section.code, title=section.title)
    return [Reply(f"{text}\n{t.MARKS_LEGEND}\n{texts.MENU_HINT}", (*options, back))]


def _mark(entry: EntryView | None) -> str:
    return texts.MISSING_MARK if entry is None else texts.STATUS_MARKS[Status(entry.status)]


async def on_task(ctx: Ctx) -> list[Reply]:
    if ctx.choice is not None and ctx.choice.id == "back":
        return await _sections(ctx, ctx.dialog.data["period_id"])
    if ctx.choice is None or not ctx.choice.id.startswith("t:"):
        return choose_again(ctx)
    task = await _task(ctx, int(ctx.choice.id[2:]))
    if task is None:
        return choose_again(ctx)
    assert ctx.caller is not None and ctx.caller.unit_id is not None
    current = await entries.entry_for(ctx.s, ctx.dialog.data["period_id"], ctx.caller.unit_id,
                                      task.id)
    ctx.goto(FLOW, "status", task_id=task.id, draft={})
    text = t.REPORT_TASK_DETAIL.format(code=task.code, text=_clip(task.full_text, 900))
    if current is not None:
        text += "\n\n" + t.REPORT_CURRENT.format(version=current.version,
                                                  summary=describe(current.status, current.result))
    return [Reply(f"{text}\n\n{t.REPORT_ASK_STATUS}", STATUS_OPTIONS)]


async def _task(ctx: Ctx, task_id: int) -> TaskInfo | None:
    section_id = ctx.dialog.data.get("section_id")
    for section in await _outline(ctx):
        if section.id == section_id:
            return next((k for k in section.tasks if k.id == task_id), None)
    return None


async def on_status(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("s:"):
        return choose_again(ctx)
    status = Status(ctx.choice.id[2:])
    ctx.dialog.data["draft"] = {"status": status.value}
    if status is Status.NOT_APPLICABLE:
        return _confirm(ctx)
    ctx.goto(FLOW, "result")
    options = (KEEP,) if await _previous(ctx) else ()
    return [Reply(t.REPORT_ASK_RESULT, options)]


async def _previous(ctx: Ctx) -> EntryView | None:
    assert ctx.caller is not None and ctx.caller.unit_id is not None
    data = ctx.dialog.data
    return await entries.entry_for(ctx.s, data["period_id"], ctx.caller.unit_id, data["task_id"])


async def on_result(ctx: Ctx) -> list[Reply]:
    if ctx.choice is not None and ctx.choice.id == "keep":
        previous = await _previous(ctx)
        text = previous.result if previous else ""
    else:
        text = ctx.text
    if not has_words(text):
        return [Reply(t.REPORT_RESULT_REQUIRED, tuple(ctx.dialog.options))]
    ctx.dialog.data["draft"]["result"] = text
    ctx.goto(FLOW, "difficulties")
    return [Reply(t.REPORT_ASK_DIFFICULTIES, (SKIP,))]


async def on_difficulties(ctx: Ctx) -> list[Reply]:
    return _optional_text(ctx, "difficulties", "proposals", t.REPORT_ASK_PROPOSALS)


async def on_proposals(ctx: Ctx) -> list[Reply]:
    return _optional_text(ctx, "proposals", "evidence", t.REPORT_ASK_EVIDENCE)


def _optional_text(ctx: Ctx, key: str, next_step: str, prompt: str) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id != "skip":
        if not has_words(ctx.text):
            return [Reply(t.REPORT_TEXT_OR_SKIP, (SKIP,))]
        ctx.dialog.data["draft"][key] = ctx.text
    ctx.goto(FLOW, next_step)
    return [Reply(prompt, (SKIP,))]


async def on_evidence(ctx: Ctx) -> list[Reply]:
    if ctx.msg.attachments:
        files = [
            {"path": str(a.local_path), "name": a.file_name or Path(str(a.local_path)).name,
             "kind": a.kind, "size": a.size}
            for a in ctx.msg.attachments if a.local_path is not None
        ]
        ctx.dialog.data["draft"].setdefault("evidence", []).extend(files)
        return _confirm(ctx, note=t.REPORT_EVIDENCE_RECEIVED.format(count=len(files)))
    if ctx.choice is not None and ctx.choice.id == "skip":
        return _confirm(ctx)
    return [Reply(t.REPORT_EVIDENCE_WAITING, (SKIP,))]


def _confirm(ctx: Ctx, note: str = "") -> list[Reply]:
    ctx.goto(FLOW, "confirm")
    draft = ctx.dialog.data["draft"]
    lines = [note] if note else []
    lines.append(t.REPORT_CONFIRM_HEADER)
    lines.append(describe(draft["status"], draft.get("result", "")))
    if draft.get("difficulties"):
        lines.append(f"Khó khăn: {draft['difficulties']}")
    if draft.get("proposals"):
        lines.append(f"Đề xuất: {draft['proposals']}")
    if draft.get("evidence"):
        lines.append(f"Minh chứng: {len(draft['evidence'])} tệp")
    return [Reply("\n".join(lines), CONFIRM_OPTIONS)]


def describe(status: str, result: str) -> str:
    text = f"Tình trạng: {texts.STATUS_LABELS[Status(status)]}"
    return f"{text}\nKết quả: {_clip(result, 600)}" if result else text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def on_confirm(ctx: Ctx) -> list[Reply]:
    choice = ctx.choice.id if ctx.choice else ""
    if choice == "cancel":
        ctx.finish()
        return [Reply(texts.CANCELLED)]
    if choice == "redo":
        ctx.goto(FLOW, "status", draft={})
        return [Reply(t.REPORT_ASK_STATUS, STATUS_OPTIONS)]
    if choice != "save":
        return choose_again(ctx)
    return await _save(ctx)


async def _save(ctx: Ctx) -> list[Reply]:
    caller, data = ctx.caller, ctx.dialog.data
    assert caller is not None and caller.unit_id is not None
    draft = data["draft"]
    period = await period_info(ctx, data["period_id"])
    assert period is not None
    try:
        saved = await reports.save_entry(
            ctx.s, period, unit_id=caller.unit_id, task_id=data["task_id"],
            draft=EntryDraft(draft["status"], draft.get("result", ""),
                             draft.get("difficulties", ""), draft.get("proposals", ""),
                             tuple(draft.get("evidence", []))),
            author_id=caller.person_id, now=ctx.now)
    except RoundRefused as refused:
        ctx.finish()
        return [Reply(str(refused))]
    await events.audit(ctx.s, ctx.now, caller.person_id, "entry_saved", period=data["period_id"],
                       unit=caller.unit_id, task=data["task_id"], version=saved.version)
    standing = await entries.unit_standing(ctx.s, data["period_id"], caller.unit_id)
    text = t.REPORT_SAVED.format(version=saved.version, done=standing.done,
                                 total=standing.total)
    if standing.submitted:
        text += "\n" + t.REPORT_RESUBMIT_HINT
    ctx.finish()
    # Plain command options: the flow is over, the menu stays remembered for "1"/"2"/"3".
    after = (Option(f"cmd:baocao:{period.code}", "Báo cáo nhiệm vụ khác"),
             Option(f"cmd:nop:{period.code}", "Nộp báo cáo"),
             Option(f"cmd:tiendo:{period.code}", "Xem tiến độ"))
    return [Reply(text, after)]


def setup(router: Router) -> None:
    router.command("baocao", start_report, roles=REPORTERS, needs_unit=True, starts_flow=True,
                   aliases=("bc", "bao_cao", "report"))
    for step, handler in (("period", on_period), ("section", on_section), ("task", on_task),
                          ("status", on_status), ("result", on_result),
                          ("difficulties", on_difficulties), ("proposals", on_proposals),
                          ("confirm", on_confirm)):
        router.step(FLOW, step, handler)
    router.step(FLOW, "evidence", on_evidence, accepts_files=True)
