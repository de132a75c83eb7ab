"""/tonghop (/summary): the ward's compiled picture of a period, for admins."""

from __future__ import annotations

from bot import texts
from bot.core import Platform, Reply, Role
from bot.router import Ctx, Router
from bot.texts import flows as t
from bot.textutil import format_date, weekday_name
from handlers import export
from handlers.common import choose_again, chosen_period, pick_period
from storage import quota
from storage.summary import STATUS_ORDER, PeriodSummary, UnitEntry, period_summary

FLOW = "summary"


async def start_summary(ctx: Ctx) -> list[Reply]:
    """/tonghop: tổng hợp báo cáo của các đơn vị trong kỳ."""
    period, replies = await pick_period(ctx, FLOW, t.SUMMARY_ASK_PERIOD)
    if period is None:
        return replies
    return await _summary(ctx, period.id)


async def on_period(ctx: Ctx) -> list[Reply]:
    period = await chosen_period(ctx)
    if period is None:
        return choose_again(ctx)
    ctx.finish()
    return await _summary(ctx, period.id)


async def _summary(ctx: Ctx, period_id: int) -> list[Reply]:
    summary = await period_summary(ctx.s, period_id)
    if summary is None:
        return [Reply(t.NO_OPEN_PERIOD)]
    zalo_quota = await quota.summary_note(ctx.s, ctx.deps.settings, ctx.now)
    replies = [Reply(format_summary(summary) + zalo_quota)]
    if ctx.msg.chat.platform is Platform.TELEGRAM:  # a Telegram extra (issue 7)
        replies.append(await export.chart_reply(ctx, summary))
    return replies


def format_summary(summary: PeriodSummary) -> str:
    """The chat digest: submissions, counts per task, difficulties and proposals by task."""
    deadline = f"{weekday_name(summary.deadline)}, {format_date(summary.deadline)}"
    blocks = [t.SUMMARY_HEADER.format(period=summary.period.title, plan=summary.plan_number,
                                      deadline=deadline)]
    blocks.append(_units_block(summary))
    blocks.append(_counts_block(summary))
    for title, field in ((t.SUMMARY_DIFFICULTIES, "difficulties"),
                         (t.SUMMARY_PROPOSALS, "proposals")):
        blocks.append(_digest_block(summary, title, field))
    return "\n\n".join(blocks)


def _names(units: list) -> str:  # type: ignore[type-arg]
    return ", ".join(u.name for u in units) if units else "không có"


def _units_block(summary: PeriodSummary) -> str:
    return "\n".join([
        t.SUMMARY_UNITS.format(total=len(summary.units)),
        f"- Đúng hạn ({len(summary.on_time)}): {_names(summary.on_time)}",
        f"- Nộp muộn ({len(summary.late)}): {_names(summary.late)}",
        f"- Chưa nộp ({len(summary.not_submitted)}): {_names(summary.not_submitted)}",
    ])


def _counts_block(summary: PeriodSummary) -> str:
    legend = ", ".join(f"{texts.STATUS_SHORT[s]} = {texts.STATUS_LABELS[s]}" for s in STATUS_ORDER)
    lines = [t.SUMMARY_COUNTS, f"({legend}; chưa BC = chưa báo cáo)"]
    for section in summary.sections:
        for task in section.tasks:
            counts = summary.status_counts(task.id)
            parts = [f"{texts.STATUS_SHORT[s]} {counts[s.value]}" for s in STATUS_ORDER]
            parts.append(f"chưa BC {counts['missing']}")
            lines.append(f"{task.code}: " + " · ".join(parts))
    return "\n".join(lines)


def _digest_block(summary: PeriodSummary, title: str, field: str) -> str:
    lines = [title]
    for section in summary.sections:
        for task in section.tasks:
            items: list[UnitEntry] = [e for e in summary.by_task.get(task.id, [])
                                      if getattr(e, field)]
            if items:
                lines.append(f"Nhiệm vụ {task.code} {task.short_title}:")
                lines += [f"- {e.unit_name}: {getattr(e, field)}" for e in items]
    if len(lines) == 1:
        lines.append(t.SUMMARY_NONE)
    return "\n".join(lines)


def setup(router: Router) -> None:
    router.command("tonghop", start_summary, roles={Role.ADMIN}, starts_flow=True,
                   aliases=("summary", "tong_hop"))
    router.step(FLOW, "period", on_period)



