"""Shared set-up for the broadcast tests: people, a worker on fake time, a compose driver."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from core.ports import FixedClock, Messenger
from core.types import Platform, Role
from scheduler.delivery import DeliveryWorker
from services.broadcasts import sweep_broadcasts
from storage.models import Delivery
from tests.factories import Talk, make_person
from tests.fakes import FakeMessenger, FakeTime

GROUPS = ("TDP01", "TDP02", "TDP03", "TDP04", "TDP05")


async def leaders(app: App, count: int, platform: Platform = Platform.SHELL,
                  prefix: str = "tt") -> list[tuple[int, str]]:
    """`count` registered tổ trưởng spread over the seeded tổ dân phố."""
    return [await make_person(app, Role.GROUP_LEADER, group=GROUPS[i % len(GROUPS)],
                              name=f"Tổ trưởng {prefix}{i:03d}", platform=platform,
                              account=f"{prefix}{i:03d}")
            for i in range(count)]


def worker_for(app: App, clock: FixedClock, messenger: Messenger,
               platform: Platform = Platform.SHELL) -> DeliveryWorker:
    app.deps.messengers[platform] = messenger
    fake_time = FakeTime(clock)
    return DeliveryWorker(app.deps, sleep=fake_time.sleep, monotonic=fake_time.monotonic,
                          jitter=lambda: 0.5)


async def admin_desk(app: App, clock: FixedClock, name: str | None = None,
                     ) -> tuple[str, Talk, FakeMessenger, DeliveryWorker]:
    """A registered admin, their chat, and a worker sending through a FakeMessenger."""
    _, account = await make_person(app, Role.ADMIN, name=name)
    fake = FakeMessenger(clock)
    return account, Talk(app, account), fake, worker_for(app, clock, fake)


async def tick(app: App, worker: DeliveryWorker) -> None:
    """What the scheduler does each minute: the broadcast sweep, then the delivery worker."""
    await sweep_broadcasts(app.deps)
    await worker.drain()


async def compose(admin: Talk, text: str, audience: str = "Tất cả tổ trưởng tổ dân phố") -> int:
    """/thongbao → text → audience → preview; returns the draft id (the 'when' menu is shown)."""
    await admin.say("/thongbao")
    await admin.say(text)
    await admin.say(audience)
    assert "XEM TRƯỚC" in admin.text, admin.text
    return int(admin.text.split("thông báo số ", 1)[1].split(" ", 1)[0])


async def outbox_count(app: App, kind: str = "broadcast") -> int:
    async with app.deps.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Delivery)
                                  .where(Delivery.kind == kind)) or 0)
