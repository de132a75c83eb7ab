"""Messenger-neutral types shared by adapters, handlers and the scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path


class Platform(StrEnum):
    TELEGRAM = "telegram"
    ZALO = "zalo"
    SHELL = "shell"


class Role(StrEnum):
    ADMIN = "admin"
    UNIT_HEAD = "unit_head"
    GROUP_LEADER = "group_leader"
    CITY = "city"  # the city's staff: every ward's roll-up, no ward of their own (issue 19)


@dataclass(frozen=True, slots=True)
class ChatRef:
    platform: Platform
    chat_id: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the user sent; `ref` is a platform file id (Telegram) or URL (Zalo)."""

    kind: str  # "photo" | "document"
    ref: str
    file_name: str = ""
    size: int | None = None
    local_path: Path | None = None  # set once downloaded


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    chat: ChatRef
    sender_id: str
    text: str
    received_at: datetime
    option_id: str | None = None  # a pressed button (Telegram callback data)
    native_id: str = ""  # for de-duplication: update_id, event+message id
    display_name: str = ""
    attachments: tuple[Attachment, ...] = ()
    kind: str = "text"  # "text" | "sticker" | "unsupported"


@dataclass(frozen=True, slots=True)
class Option:
    id: str  # short ASCII id, never a Vietnamese label (Telegram callback data ≤ 64 bytes)
    label: str


@dataclass(frozen=True, slots=True)
class OutFile:
    path: Path
    file_name: str
    kind: str = "document"  # "document" | "photo"
    caption: str = ""
    # A public (signed, expiring) address of the same file, for messengers that take photos by
    # URL only (Zalo); "" when there is none.
    url: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    options: tuple[Option, ...] = ()
    file: OutFile | None = None


class Outcome(StrEnum):
    SENT = "sent"
    GONE = "gone"  # blocked / forbidden / unknown chat: never retry
    RETRY = "retry"  # 429, 5xx, timeout: retry later


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    retry_after_s: float | None = None
    detail: str = ""
    parts: int = 1  # messages it took on the platform (Zalo quota counting)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is talking: resolved from the chat's account binding."""

    person_id: int
    name: str
    role: Role
    unit_id: int | None = None
    group_id: int | None = None
    # The ward the person belongs to; None for a city user. 1 is the ward every database has.
    ward_id: int | None = 1
    # The deployment serves several wards, so what the person reads and changes is scoped to
    # theirs (a single-ward deployment needs no scoping and pays nothing for it).
    many_wards: bool = False
    # False once the person's ward was deactivated on this deployment (`ward deactivate`).
    ward_active: bool = True

    @property
    def reports_for_unit(self) -> bool:
        return self.unit_id is not None and self.role in (Role.UNIT_HEAD, Role.ADMIN)


class Status(StrEnum):
    """Task status vocabulary of a report entry."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"
