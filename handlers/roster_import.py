"""/danhsach → «Nhập danh sách»: a roster .xlsx sent to the bot (Telegram), previewed like
`roster import`, then imported keeping or deactivating what the file no longer lists (the
CLI's --replace). The file's declared size is checked before it is downloaded; the upload is
not kept once imported or declined. The rules are services.roster_admin's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core.render import capabilities
from core.texts import roster as t
from core.types import Option, Reply
from handlers import uploads
from handlers.common import choose_again
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import roster_admin

FLOW = Flow.ROSTER
LIMIT = roster_admin.MAX_FILE_BYTES
NO = Option("no", t.CHAT_IMPORT_NO)


@dataclass(frozen=True, slots=True)
class RosterFileDraft:
    path: str = ""
    file_name: str = ""


class Step(StrEnum):
    FILE = "import_file"
    CONFIRM = "import_confirm"


def start_import(ctx: Ctx) -> list[Reply]:
    """The first step, from the /danhsach menu."""
    if not capabilities(ctx.msg.chat.platform).receives_documents:
        ctx.finish()
        return [Reply(t.CHAT_ROSTER_NO_DOCUMENTS)]
    settings = ctx.deps.settings
    uploads.prune(settings.evidence_dir, 2 * settings.dialog_timeout_minutes * 60)
    ctx.move(FLOW, Step.FILE, RosterFileDraft())
    return [Reply(t.CHAT_ASK_ROSTER_FILE.format(limit=LIMIT // 1024))]


async def on_file(ctx: Ctx) -> list[Reply]:
    sent = next((a for a in ctx.msg.attachments if a.local_path is not None), None)
    if sent is None or sent.local_path is None:
        return [Reply(t.CHAT_NEED_ROSTER_FILE)]
    ctx.finish()
    path = uploads.keep(sent.local_path, sent.file_name)
    try:
        data = roster_admin.read_roster(path, LIMIT)
        plan = await roster_admin.plan_import(ctx.s, data, replace=True)
    except roster_admin.RosterFileError as error:
        uploads.forget(path)
        return [Reply(f"{error}\n{t.NOT_CONFIRMED}")]
    name = sent.file_name or path.name
    lines = plan.lines(name, t.CHAT_UNLISTED.format(count=len(plan.unlisted)))
    if plan.empty and not plan.unlisted:
        uploads.forget(path)
        return [Reply("\n".join(lines))]
    options = ((Option("keep", t.CHAT_IMPORT_KEEP), Option("replace", t.CHAT_IMPORT_REPLACE), NO)
               if plan.unlisted else (Option("keep", t.CHAT_IMPORT_ADD), NO))
    ctx.move(FLOW, Step.CONFIRM, RosterFileDraft(str(path), name))
    return [Reply("\n".join(lines), options)]


async def on_confirm(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id not in ("keep", "replace", "no"):
        return choose_again(ctx)
    draft = ctx.draft(RosterFileDraft)
    ctx.finish()
    path = Path(draft.path)
    answer = uploads.not_usable(path, ctx.choice.id == "no", t.NOT_CONFIRMED,
                                t.CHAT_ROSTER_FILE_GONE)
    if answer:
        return [Reply(answer)]
    replace = ctx.choice.id == "replace"
    try:
        done = await roster_admin.import_file(ctx.s, path, ctx.now, replace=replace,
                                              by=ctx.person_id())
    except roster_admin.RosterFileError as error:
        return [Reply(f"{error}\n{t.NOT_CONFIRMED}")]
    finally:
        uploads.forget(path)
    text = t.IMPORTED.format(added=len(done.added), changed=len(done.changed),
                             deactivated=len(done.unlisted) if replace else 0,
                             people=done.new_people)
    if done.examples_left:
        text += "\n" + t.EXAMPLES_LEFT.format(count=len(done.examples_left),
                                              codes=", ".join(done.examples_left))
    return [Reply(text)]


def setup(router: Router) -> None:
    router.step(FLOW, Step.FILE, on_file, accepts_files=True, file_limit=LIMIT,
                too_large=t.CHAT_ROSTER_TOO_LARGE, suffixes=(".xlsx",),
                wrong_type=t.CHAT_ROSTER_WRONG_TYPE)
    router.step(FLOW, Step.CONFIRM, on_confirm)
