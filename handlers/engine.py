"""The messenger-neutral engine: an incoming event goes in, replies come out.

Role checks, menu resolution (button id, number or typed label without diacritics),
conversation state in the database, de-duplication and hostile-input guards live here, once,
for every channel."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core import texts
from core.deps import Deps
from core.ports import FileTooLarge
from core.texts import plans as plan_texts
from core.texts import roster as roster_texts
from core.texts import wards as ward_texts
from core.textutil import clean_input, fold, shorten
from core.types import Attachment, Caller, IncomingMessage, Option, Reply, Role
from handlers.more import MORE, MORE_KEY
from handlers.router import Command, Ctx, Handler, Router, SendNow
from handlers.state import Flow, Refusal
from storage import dialogs, events, roster
from storage.db import WriteTurns
from storage.dialogs import DialogState
from storage.invites import looks_like_code
from storage.scoping import use_ward

logger = logging.getLogger(__name__)

_NON_WORD = re.compile(r"[^\w.]+")
_LEADING_MARKS = re.compile(r"^\W+")
_CANCEL_WORDS = {"huy", "huy bo", "thoat", "cancel"}
_MORE_WORDS = {"xem them", "xem tiep"}
# Options of the question asked before typed answers would be dropped (_ask_before_dropping).
_DROP, _RESUME = "drop:", "resume"
_RESUME_KEY = "_resume_options"  # the interrupted step's menu, kept in the dialog's data
_EXPIRED = "dialog_expired"  # Ctx.memo: this update found the chat's dialog expired


class DuplicateUpdate(Exception):
    """The update was handled before, or is being handled by another process right now."""


class Claim:
    """Records the update as handled (storage.events.first_time), once, before anything of it
    is committed: at the end of the update, or before Ctx.commit when a handler commits early.

    The update's reads come first and take no lock; on SQLite, whose single writer is the
    bottleneck, the write lock is taken by the first write and held only until the commit
    (it used to be taken by this record at the start and held across every read of the update,
    while the other chats waited in SQLite's sleeping busy handler; bench/RESULTS.md, eighth
    pass). A re-delivery of an update already handled is seen by the engine's first read
    (dialogs.load_with_caller) and costs one statement; a twin handled concurrently elsewhere
    finds the record here (its insert waits for the other transaction) and is rolled back."""

    __slots__ = ("done", "msg", "now", "s")

    def __init__(self, s: AsyncSession, msg: IncomingMessage, now: datetime) -> None:
        self.s, self.msg, self.now, self.done = s, msg, now, False

    async def __call__(self) -> None:
        if self.done or not self.msg.native_id:
            return
        self.done = True
        if not await events.first_time(self.s, self.msg.chat.platform, self.msg.native_id,
                                       self.now):
            raise DuplicateUpdate


class Engine:
    """Runs the router for one message per transaction; never raises to the adapter."""

    def __init__(self, router: Router, deps: Deps) -> None:
        self.router = router
        self.deps = deps
        self.turns = WriteTurns()

    async def handle(self, msg: IncomingMessage, send_now: SendNow | None = None) -> list[Reply]:
        """The replies to `msg`, to send in order. `send_now` is how the channel sends a
        reply at once, while the update is still being handled (Ctx.progress)."""
        text = clean_input(msg.text)
        limit = self.deps.settings.max_text_length
        if len(text) > limit:
            return [Reply(texts.TOO_LONG.format(length=len(text), limit=limit))]
        msg = replace(msg, text=text)
        if msg.attachments:
            msg, problem = await self._download(msg)
            if problem:
                return [Reply(problem)]
        try:
            # Commit awaited here rather than in `sessions.begin()`'s exit, which hands it to a
            # new task: on SQLite that kept the write lock across a turn of the event loop, and
            # the next chat's update found the database locked.
            session = self.deps.sessions()
            claim = Claim(session, msg, self.deps.clock.now())
            try:
                replies, dialog = await self._handle(session, msg, send_now, claim)
                async with self.turns.turn(session):  # the writes, last and short
                    if dialog is not None:
                        await dialogs.save(session, msg.chat, dialog, claim.now)
                    await claim()
                    await session.commit()
                return replies
            finally:
                await session.close()  # rolls back whatever was not committed
        except DuplicateUpdate:
            # Another process (or an earlier delivery) handled the same update: drop ours.
            logger.info("duplicate update %s/%s dropped", msg.chat.platform, msg.native_id)
            return []
        except IntegrityError as error:
            if events.is_duplicate_update(error):
                logger.info("duplicate update %s/%s dropped", msg.chat.platform, msg.native_id)
                return []
            # Someone else wrote the same thing at the same moment (two heads of one unit saving
            # the same task's first version, say); nothing of this update was kept.
            logger.warning("conflicting write from %s chat: %s", msg.chat.platform, error.orig)
            return [Reply(texts.WRITE_CONFLICT)]
        except Exception:
            logger.exception("handler failed for %s chat", msg.chat.platform)
            return [Reply(texts.INTERNAL_ERROR)]

    async def _download(self, msg: IncomingMessage) -> tuple[IncomingMessage, str]:
        """Fetch evidence files outside any transaction, only when a step is waiting for one."""
        async with self.deps.sessions() as s:
            state = await dialogs.load(s, msg.chat)
        step = self.router.file_step(state.flow or "", state.step or "")
        if step is None:
            return msg, ""
        fetcher = self.deps.fetchers.get(msg.chat.platform)
        if fetcher is None:
            return msg, texts.FILE_NOT_SUPPORTED
        settings = self.deps.settings
        limit = step.file_limit or int(settings.evidence_max_mb * 1024 * 1024)
        # The size the messenger declares is checked before a byte is downloaded.
        shown = (f"{limit / 1024 / 1024:g}" if step.file_limit
                 else f"{settings.evidence_max_mb:g}")
        too_large = (step.too_large or texts.FILE_TOO_LARGE).format(limit=shown)
        stored = []
        for att in msg.attachments:
            if att.size is not None and att.size > limit:
                return msg, too_large
            name = att.file_name or ""
            if step.suffixes and Path(name).suffix.lower() not in step.suffixes:
                return msg, step.wrong_type.format(name=shorten(name, 60))
            try:
                content = await fetcher.fetch(att, limit)
            except FileTooLarge:
                return msg, too_large
            except Exception:
                logger.warning("file download failed on %s", msg.chat.platform, exc_info=True)
                # Only evidence (the step without a limit of its own) may be skipped.
                return msg, (texts.FILE_DOWNLOAD_FAILED if step.file_limit is None
                             else texts.FILE_DOWNLOAD_FAILED_SEND_AGAIN)
            path = save_evidence(settings.evidence_dir, att, content)
            stored.append(replace(att, local_path=path, size=len(content)))
        return replace(msg, attachments=tuple(stored)), ""

    async def _handle(self, s: AsyncSession, msg: IncomingMessage, send_now: SendNow | None,
                      claim: Claim) -> tuple[list[Reply], DialogState | None]:
        """The replies, and the chat's dialog to save (None: leave it as it is)."""
        now = claim.now
        loaded = await dialogs.load_with_caller(s, msg.chat, msg.chat.platform, msg.sender_id,
                                                msg.native_id)
        if loaded.seen:  # a re-delivery of an update handled before: one read, nothing else
            raise DuplicateUpdate
        caller, state = loaded.caller, loaded.state
        if caller is None and await roster.deactivated_account(s, msg.chat.platform,
                                                               msg.sender_id):
            return [Reply(roster_texts.ACCOUNT_DEACTIVATED)], None
        if caller is not None and not caller.ward_active:
            return [Reply(ward_texts.WARD_STOPPED)], None
        if caller is not None and caller.many_wards:  # all it reads or writes: its ward's
            use_ward(s, caller.ward_id)
        ctx = Ctx(self.deps, s, msg, caller, state, now, send_now=send_now, claim=claim)
        if state.reply_failed_at is not None:  # the last answer never reached the person
            ctx.notes.append(Reply(texts.REPLY_FAILED))
            state.reply_failed_at = None
        self._expire_stale(ctx)
        routed = await self._route(ctx)  # may add notes (Ctx.progress): read them after
        replies = [*ctx.notes, *routed]
        menus = [r.options for r in replies if r.options]
        ctx.dialog.options = list(menus[-1]) if menus else []
        if ctx.more:
            ctx.dialog.data[MORE_KEY] = ctx.more
        elif replies:  # a new answer: an older list's rest is no longer what "xem thêm" means
            ctx.dialog.data.pop(MORE_KEY, None)
        return replies, ctx.dialog

    def _expire_stale(self, ctx: Ctx) -> None:
        timeout = timedelta(minutes=self.deps.settings.dialog_timeout_minutes)
        updated = ctx.dialog.updated_at
        if ctx.dialog.active and updated is not None and ctx.now - updated > timeout:
            lost = self.router.unsaved_work(ctx.dialog.flow or "", ctx.dialog.data)
            ctx.finish()
            ctx.dialog.options = []
            ctx.memo[_EXPIRED] = True
            ctx.notes.append(Reply(texts.DIALOG_EXPIRED_UNSAVED.format(lost=lost) if lost
                                   else texts.DIALOG_EXPIRED))

    async def _route(self, ctx: Ctx) -> list[Reply]:
        msg, dialog = ctx.msg, ctx.dialog
        if msg.kind == "sticker":
            return [Reply(texts.STICKER)]
        if msg.kind == "unsupported":
            return [Reply(texts.UNSUPPORTED)]
        if msg.option_id is not None:
            return await self._pressed(ctx, msg.option_id)
        if fold(msg.text).lstrip("/") in _CANCEL_WORDS and "huy" in self.router.commands:
            return await self._run(ctx, self.router.commands["huy"], "")
        more = self.router.commands.get(MORE)
        if more is not None and fold(msg.text) in _MORE_WORDS and MORE_KEY in dialog.data:
            # "xem thêm" even in the middle of a flow (after a quick look at /tiendo)
            return await self._run(ctx, more, "")
        cmd, args, unknown = self.router.parse(msg.text, slashless=not dialog.active)
        if unknown is not None:
            return [Reply(self._unknown(unknown))]
        if cmd is not None:
            return await self._run(ctx, cmd, args)
        ctx.choice = self._resolve_typed(msg.text, dialog.options)
        if ctx.choice is not None and ctx.choice.id.startswith(("cmd:", _DROP, _RESUME)):
            return await self._run_option_command(ctx, ctx.choice)
        if dialog.active:
            return await self._step(ctx)
        return await self._idle_text(ctx)

    async def _pressed(self, ctx: Ctx, option_id: str) -> list[Reply]:
        """A button press: valid only if it is on the last menu this chat was shown."""
        choice = next((o for o in ctx.dialog.options if o.id == option_id), None)
        if choice is None:
            # Keep the menu that is really on offer, so the next answer still works.
            return [Reply(texts.STALE_CHOICE, tuple(ctx.dialog.options))]
        ctx.choice = choice
        if choice.id.startswith(("cmd:", _DROP, _RESUME)):
            return await self._run_option_command(ctx, choice)
        if not ctx.dialog.active:
            return [Reply(texts.STALE_CHOICE)]
        return await self._step(ctx)

    async def _run_option_command(self, ctx: Ctx, choice: Option) -> list[Reply]:
        if choice.id == _RESUME:
            if not ctx.dialog.active:
                return [Reply(texts.STALE_CHOICE)]
            options = [Option(o[0], o[1]) for o in ctx.dialog.data.pop(_RESUME_KEY, [])]
            return [Reply(texts.FLOW_RESUMED, tuple(options))]
        dropping = choice.id.startswith(_DROP)
        name, _, args = choice.id.partition(":")[2].partition(":")
        cmd = self.router.commands.get(name)
        if cmd is None:
            return [Reply(texts.STALE_CHOICE)]
        if dropping:  # the person chose to leave the typed answers behind
            ctx.finish()
            notes = [Reply(texts.FLOW_DROPPED)]
            return [*notes, *await self._run(ctx, cmd, args)]
        return await self._run(ctx, cmd, args)

    async def _run(self, ctx: Ctx, cmd: Command, args: str) -> list[Reply]:
        denied = self._denied(ctx.caller, cmd)
        if denied:
            return [Reply(denied)]
        if ctx.dialog.active:
            ctx.unsaved = self.router.unsaved_work(ctx.dialog.flow or "", ctx.dialog.data)
        interrupted = ctx.dialog.active and cmd.name != "huy"
        if interrupted and not cmd.starts_flow:
            # A quick look (help, progress) in the middle of a flow keeps the flow.
            saved = (ctx.dialog.flow, ctx.dialog.step, dict(ctx.dialog.data), ctx.dialog.options)
            ctx.args = args
            replies = await self._call(ctx, cmd.handler)
            ctx.dialog.flow, ctx.dialog.step, ctx.dialog.data, options = saved
            return [*replies, Reply(texts.FLOW_CONTINUES, tuple(options))]
        if interrupted and ctx.unsaved:
            return self._ask_before_dropping(ctx, cmd, args, ctx.unsaved)
        notes = [Reply(texts.FLOW_REPLACED)] if interrupted else []
        if interrupted:
            ctx.finish()
        ctx.args = args
        return [*notes, *await self._call(ctx, cmd.handler)]

    @staticmethod
    def _ask_before_dropping(ctx: Ctx, cmd: Command, args: str, lost: str) -> list[Reply]:
        """Another flow's command while typed answers wait unsaved: nothing is dropped
        silently. The flow stays where it was; its menu is kept to be offered back."""
        ctx.dialog.data[_RESUME_KEY] = [[o.id, o.label] for o in ctx.dialog.options]
        args = args if len(args.encode()) <= 32 else ""  # a button's id fits Telegram's 64 bytes
        options = (Option(f"{_DROP}{cmd.name}:{args}", texts.FLOW_DROP.format(name=cmd.name)),
                   Option(_RESUME, texts.FLOW_KEEP))
        return [Reply(texts.FLOW_UNSAVED.format(lost=lost, name=cmd.name), options)]

    @staticmethod
    async def _call(ctx: Ctx, handler: Handler) -> list[Reply]:
        """Run a command or step; a Refusal it raises ends the flow with its text."""
        try:
            return await handler(ctx)
        except Refusal as refusal:
            ctx.finish()
            return [Reply(refusal.text)]

    def _denied(self, caller: Caller | None, cmd: Command) -> str | None:
        if cmd.roles is None:
            return None
        if caller is None:
            return texts.NOT_REGISTERED
        if caller.role not in cmd.roles:
            return texts.CITY_WARD_ONLY if caller.role is Role.CITY else texts.FORBIDDEN
        if cmd.needs_unit and caller.unit_id is None:
            return texts.NO_UNIT
        return None

    async def _step(self, ctx: Ctx) -> list[Reply]:
        key = (ctx.dialog.flow or "", ctx.dialog.step or "")
        step = self.router.steps.get(key)
        if step is None or (ctx.caller is None and ctx.dialog.flow != Flow.REGISTER):
            ctx.finish()
            return [Reply(texts.DIALOG_LOST)]
        if step.needs_unit and (ctx.caller is None or ctx.caller.unit_id is None):
            ctx.finish()
            return [Reply(texts.NO_UNIT)]
        return await self._call(ctx, step.handler)

    async def _idle_text(self, ctx: Ctx) -> list[Reply]:
        if ctx.caller is None:
            start = self.router.commands.get("dangky")
            if start is not None and looks_like_code(ctx.msg.text):
                # A bare code pasted from the invite message registers too.
                return await self._run(ctx, start, ctx.msg.text)
            return [Reply(texts.NOT_REGISTERED)]
        if ctx.msg.attachments:
            if ctx.caller.role is Role.ADMIN and any(
                    Path(a.file_name).suffix.lower() in (".docx", ".xlsx")
                    for a in ctx.msg.attachments):
                return [Reply(plan_texts.CHAT_FILE_HINT)]  # a plan or a roster, most likely
            return [Reply(texts.FILE_OUTSIDE_FLOW)]
        if ctx.memo.get(_EXPIRED):
            return []  # the answer was for a dialog that just expired: its note says what to do
        words = ctx.msg.text.split()
        meant = self.router.suggest("".join(words[:2])) if 0 < len(words) <= 3 else None
        if meant is not None:
            return [Reply(texts.DID_YOU_MEAN.format(meant=meant))]
        return [Reply(texts.DONT_UNDERSTAND)]

    def _unknown(self, name: str) -> str:
        meant = self.router.suggest(name)
        if meant is not None:
            return texts.UNKNOWN_COMMAND_SUGGEST.format(name=name, meant=meant)
        return texts.UNKNOWN_COMMAND.format(name=name)

    @staticmethod
    def _resolve_typed(text: str, options: list[Option]) -> Option | None:
        """A typed answer to a menu: its number, or its label with or without diacritics."""
        if not options or not text:
            return None
        key = fold(text).rstrip(".)")
        if key.isdigit():
            index = int(key)
            return options[index - 1] if 1 <= index <= len(options) else None
        labels = [(option, _strip_marks(fold(option.label))) for option in options]
        for option, label in labels:
            if label == key:
                return option
        # A task code typed alone ("2.3") picks the task whose label starts with it.
        by_code = [option for option, label in labels if label.startswith(key + " ")]
        if len(by_code) == 1:
            return by_code[0]
        # Whole words of one label ("ke hoach nam moi", "9 thang"), or a label without the
        # words every label starts with ("nam 2025" for "Báo cáo năm 2025" beside "Báo cáo 9
        # tháng năm 2025"). Words found in several labels are no answer: never a guess.
        words = _words(key)
        if len(words.strip()) < 3:
            return None
        shared = _shared_prefix([_words(label) for _, label in labels])
        exact = [option for option, label in labels if _words(label)[len(shared) - 1:] == words]
        found = [option for option, label in labels if words in _words(label)]
        for candidates in (exact, found):
            if len(candidates) == 1:
                return candidates[0]
        return None


def _shared_prefix(labels: list[str]) -> str:
    """The whole words every label starts with (' bao cao '), or ' '."""
    split = [label.split() for label in labels]
    count = 0
    while (len(split) > 1 and all(len(words) > count for words in split)
           and len({words[count] for words in split}) == 1):
        count += 1
    return " " + "".join(f"{word} " for word in split[0][:count]) if split else " "


def _words(text: str) -> str:
    """Words padded with spaces, punctuation dropped, so that `in` matches whole words."""
    return " " + " ".join(_NON_WORD.sub(" ", text).split()) + " "


def _strip_marks(label: str) -> str:
    """Drop the status marks (emoji) a menu label may start with."""
    return _LEADING_MARKS.sub("", label)


def save_evidence(folder: Path, att: Attachment, content: bytes) -> Path:
    """Keep a user's file under a random name (never trust the name they sent)."""
    suffix = Path(att.file_name).suffix.lower()[:10] if att.file_name else ""
    if not suffix:
        suffix = ".jpg" if att.kind == "photo" else ".bin"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}{suffix}"
    path.write_bytes(content)
    return path
