"""Helpers shared by the handler modules: period choice, option menus, date formatting."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from core import texts
from core.texts import flows as ht
from core.textutil import fold, format_date, weekday_name
from core.types import Option, Reply
from handlers.router import Ctx, Handler
from handlers.state import Flow
from services.rounds import closed_text, round_name
from storage import assignments, entries, plans
from storage.calendar import working_calendar
from storage.plans import PeriodInfo, SectionInfo

PERIOD_STEP = "period"  # the value of every flow's PERIOD step: the period menu is answered


def local_today(ctx: Ctx) -> date:
    return ctx.deps.clock.today()


async def every_period(ctx: Ctx) -> list[PeriodInfo]:
    """All periods, read once per update (the period menu and a named period both need them)."""
    key = "every_period"
    if key not in ctx.memo:
        ctx.memo[key] = await plans.all_periods(ctx.s)
        for period in ctx.memo[key]:
            ctx.memo["period", period.id] = period
    periods: list[PeriodInfo] = ctx.memo[key]
    return periods


# The flows in which the caller reports for its unit: their menus leave out the ad-hoc rounds
# that do not ask the unit (the admins' /tonghop, /xuat, … list every open round).
UNIT_FLOWS = frozenset({Flow.REPORT, Flow.SUBMIT})


async def periods_for_choice(ctx: Ctx, *, for_unit: bool = False) -> list[PeriodInfo]:
    """Open rounds, nearest deadline first; `for_unit`: without the ad-hoc rounds that do not
    ask the caller's unit."""
    periods = plans.open_among(await every_period(ctx), local_today(ctx))
    unit_id = ctx.caller.unit_id if ctx.caller is not None else None
    if not for_unit or unit_id is None or not any(p.kind == "adhoc" for p in periods):
        return periods
    left_out = await assignments.rounds_not_asking(ctx.s, unit_id)
    return [p for p in periods if p.id not in left_out]


async def period_info(ctx: Ctx, period_id: int) -> PeriodInfo | None:
    """plans.period_by_id, read at most once per update."""
    key = ("period", period_id)
    if key not in ctx.memo:
        ctx.memo[key] = await plans.period_by_id(ctx.s, period_id)
    found: PeriodInfo | None = ctx.memo[key]
    return found


async def unit_sheet(ctx: Ctx, period_id: int, unit_id: int) -> entries.UnitSheet:
    """The unit's sections, tasks (its assigned ones) and current answers for the round, read
    at most once per update (one query)."""
    key = ("sheet", period_id, unit_id)
    if key not in ctx.memo:
        ctx.memo[key] = await entries.unit_sheet(ctx.s, period_id, unit_id)
    sheet: entries.UnitSheet = ctx.memo[key]
    return sheet


async def unit_outline(ctx: Ctx, period_id: int, unit_id: int) -> list[SectionInfo]:
    """The plan outline of the round cut to the unit's tasks; sections left without any task
    are left out (unit_sheet's one query, memoized per update)."""
    return (await unit_sheet(ctx, period_id, unit_id)).sections


def period_from_args(periods: list[PeriodInfo], args: str) -> PeriodInfo | None:
    key = fold(args)
    return next((p for p in periods if fold(p.code) == key or fold(p.title) == key), None)


def period_menu(periods: list[PeriodInfo], prompt: str) -> Reply:
    options = tuple(Option(f"p:{p.id}", round_name(p)) for p in periods)
    return Reply(f"{prompt}\n{texts.MENU_HINT}", options)


async def pick_period(ctx: Ctx, flow: str, prompt: str) -> tuple[PeriodInfo | None, list[Reply]]:
    """The period named in the args, the only open one, or a menu (flow step 'period')."""
    periods = await periods_for_choice(ctx, for_unit=flow in UNIT_FLOWS)
    if not periods:
        ctx.finish()
        return None, [Reply(ht.NO_OPEN_PERIOD)]
    if ctx.args:
        chosen = period_from_args(await every_period(ctx), ctx.args)
        if chosen is not None:
            return chosen, []
        ctx.goto(flow, PERIOD_STEP)
        return None, [Reply(ht.UNKNOWN_PERIOD.format(arg=ctx.args)), period_menu(periods, prompt)]
    if len(periods) == 1:
        return periods[0], []
    ctx.goto(flow, PERIOD_STEP)
    return None, [period_menu(periods, prompt)]


WithPeriod = Callable[[Ctx, PeriodInfo], Awaitable[list[Reply]]]


def period_command(flow: str, prompt: str, then: WithPeriod, doc: str = "", *,
                   open_only: bool = False) -> Handler:
    """A command that first settles the period (args, the only open one, or a menu).

    With open_only a closed round is refused however it was named (flows that write)."""

    async def start(ctx: Ctx) -> list[Reply]:
        period, replies = await pick_period(ctx, flow, prompt)
        if period is None:
            return replies
        return _closed(ctx, period) if open_only and period.closed else await then(ctx, period)

    start.__doc__ = doc or None
    return start


def period_step(then: WithPeriod, *, open_only: bool = False) -> Handler:
    """The flow step answering the period menu that period_command showed."""

    async def on_period(ctx: Ctx) -> list[Reply]:
        period = await chosen_period(ctx)
        if period is None:
            return choose_again(ctx)
        return _closed(ctx, period) if open_only and period.closed else await then(ctx, period)

    return on_period


def _closed(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    ctx.finish()
    return [Reply(closed_text(period))]


async def chosen_period(ctx: Ctx) -> PeriodInfo | None:
    if ctx.choice is None or not ctx.choice.id.startswith("p:"):
        return None
    return await period_info(ctx, int(ctx.choice.id[2:]))


async def deadline_text(ctx: Ctx, period: PeriodInfo) -> str:
    calendar = await working_calendar(ctx.s)
    deadline = calendar.effective_deadline(period.due_before)
    return f"{weekday_name(deadline)}, {format_date(deadline)}"


async def is_late(ctx: Ctx, period: PeriodInfo) -> bool:
    calendar = await working_calendar(ctx.s)
    return local_today(ctx) > calendar.effective_deadline(period.due_before)


def choose_again(ctx: Ctx) -> list[Reply]:
    """Re-show the current menu with a clear note when the answer matched nothing."""
    count = len(ctx.dialog.options)
    return [Reply(texts.CHOOSE_NUMBER.format(count=count), tuple(ctx.dialog.options))]
