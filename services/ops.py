"""What /healthz and /metrics read from the database, and who hears about a channel outage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.deps import Deps
from core.types import ChatRef, Platform, Role
from services.reminders import reachable
from storage import deliveries, quota, roster, wards
from storage.models import Delivery, Person


@dataclass(frozen=True, slots=True)
class OutboxStats:
    backlog: int  # rows still to send (pending or retrying)
    oldest_due_s: float  # age of the oldest row that is due now; 0 when none
    sent_by_kind: dict[str, int]


async def database_ok(deps: Deps) -> bool:
    try:
        async with deps.sessions() as s:
            await s.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


async def outbox_stats(deps: Deps, now: datetime) -> OutboxStats:
    async with deps.sessions() as s:
        # Rows for the terminal shell wait for their person to type: they are no backlog.
        waiting = (Delivery.status == deliveries.PENDING,
                   Delivery.platform != Platform.SHELL.value)
        backlog = (await s.execute(select(func.count()).where(*waiting))).scalar()
        due_oldest = (await s.execute(
            select(func.min(Delivery.created_at)).where(
                *waiting, Delivery.next_attempt_at <= now))).scalar()
        sent = dict((await s.execute(
            select(Delivery.kind, func.count()).where(Delivery.status == deliveries.SENT)
            .group_by(Delivery.kind))).all())
    age = 0.0
    if due_oldest is not None:
        age = max((now - _aware(due_oldest, now)).total_seconds(), 0.0)
    return OutboxStats(int(backlog or 0), age, {str(k): int(v) for k, v in sent.items()})


def _aware(value: datetime, like: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=like.tzinfo)


async def zalo_quota_used(deps: Deps) -> int:
    async with deps.sessions() as s:
        state = await quota.usage(s, Platform.ZALO, deps.clock.now(), deps.settings.tz,
                                  deps.settings.zalo.monthly_quota)
    return state.used


async def deployment_contacts(s: AsyncSession) -> list[Person]:
    """Who hears about the deployment itself (a channel down or back, the Zalo plan's quota).

    With several wards on one deployment these belong to whoever runs it for the city, not to
    each ward's admins (120 wards would mean hundreds of identical alerts, each costing Zalo
    quota): the city's staff, when it has any. One ward, or no city staff yet: the admins."""
    if len(await wards.active_wards(s)) > 1:
        city_staff = await roster.people_with_role(s, Role.CITY)
        if city_staff:
            return city_staff
    return await roster.people_with_role(s, Role.ADMIN)


async def admin_chats(deps: Deps, *, besides: Platform) -> list[ChatRef]:
    """The deployment contacts' chats on every platform except `besides` (the one down)."""
    async with deps.sessions() as s:
        pairs = await reachable(s, await deployment_contacts(s))
    return [chat for _, chat in pairs if chat.platform is not besides]
