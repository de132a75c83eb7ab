"""The Zalo plan's monthly message quota: count sends, warn admins at 80 %, hold proactive sends.

Replies to a person's own message always go out (the person is waiting); only messages the bot
starts on its own wait for next month once the quota is used up."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.deps import Deps
from core.settings import Settings
from core.texts import zalo as zt
from core.textutil import format_date
from core.types import ChatRef, Outcome, Platform, SendResult
from services import ops
from storage import deliveries, quota, roster
from storage.quota import QuotaState

logger = logging.getLogger(__name__)


class ZaloQuota:
    """Monthly counter of outbound Zalo messages against ZALO_MONTHLY_QUOTA (0: no limit)."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    @property
    def limit(self) -> int:
        return self.deps.settings.zalo.monthly_quota

    async def state(self) -> QuotaState:
        async with self.deps.sessions() as s:
            return await quota.usage(s, Platform.ZALO, self.deps.clock.now(),
                                     self.deps.settings.tz, self.limit)

    async def hold_for(self, parts: int) -> SendResult | None:
        """A RETRY (until next month) when a bot-initiated send of `parts` would exceed it."""
        now, tz = self.deps.clock.now(), self.deps.settings.tz
        async with self.deps.sessions.begin() as s:
            state = await quota.usage(s, Platform.ZALO, now, tz, self.limit)
            if not state.would_exceed(parts):
                return None
            if await quota.claim_exhausted_notice(s, Platform.ZALO, state.month, now):
                await self._notify_admins(s, "exhausted", state, now)
        wait = (quota.next_month_start(now, tz) - now).total_seconds()
        return SendResult(Outcome.RETRY, retry_after_s=wait,
                          detail=zt.QUOTA_RETRY_DETAIL.format(month=state.month))

    async def count(self, parts: int) -> QuotaState:
        """Record `parts` sent messages; warn admins once at 80 % and once when used up."""
        now = self.deps.clock.now()
        async with self.deps.sessions.begin() as s:
            state = await quota.add(s, Platform.ZALO, parts, now, self.deps.settings.tz,
                                    self.limit)
            if state.warn_reached and await quota.claim_warning(s, Platform.ZALO, state.month,
                                                                now):
                await self._notify_admins(s, "warn", state, now)
            if state.exhausted and await quota.claim_exhausted_notice(s, Platform.ZALO,
                                                                      state.month, now):
                await self._notify_admins(s, "exhausted", state, now)
        return state

    async def _notify_admins(self, s: AsyncSession, kind: str, state: QuotaState,
                             now: datetime) -> None:
        """One outbox notice per deployment contact (services.ops), on Telegram when they have
        it (Zalo may be used up)."""
        text = self._notice_text(kind, state, now)
        payload: dict[str, Any] = {"text": text, "options": [], "file": None}
        contacts = [p.id for p in await ops.deployment_contacts(s)]
        for person_id, chats in (await roster.chats_of(s, contacts)).items():
            chat = _preferred(chats)
            if chat is None:
                continue
            await deliveries.enqueue(s, key=f"quota-{kind}:{state.month}:{person_id}",
                                     kind="notice", chat=chat, payload=payload,
                                     now=now, person_id=person_id)
        logger.warning("zalo quota %s: %s/%s in %s", kind, state.used, state.limit, state.month)

    def _notice_text(self, kind: str, state: QuotaState, now: datetime) -> str:
        month = f"{state.month[5:]}/{state.month[:4]}"
        if kind == "warn":
            percent = state.used * 100 // state.limit
            return zt.QUOTA_WARNING.format(used=state.used, limit=state.limit, month=month,
                                           percent=percent)
        resume = quota.next_month_start(now, self.deps.settings.tz).astimezone(
            self.deps.settings.tz)
        return zt.QUOTA_EXHAUSTED.format(limit=state.limit, month=month,
                                         resume=format_date(resume))


def _preferred(chats: list[ChatRef]) -> ChatRef | None:
    for platform in (Platform.TELEGRAM, Platform.ZALO):
        for chat in chats:
            if chat.platform is platform:
                return chat
    return None


async def summary_note(s: AsyncSession, settings: Settings, now: datetime) -> str:
    """The Zalo quota line /tonghop ends with; empty when Zalo is not configured."""
    if not settings.zalo.bot_token.get_secret_value():
        return ""
    state = await quota.usage(s, Platform.ZALO, now, settings.tz, settings.zalo.monthly_quota)
    month = f"{state.month[5:]}/{state.month[:4]}"
    if not state.limited:
        return "\n\n" + zt.QUOTA_UNLIMITED.format(month=month, used=state.used)
    return "\n\n" + zt.QUOTA_LINE.format(month=month, used=state.used, limit=state.limit,
                                         remaining=state.remaining)
