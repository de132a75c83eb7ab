"""Outbound messages per platform and calendar month (the Zalo plan allows 3,000 a month).

Months are counted in the ward's time zone: the plan resets with the Vietnamese calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.types import Platform
from storage.models import QuotaUsage

WARN_SHARE = 0.8


@dataclass(frozen=True, slots=True)
class QuotaState:
    month: str  # YYYY-MM, local
    used: int
    limit: int  # 0: no limit configured

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    @property
    def limited(self) -> bool:
        return self.limit > 0

    @property
    def warn_reached(self) -> bool:
        return self.limited and self.used >= self.limit * WARN_SHARE

    @property
    def exhausted(self) -> bool:
        return self.limited and self.used >= self.limit

    def would_exceed(self, parts: int) -> bool:
        return self.limited and self.used + parts > self.limit


def month_key(now: datetime, tz: ZoneInfo) -> str:
    return now.astimezone(tz).strftime("%Y-%m")


def next_month_start(now: datetime, tz: ZoneInfo) -> datetime:
    """Local midnight of the 1st of next month, as aware UTC."""
    local = now.astimezone(tz)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=tz).astimezone(UTC)


async def usage(s: AsyncSession, platform: Platform, now: datetime, tz: ZoneInfo,
                limit: int) -> QuotaState:
    month = month_key(now, tz)
    used = await s.scalar(select(QuotaUsage.used).where(QuotaUsage.platform == platform.value,
                                                        QuotaUsage.month == month))
    return QuotaState(month, int(used or 0), limit)


async def add(s: AsyncSession, platform: Platform, count: int, now: datetime, tz: ZoneInfo,
              limit: int) -> QuotaState:
    """Count `count` sent messages; an atomic increment, safe with several processes."""
    month = month_key(now, tz)
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    await s.execute(insert(QuotaUsage).values(platform=platform.value, month=month, used=0)
                    .on_conflict_do_nothing(index_elements=["platform", "month"]))
    await s.execute(update(QuotaUsage).where(QuotaUsage.platform == platform.value,
                                             QuotaUsage.month == month)
                    .values(used=QuotaUsage.used + count))
    return await usage(s, platform, now, tz, limit)


async def claim_warning(s: AsyncSession, platform: Platform, month: str, now: datetime) -> bool:
    """True for exactly one caller per month: the one that should warn the admins at 80 %."""
    result = await s.execute(
        update(QuotaUsage).where(QuotaUsage.platform == platform.value, QuotaUsage.month == month,
                                 QuotaUsage.warned_at.is_(None))
        .values(warned_at=now))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def claim_exhausted_notice(s: AsyncSession, platform: Platform, month: str,
                                 now: datetime) -> bool:
    """True for exactly one caller per month: the one that tells admins sends are held."""
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    await s.execute(insert(QuotaUsage).values(platform=platform.value, month=month, used=0)
                    .on_conflict_do_nothing(index_elements=["platform", "month"]))
    result = await s.execute(
        update(QuotaUsage).where(QuotaUsage.platform == platform.value, QuotaUsage.month == month,
                                 QuotaUsage.exhausted_notice_at.is_(None))
        .values(exhausted_notice_at=now))
    return bool(result.rowcount)  # type: ignore[attr-defined]
