"""/nhapkehoach (admins): a plan from its official document sent to the bot (Telegram). The
same reading, preview and confirmation as `python -m bot plan import` (services.plan_import);
the file's declared size is checked before it is downloaded, and nothing is saved until the
admin confirms. A channel that cannot send documents (Zalo) points to the web desk or the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core.render import capabilities
from core.texts import plans as t
from core.types import Option, Reply, Role
from handlers import uploads
from handlers.common import choose_again
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import plan_import
from storage import events

FLOW = Flow.PLAN_IMPORT
CONFIRM = (Option("yes", t.CHAT_YES), Option("no", t.CHAT_NO))
LIMIT_MB = f"{plan_import.MAX_PLAN_BYTES / 1024 / 1024:g}"


@dataclass(frozen=True, slots=True)
class PlanDraft:
    path: str = ""  # the downloaded file, until the admin confirms or cancels
    file_name: str = ""


class Step(StrEnum):
    FILE = "file"
    CONFIRM = "confirm"


async def start_plan_import(ctx: Ctx) -> list[Reply]:
    """/nhapkehoach: nhập kế hoạch từ văn bản (.docx) gửi cho bot."""
    if not capabilities(ctx.msg.chat.platform).receives_documents:
        ctx.finish()
        return [Reply(t.CHAT_NO_DOCUMENTS)]
    settings = ctx.deps.settings
    uploads.prune(settings.evidence_dir, 2 * settings.dialog_timeout_minutes * 60)
    ctx.move(FLOW, Step.FILE, PlanDraft())
    return [Reply(t.CHAT_ASK_FILE.format(limit=LIMIT_MB))]


async def on_file(ctx: Ctx) -> list[Reply]:
    sent = next((a for a in ctx.msg.attachments if a.local_path is not None), None)
    if sent is None:
        return [Reply(t.CHAT_NEED_FILE)]
    assert sent.local_path is not None
    name = sent.file_name or sent.local_path.name
    path = uploads.keep(sent.local_path, name)
    ctx.finish()
    if path.suffix.lower() not in plan_import.DOCUMENT_SUFFIXES:
        uploads.forget(path)
        return [Reply(plan_import.refusal(name, plan_import.PlanReadError(t.CHAT_ONLY_DOCUMENTS)))]
    try:
        draft = await _read(ctx, path)
    except plan_import.PlanReadError as error:
        uploads.forget(path)
        return [Reply(plan_import.refusal(name, error))]
    ctx.move(FLOW, Step.CONFIRM, PlanDraft(str(path), name))
    return [Reply(plan_import.preview(draft)), Reply(t.CHAT_CONFIRM, CONFIRM)]


async def _read(ctx: Ctx, path: Path) -> plan_import.Draft:
    # Reading the seed plan's .docx takes about 12 ms: done in place, not in the file worker
    # (whose process start alone costs a second on the first use).
    return await plan_import.prepare_in(ctx.s, plan_import.read_document(path))


async def on_confirm(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id not in ("yes", "no"):
        return choose_again(ctx)
    draft = ctx.draft(PlanDraft)
    ctx.finish()
    path = Path(draft.path)
    answer = uploads.not_usable(path, ctx.choice.id == "no", t.DECLINED, t.CHAT_FILE_GONE)
    if answer:
        return [Reply(answer)]
    try:
        plan = await _read(ctx, path)
    except plan_import.PlanReadError as error:
        return [Reply(plan_import.refusal(draft.file_name, error))]
    finally:
        uploads.forget(path)
    report = await plan_import.save_in(ctx.s, plan)
    number = plan.plan.plan.number
    await events.audit(ctx.s, ctx.now, ctx.person_id(), "plan_imported", number=number,
                       file=draft.file_name, created=report.created)
    done = t.IMPORTED if report.created else t.UPDATED
    return [Reply(done.format(number=number, sections=report.sections, tasks=report.tasks,
                              periods=report.periods))]


def setup(router: Router) -> None:
    router.command("nhapkehoach", start_plan_import, roles={Role.ADMIN}, starts_flow=True,
                   aliases=("nhap_ke_hoach", "kehoach", "importplan"))
    router.step(FLOW, Step.FILE, on_file, accepts_files=True,
                file_limit=plan_import.MAX_PLAN_BYTES, too_large=t.CHAT_TOO_LARGE,
                suffixes=plan_import.DOCUMENT_SUFFIXES, wrong_type=t.CHAT_WRONG_TYPE)
    router.step(FLOW, Step.CONFIRM, on_confirm)
