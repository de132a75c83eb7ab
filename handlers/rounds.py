"""/kybaocao (admins): add the year's rounds or an ad-hoc round, close or reopen a round."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from core.texts import rounds as t
from core.textutil import format_date, parse_date, shorten
from core.types import Option, Reply, Role
from handlers.common import choose_again
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import rounds
from storage import events, plans, roster
from storage.plans import PeriodInfo

FLOW = Flow.ROUNDS
ADMIN = {Role.ADMIN}
MENU = (Option("m:year", t.MENU_YEAR), Option("m:adhoc", t.MENU_ADHOC),
        Option("m:close", t.MENU_CLOSE), Option("m:reopen", t.MENU_REOPEN),
        Option("m:copy", t.MENU_COPY))
CONFIRM = (Option("yes", t.COPY_YES), Option("no", t.COPY_NO))
ALL_TASKS = (Option("all", t.ADHOC_ALL_TASKS),)
ALL_UNITS = (Option("all", t.ADHOC_ALL_UNITS),)


@dataclass(frozen=True, slots=True)
class RoundsDraft:
    title: str = ""  # of an ad-hoc round
    due: str = ""  # ISO date of an ad-hoc round
    tasks: tuple[str, ...] = ()  # codes of the tasks an ad-hoc round asks for; (): all
    number: str = ""  # of next year's plan
    issued: str = ""  # ISO date of next year's plan


class Step(StrEnum):
    MENU = "menu"
    YEAR = "year"
    ADHOC_TITLE = "adhoc_title"
    ADHOC_DUE = "adhoc_due"
    ADHOC_TASKS = "adhoc_tasks"
    ADHOC_UNITS = "adhoc_units"
    CLOSE = "close"
    REOPEN = "reopen"
    COPY = "copy"
    COPY_CONFIRM = "copy_confirm"


async def start_rounds(ctx: Ctx) -> list[Reply]:
    """/kybaocao: quản lý kỳ báo cáo (thêm kỳ trong năm, kỳ đột xuất, khóa, mở lại)."""
    ctx.move(FLOW, Step.MENU, RoundsDraft())
    return [Reply(t.MENU, MENU)]


async def on_menu(ctx: Ctx) -> list[Reply]:
    choice = ctx.choice.id if ctx.choice else ""
    if choice == "m:year":
        ctx.move(FLOW, Step.YEAR, RoundsDraft())
        return [Reply(t.ASK_YEAR.format(year=ctx.deps.clock.today().year + 1))]
    if choice == "m:adhoc":
        ctx.move(FLOW, Step.ADHOC_TITLE, RoundsDraft())
        return [Reply(t.ASK_ADHOC_TITLE)]
    if choice == "m:copy":
        ctx.move(FLOW, Step.COPY, RoundsDraft())
        return [Reply(t.ASK_COPY.format(year=ctx.deps.clock.today().year))]
    if choice in ("m:close", "m:reopen"):
        closing = choice == "m:close"
        listed = [p for p in await plans.all_periods(ctx.s) if p.closed != closing]
        if not listed:
            ctx.finish()
            return [Reply(t.NONE_TO_CLOSE if closing else t.NONE_TO_REOPEN)]
        return ask_which(ctx, listed, closing=closing)
    return choose_again(ctx)


def ask_which(ctx: Ctx, listed: list[PeriodInfo], *, closing: bool) -> list[Reply]:
    """The menu of rounds to close or reopen (also /moky's)."""
    ctx.move(FLOW, Step.CLOSE if closing else Step.REOPEN, RoundsDraft())
    options = tuple(Option(f"p:{p.id}", rounds.round_name(p)) for p in listed)
    return [Reply(t.ASK_WHICH_CLOSE if closing else t.ASK_WHICH_REOPEN, options)]


async def on_year(ctx: Ctx) -> list[Reply]:
    typed = ctx.text.strip()
    if not typed.isdigit():
        return [Reply(t.BAD_YEAR.format(year=shorten(typed, 10)))]
    try:
        added = await rounds.add_yearly_rounds(ctx.s, int(typed))
    except rounds.RoundRefused as refused:
        return [Reply(str(refused))]
    await _audit(ctx, "rounds_added", year=int(typed), codes=[p.code for p in added.added])
    ctx.finish()
    return [Reply(rounds.added_text(added))]


async def on_adhoc_title(ctx: Ctx) -> list[Reply]:
    title = " ".join(ctx.text.split())
    if not 3 <= len(title) <= 200:
        return [Reply(t.BAD_TITLE)]
    ctx.move(FLOW, Step.ADHOC_DUE, RoundsDraft(title=title))
    example = format_date(ctx.deps.clock.today() + timedelta(days=14))
    return [Reply(t.ASK_ADHOC_DUE.format(example=example))]


async def on_adhoc_due(ctx: Ctx) -> list[Reply]:
    due = parse_date(ctx.text)
    if due is None:
        return [Reply(t.BAD_DATE.format(text=shorten(ctx.text.strip(), 20)))]
    if due <= ctx.deps.clock.today():
        return [Reply(t.PAST_DUE.format(day=format_date(due)))]
    ctx.move(FLOW, Step.ADHOC_TASKS, replace(ctx.draft(RoundsDraft), due=due.isoformat()))
    return [Reply(t.ASK_ADHOC_TASKS, ALL_TASKS)]


def _typed_codes(ctx: Ctx) -> list[str]:
    return [] if ctx.choice is not None and ctx.choice.id == "all" else \
        rounds.split_codes(ctx.text)


async def on_adhoc_tasks(ctx: Ctx) -> list[Reply]:
    tasks = _typed_codes(ctx)
    try:
        plan = await rounds.latest_plan(ctx.s)
        await rounds.scope_ids(ctx.s, plan.id, tasks, [])
    except rounds.RoundRefused as refused:
        return [Reply(str(refused), ALL_TASKS)]
    ctx.move(FLOW, Step.ADHOC_UNITS, replace(ctx.draft(RoundsDraft), tasks=tuple(tasks)))
    codes = ", ".join(u.code for u in await roster.list_units(ctx.s))
    return [Reply(t.ASK_ADHOC_UNITS.format(codes=codes), ALL_UNITS)]


async def on_adhoc_units(ctx: Ctx) -> list[Reply]:
    draft, units = ctx.draft(RoundsDraft), _typed_codes(ctx)
    try:
        period = await rounds.add_adhoc_round(ctx.s, draft.title, date.fromisoformat(draft.due),
                                              ctx.deps.clock.today(),
                                              task_codes=list(draft.tasks), unit_codes=units)
    except rounds.RoundRefused as refused:
        return [Reply(str(refused), ALL_UNITS)]
    await _audit(ctx, "round_added", code=period.code, tasks=list(draft.tasks), units=units)
    ctx.finish()
    return [Reply(rounds.adhoc_text(period, list(draft.tasks), units))]


async def on_close(ctx: Ctx) -> list[Reply]:
    return await _set_closed(ctx, closing=True)


async def on_reopen(ctx: Ctx) -> list[Reply]:
    return await _set_closed(ctx, closing=False)


async def _set_closed(ctx: Ctx, *, closing: bool) -> list[Reply]:
    if ctx.choice is None or not ctx.choice.id.startswith("p:"):
        return choose_again(ctx)
    return await set_closed(ctx, ctx.choice.id[2:], closing=closing)


async def set_closed(ctx: Ctx, named: str, *, closing: bool) -> list[Reply]:
    """Close or reopen a round through the service; also /khoaky's and /moky's last step."""
    ctx.finish()
    try:
        period = await rounds.set_closed(ctx.s, named, closing, ctx.now)
    except rounds.RoundRefused as refused:
        return [Reply(str(refused))]
    await _audit(ctx, "period_closed" if closing else "period_reopened", period=period.id)
    text = t.CLOSED if closing else t.REOPENED
    return [Reply(text.format(name=rounds.round_name(period), code=period.code))]


async def on_copy(ctx: Ctx) -> list[Reply]:
    """'12/KH-UBND 15/01/2026': the new plan's number and date; its year is the date's."""
    number, _, typed_date = ctx.text.strip().rpartition(" ")
    issued = parse_date(typed_date)
    if not number.strip() or issued is None:
        return [Reply(t.BAD_COPY.format(year=ctx.deps.clock.today().year))]
    try:
        preview = await rounds.copy_plan(ctx.s, number, issued, issued.year, dry_run=True)
    except rounds.RoundRefused as refused:
        return [Reply(str(refused))]
    ctx.move(FLOW, Step.COPY_CONFIRM,
             RoundsDraft(number=number.strip(), issued=issued.isoformat()))
    return [Reply(t.COPY_PREVIEW.format(
        number=preview.number, date=format_date(issued), source=preview.source,
        sections=preview.sections, tasks=preview.tasks, year=issued.year,
        rounds=", ".join(preview.rounds)), CONFIRM)]


async def on_copy_confirm(ctx: Ctx) -> list[Reply]:
    if ctx.choice is None or ctx.choice.id not in ("yes", "no"):
        return choose_again(ctx)
    draft = ctx.draft(RoundsDraft)
    ctx.finish()
    if ctx.choice.id == "no":
        return [Reply(t.NOT_CONFIRMED)]
    issued = date.fromisoformat(draft.issued)
    try:
        done = await rounds.copy_plan(ctx.s, draft.number, issued, issued.year)
    except rounds.RoundRefused as refused:
        return [Reply(str(refused))]
    await _audit(ctx, "plan_copied", number=done.number, source=done.source)
    return [Reply(t.COPY_DONE.format(number=done.number, tasks=done.tasks,
                                     rounds=", ".join(done.rounds) or "—"))]


async def _audit(ctx: Ctx, action: str, **details: object) -> None:
    actor = ctx.caller.person_id if ctx.caller else None
    await events.audit(ctx.s, ctx.now, actor, action, **details)


def setup(router: Router) -> None:
    router.command("kybaocao", start_rounds, roles=ADMIN, starts_flow=True,
                   aliases=("ky_bao_cao", "quanlyky", "rounds"))
    for step, handler in ((Step.MENU, on_menu), (Step.YEAR, on_year),
                          (Step.ADHOC_TITLE, on_adhoc_title), (Step.ADHOC_DUE, on_adhoc_due),
                          (Step.ADHOC_TASKS, on_adhoc_tasks), (Step.ADHOC_UNITS, on_adhoc_units),
                          (Step.CLOSE, on_close), (Step.REOPEN, on_reopen),
                          (Step.COPY, on_copy), (Step.COPY_CONFIRM, on_copy_confirm)):
        router.step(FLOW, step, handler)
