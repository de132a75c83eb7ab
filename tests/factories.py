"""Test data builders and a conversation driver over the real engine."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from bot.app import App
from core.types import Attachment, ChatRef, IncomingMessage, Option, Platform, Reply, Role
from storage import roster
from storage.models import Person

_ids = itertools.count(1)


async def make_person(app: App, role: Role, *, unit: str | None = None, group: str | None = None,
                      name: str | None = None, platform: Platform = Platform.SHELL,
                      account: str | None = None) -> tuple[int, str]:
    """A registered person with one account; returns (person id, account id)."""
    account = account or f"acc-{next(_ids)}"
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        unit_row = await roster.unit_by_code(s, unit) if unit else None
        group_row = await roster.group_by_code(s, group) if group else None
        person = Person(name=name or f"Người {account}", role=role.value,
                        unit_id=unit_row.id if unit_row else None,
                        group_id=group_row.id if group_row else None, created_at=now)
        s.add(person)
        await s.flush()
        await roster.bind_account(s, person.id, ChatRef(platform, account), account, person.name,
                                  now)
        return person.id, account


class Talk:
    """Drives the engine as one chat would: say text, press buttons, read replies."""

    def __init__(self, app: App, account: str, platform: Platform = Platform.SHELL) -> None:
        self.app, self.account, self.platform = app, account, platform
        self.replies: list[Reply] = []

    def _msg(self, text: str, **kw: object) -> IncomingMessage:
        return IncomingMessage(chat=ChatRef(self.platform, self.account), sender_id=self.account,
                               text=text, received_at=datetime.now(UTC),
                               display_name="Người thử", **kw)  # type: ignore[arg-type]

    async def say(self, text: str, **kw: object) -> list[Reply]:
        self.replies = await self.app.core.handle(self._msg(text, **kw))
        return self.replies

    async def press(self, option_id: str) -> list[Reply]:
        return await self.say("", option_id=option_id)

    async def send_file(self, attachment: Attachment) -> list[Reply]:
        return await self.say("", attachments=(attachment,))

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def options(self) -> tuple[Option, ...]:
        menus = [r.options for r in self.replies if r.options]
        return menus[-1] if menus else ()

    def option(self, label_part: str) -> Option:
        return next(o for o in self.options if label_part in o.label)
