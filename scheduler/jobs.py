"""The once-a-minute sweep: plain async functions over Deps, safe to run late or twice."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from core.deps import Deps
from services import backups, broadcasts, city, reminders, wards
from storage import events, plans
from storage.calendar import working_calendar
from storage.scoping import use_ward

logger = logging.getLogger(__name__)

SweepHook = Callable[[Deps], Awaitable[None]]


async def plan_reminders(deps: Deps) -> int:
    """Enqueue the reminders and digests that are due now; returns the new outbox rows. Ward
    by ward: each ward's rounds, calendar, units and admins (issue 19)."""
    async with deps.sessions() as s:
        every = await wards.sweep_wards(s)
    written = 0
    for ward_id in every:
        written += await _plan_ward_reminders(deps, ward_id)
    return written


async def _plan_ward_reminders(deps: Deps, ward_id: int | None) -> int:
    now, settings = deps.clock.now(), deps.settings
    written = 0
    async with deps.sessions.begin() as s:
        use_ward(s, ward_id)
        calendar = await working_calendar(s)
        for period in await plans.all_periods(s):
            if period.closed:
                continue
            plan = reminders.plan_period(period, calendar, settings)
            slot = reminders.due_slot(plan, now)
            if not reminders.in_office_hours(now, calendar, settings):
                slot = None
            today = reminders.digest_day(plan, calendar, now, settings)
            if slot is None and today is None:
                continue
            gaps, unit_count = await reminders.units_missing(s, period)
            if not gaps:
                continue
            if slot is not None:
                days_left = calendar.working_days_until(deps.clock.today(), plan.deadline)
                written += await reminders.enqueue_reminders(
                    s, plan, gaps, slot.day.isoformat(), now, days_left)
            if today is not None:
                written += await reminders.enqueue_digests(s, plan, gaps, unit_count, today, now)
    return written


async def prune_inbound_events(deps: Deps) -> None:
    """Keep the de-duplication table small: ids past any redelivery window are dropped."""
    async with deps.sessions.begin() as s:
        await events.forget_older_than(s, deps.clock.now() - events.RETENTION)


# Extra idempotent hooks run by every sweep.
SWEEPS: list[SweepHook] = [broadcasts.sweep_broadcasts, prune_inbound_events,
                           backups.housekeeping, city.sweep_city_reminders]


async def sweep(deps: Deps) -> int:
    """Reminders, digests, then every registered hook; one failing hook never stops the rest."""
    written = await plan_reminders(deps)
    for hook in SWEEPS:
        try:
            await hook(deps)
        except Exception:
            logger.exception("sweep hook %s failed", getattr(hook, "__name__", hook))
    deps.ops.swept()
    if written:
        logger.info("sweep enqueued %d messages", written)
    return written
