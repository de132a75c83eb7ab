"""Routing of the neutral core: commands (with aliases, typed with or without a slash or
diacritics), flow steps, and the context a handler gets for one incoming message."""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from core import texts
from core.deps import Deps
from core.textutil import fold
from core.types import Caller, IncomingMessage, Option, Reply, Role
from handlers.state import Refusal, decode, encode
from storage.dialogs import DialogState

T = TypeVar("T")
D = TypeVar("D")
logger = logging.getLogger(__name__)
SendNow = Callable[[Reply], Awaitable[None]]


@dataclass
class Ctx:
    """One incoming message being handled, inside one database transaction."""

    deps: Deps
    s: AsyncSession
    msg: IncomingMessage
    caller: Caller | None
    dialog: DialogState
    now: datetime
    choice: Option | None = None
    args: str = ""
    notes: list[Reply] = field(default_factory=list)
    # Reads a handler may repeat within this one update (a period, a plan outline): kept for
    # the update's transaction only, so the database stays the single source of truth.
    memo: dict[Any, Any] = field(default_factory=dict)
    # How the chat's channel sends a reply at once, before the handler returns (None: tests
    # and callers that only collect the replies).
    send_now: SendNow | None = None
    # What the active flow holds typed and unsaved, in words (Router.unsaved_work), "" if none.
    unsaved: str = ""
    # The rest of a list folded to fit a phone's screen, shown by "xem thêm" (handlers.more);
    # the engine keeps it in the dialog after everything else this update did.
    more: list[str] = field(default_factory=list)
    # Records the update as handled (handlers.engine.Claim); called before any commit, so that
    # nothing of an update is ever committed without its de-duplication record.
    claim: Callable[[], Awaitable[None]] | None = None

    @property
    def text(self) -> str:
        return self.msg.text

    # --- who is asking: a clean refusal (the engine turns it into a reply), never an assert

    def registered(self) -> Caller:
        if self.caller is None:
            raise Refusal(texts.NOT_REGISTERED)
        return self.caller

    def person_id(self) -> int:
        return self.registered().person_id

    def unit_id(self) -> int:
        unit_id = self.registered().unit_id
        if unit_id is None:
            raise Refusal(texts.NO_UNIT)
        return unit_id

    # --- conversation state ----------------------------------------------------------------

    def draft(self, cls: type[D]) -> D:
        """The flow's typed draft, read from the dialog (ends the flow cleanly if it is gone)."""
        try:
            return decode(cls, self.dialog.data)
        except (LookupError, ValueError, TypeError) as error:
            raise Refusal(texts.DIALOG_LOST) from error

    def move(self, flow: str, step: str, draft: object) -> None:
        """Go to `step` of `flow` with `draft` as the dialog's whole data."""
        self.dialog.flow, self.dialog.step = flow, step
        self.dialog.data = encode(draft)

    def goto(self, flow: str, step: str) -> None:
        """Go to `step` of `flow`, keeping the draft as it is (a menu asked again, a period)."""
        self.dialog.flow, self.dialog.step = flow, step

    def finish(self) -> None:
        self.dialog.flow = self.dialog.step = None
        self.dialog.data = {}

    async def progress(self, reply: Reply) -> None:
        """A reply the chat sees now, before the handler's own: "please wait" before a long job.
        What this update wrote so far is committed first, so that no transaction is held across
        the network call. Without a channel to send it (send_now is None), it comes first in
        the update's replies. A failed send is logged; the job goes on."""
        if self.send_now is None:
            self.notes.append(reply)
            return
        await self.commit()
        try:
            await self.send_now(reply)
        except Exception:
            logger.warning("progress message to a %s chat failed", self.msg.chat.platform,
                           exc_info=True)

    async def in_worker(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in the file worker process (seconds of CPU: an export, a chart), after
        committing what this update wrote so far. SQLite has a single writer: until this
        transaction ends, every other chat's update would wait for it. The engine commits the
        rest (the dialog) at the end."""
        await self.commit()
        return await self.deps.files.run(fn, *args)

    async def commit(self) -> None:
        """Commit what this update wrote so far, with its de-duplication record (a re-delivered
        update stops here, before anything is sent or rendered)."""
        if self.claim is not None:
            await self.claim()
        await self.s.commit()


Handler = Callable[[Ctx], Awaitable[list[Reply]]]
# What a flow's dialog data holds that the person typed and nothing has saved yet, in words
# ("kết quả, khó khăn của nhiệm vụ 1.3"), or "" when leaving it loses nothing typed.
Unsaved = Callable[[dict[str, Any]], str]


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    handler: Handler
    roles: frozenset[Role] | None  # None: anyone, registered or not
    aliases: tuple[str, ...] = ()
    starts_flow: bool = False
    needs_unit: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    handler: Handler
    accepts_files: bool = False
    needs_unit: bool = False  # refused cleanly (texts.NO_UNIT) for a caller without a unit
    file_limit: int | None = None  # bytes; None: the evidence limit (EVIDENCE_MAX_MB)
    too_large: str = ""  # the refusal of a file over file_limit ({limit} in MB)
    # File name endings the step takes (none: any); another is refused before it is downloaded.
    suffixes: tuple[str, ...] = ()
    wrong_type: str = ""  # that refusal ({name}: the file's name)


_COMMAND = re.compile(r"^/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+(.*))?$", re.S)


class Router:
    """Registry of commands and flow steps; `handle` is the single entry point."""

    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self.steps: dict[tuple[str, str], Step] = {}
        self.unsaved: dict[str, Unsaved] = {}
        self._lookup: dict[str, Command] = {}

    def command(self, name: str, handler: Handler, *, roles: set[Role] | None = None,
                aliases: tuple[str, ...] = (), starts_flow: bool = False,
                needs_unit: bool = False) -> None:
        cmd = Command(name, handler, frozenset(roles) if roles is not None else None, aliases,
                      starts_flow, needs_unit)
        self.commands[name] = cmd
        for key in (name, *aliases):
            self._lookup[fold(key).replace(" ", "").replace("_", "")] = cmd

    def step(self, flow: str, step: str, handler: Handler, *, accepts_files: bool = False,
             needs_unit: bool = False, file_limit: int | None = None,
             too_large: str = "", suffixes: tuple[str, ...] = (),
             wrong_type: str = "") -> None:
        self.steps[(str(flow), str(step))] = Step(handler, accepts_files, needs_unit,
                                                  file_limit, too_large, suffixes, wrong_type)

    def flow(self, flow: str, steps: dict[str, Handler], *, needs_unit: bool = False,
             files: tuple[str, ...] = ()) -> None:
        """Every step of one flow at once (`files`: the steps that accept files)."""
        for step, handler in steps.items():
            self.step(flow, step, handler, accepts_files=step in files, needs_unit=needs_unit)

    def keeps_typed(self, flow: str, unsaved: Unsaved) -> None:
        """Declare how to tell what `flow` holds typed and unsaved: another command started in
        its middle then asks first instead of dropping it (handlers.engine)."""
        self.unsaved[str(flow)] = unsaved

    def unsaved_work(self, flow: str, data: dict[str, Any]) -> str:
        describe = self.unsaved.get(flow)
        try:
            return describe(data) if describe is not None else ""
        except (LookupError, ValueError, TypeError):  # a draft from an older version
            return ""

    def file_step(self, flow: str, step: str) -> Step | None:
        """The step waiting for a file, or None when the chat is not at one."""
        found = self.steps.get((flow, step))
        return found if found is not None and found.accepts_files else None

    def find(self, word: str) -> Command | None:
        return self._lookup.get(fold(word).replace(" ", "").replace("_", ""))

    def suggest(self, word: str) -> str | None:
        """The command a typo most likely meant ("baocoa" → "baocao"), or None."""
        key = fold(word).lstrip("/").replace(" ", "").replace("_", "")
        close = difflib.get_close_matches(key, list(self._lookup), n=1, cutoff=0.75)
        return self._lookup[close[0]].name if close else None

    # --- parsing -------------------------------------------------------------------------

    def parse(self, text: str, *, slashless: bool) -> tuple[Command | None, str, str | None]:
        """(command, args, unknown name). Without a slash only when no flow is active."""
        match = _COMMAND.match(text)
        if match:
            cmd = self.find(match.group(1))
            args = (match.group(2) or "").strip()
            if cmd is None and args:  # "/bao cao", "/tong hop": a command typed in two words
                first, _, rest = args.partition(" ")
                cmd = self.find(match.group(1) + first)
                if cmd is not None:
                    return cmd, rest.strip(), None
            return cmd, args, None if cmd else match.group(1)
        if not slashless:
            return None, "", None
        words = text.split(maxsplit=2)
        for size in (2, 1):
            if len(words) >= size:
                cmd = self.find("".join(words[:size]))
                if cmd:
                    return cmd, " ".join(text.split()[size:]), None
        return None, "", None
