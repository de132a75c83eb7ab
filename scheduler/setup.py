"""APScheduler wiring: an in-memory job store rebuilt at every start from stable job ids.

The database is the source of truth (outbox rows, periods, submissions); the jobs only tick.
`replace_existing=True` with fixed ids means a second start never piles up copies of a job."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from core.deps import Deps
from core.texts import scheduler as texts
from scheduler import jobs
from scheduler.delivery import DeliveryWorker

logger = logging.getLogger(__name__)

SWEEP_JOB = "sweep"
DELIVERY_JOB = "delivery"
SWEEP_EVERY_S = 60
# How soon a queued message starts out: idle, a tick is one read of the outbox per platform;
# at 5 s a city-wide broadcast lost ~7 s of its 200 before its first message (bench 7).
DELIVERY_EVERY_S = 1
MISFIRE_GRACE_S = 10 * 60
STOP_GRACE_S = 15


async def sweep_and_deliver(deps: Deps, worker: DeliveryWorker) -> None:
    """One sweep, then send what it enqueued right away (not at the next delivery tick)."""
    try:
        await jobs.sweep(deps)
    except Exception:
        logger.exception("sweep failed")
    await deliver(worker)


async def deliver(worker: DeliveryWorker) -> None:
    try:
        await worker.drain()
    except Exception:
        logger.exception("delivery worker failed")


class RunningJobs:
    """Counts job runs in progress, so a shutdown can let them finish instead of cancelling
    them between a send and its database write."""

    def __init__(self) -> None:
        self.count = 0
        self.idle = asyncio.Event()
        self.idle.set()

    def wrap(self, job: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        async def run(*args: object) -> None:
            self.count += 1
            self.idle.clear()
            try:
                await job(*args)
            finally:
                self.count -= 1
                if not self.count:
                    self.idle.set()

        run.__name__ = job.__name__
        return run


class _ExpectedOverlap(logging.Filter):
    """Drops APScheduler's warning that a run was skipped because the previous one is still
    going: with max_instances=1 that is the point (a long broadcast keeps the worker busy for
    minutes), and the warning would repeat every few seconds."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


logging.getLogger("apscheduler.scheduler").addFilter(_ExpectedOverlap())


def build_scheduler(deps: Deps, worker: DeliveryWorker, *, first_run: datetime | None = None,
                    running: RunningJobs | None = None) -> AsyncIOScheduler:
    """The sweep every minute and the delivery worker every few seconds, both at once on start
    (catch-up after downtime)."""
    scheduler = AsyncIOScheduler(timezone=deps.settings.tz,
                                 jobstores={"default": MemoryJobStore()})
    common = dict(replace_existing=True, coalesce=True, max_instances=1,
                  misfire_grace_time=MISFIRE_GRACE_S, next_run_time=first_run)
    running = running or RunningJobs()
    scheduler.add_job(running.wrap(sweep_and_deliver), IntervalTrigger(seconds=SWEEP_EVERY_S),
                      args=[deps, worker], id=SWEEP_JOB, name=texts.SWEEP_JOB_NAME, **common)
    scheduler.add_job(running.wrap(deliver), IntervalTrigger(seconds=DELIVERY_EVERY_S),
                      args=[worker], id=DELIVERY_JOB, name=texts.DELIVERY_JOB_NAME, **common)
    return scheduler


async def start_scheduler(deps: Deps) -> Callable[[], Awaitable[None]]:
    """A `run` service: start ticking now; the returned coroutine stops it."""
    worker = DeliveryWorker(deps)
    running = RunningJobs()
    scheduler = build_scheduler(deps, worker, first_run=datetime.now(deps.settings.tz),
                                running=running)
    scheduler.start()
    logger.info("scheduler started (sweep every %d s)", SWEEP_EVERY_S)

    async def stop() -> None:
        # No new runs, then let the runs in progress finish: shutting down at once would
        # cancel the worker between a send and its database write.
        scheduler.pause()
        try:
            await asyncio.wait_for(running.idle.wait(), STOP_GRACE_S)
        except TimeoutError:
            logger.warning("delivery still busy after %d s; stopping anyway", STOP_GRACE_S)
        scheduler.shutdown(wait=False)

    return stop
