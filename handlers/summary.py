"""/tonghop (/summary): the ward's compiled picture of a period, for admins."""

from __future__ import annotations

from core import texts
from core.texts import flows as t
from core.texts import menus
from core.texts import summary_digest as tc
from core.textutil import format_date, weekday_name
from core.types import Option, Reply, Role
from handlers import export, report_sections
from handlers.common import PERIOD_STEP, period_command, period_step
from handlers.more import MORE, folded_text
from handlers.router import Ctx, Router
from handlers.state import Flow
from services import zalo_quota
from services.exports import grouped_texts
from storage.plans import PeriodInfo
from storage.summary import STATUS_ORDER, PeriodSummary, UnitEntry, period_summary

FLOW = Flow.SUMMARY
# The chat digest lists every unit and opinion up to these sizes; beyond them (a city-wide
# deployment: 5,000 units) it condenses, because hundreds of Telegram messages help nobody.
# The DOCX/XLSX exports always keep everything.
NAMES_LIMIT = 30
DIGEST_LINES_LIMIT = 60
OPINIONS_PER_TASK = 5


async def _compile(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    ctx.finish()
    return await _summary(ctx, period.id)


# /tonghop: the ward's summary of the units' reports for a period.
start_summary = period_command(FLOW, t.SUMMARY_ASK_PERIOD, _compile)
on_period = period_step(_compile)


async def _summary(ctx: Ctx, period_id: int) -> list[Reply]:
    summary = await period_summary(ctx.s, period_id, details=False)
    if summary is None:
        return [Reply(t.NO_OPEN_PERIOD)]
    quota_line = await zalo_quota.summary_note(ctx.s, ctx.deps.settings, ctx.now)
    # A phone's screen: who submitted first; the counts per task, the difficulties and the
    # proposals one "xem thêm" away (the exports hold everything).
    blocks = summary_blocks(summary)
    shown = folded_text(ctx, blocks[:2], "\n\n".join(blocks[2:]).split("\n"), tc.MORE_WHAT)
    period = summary.period
    # The digest leads on: the rest, drafting the report's parts (issue 16), the files, the
    # units not submitted yet.
    options = (report_sections.digest_option(period),
               *((Option(f"cmd:{MORE}", menus.MORE),) if ctx.more else ()),
               Option(f"cmd:xuat:{period.code}", menus.EXPORT))
    text = "\n\n".join(shown) + quota_line + "\n\n" + tc.NEXT_STEPS
    replies = [Reply(text, options)]
    chart = await export.chart_reply(ctx, summary)  # where the chat can show a picture
    if chart is not None:
        replies.append(chart)
    return replies


def format_summary(summary: PeriodSummary) -> str:
    """The whole digest: submissions, counts per task, difficulties and proposals by task."""
    return "\n\n".join(summary_blocks(summary))


def summary_blocks(summary: PeriodSummary) -> list[str]:
    """The digest's blocks: header, submissions, counts per task, difficulties, proposals
    (and a hint when a city-scale list was condensed)."""
    deadline = f"{weekday_name(summary.deadline)}, {format_date(summary.deadline)}"
    blocks = [t.SUMMARY_HEADER.format(period=summary.period.title.upper(),
                                      plan=summary.plan_number,
                                      deadline=deadline)]
    blocks.append(_units_block(summary))
    blocks.append(_counts_block(summary))
    for title, field in ((t.SUMMARY_DIFFICULTIES, "difficulties"),
                         (t.SUMMARY_PROPOSALS, "proposals")):
        blocks.append(_digest_block(summary, title, field))
    if len(summary.units) > NAMES_LIMIT or any(
            len(b.splitlines()) > DIGEST_LINES_LIMIT for b in blocks):
        blocks.append(tc.FULL_LIST_HINT)
    return blocks


def _names(units: list) -> str:  # type: ignore[type-arg]
    if not units:
        return tc.NO_UNITS
    names = "; ".join(u.name for u in units[:NAMES_LIMIT])  # names hold commas
    if len(units) > NAMES_LIMIT:
        names += " " + tc.MORE_UNITS.format(count=len(units) - NAMES_LIMIT)
    return names


def _units_block(summary: PeriodSummary) -> str:
    lines = [
        t.SUMMARY_UNITS.format(total=len(summary.units)),
        tc.UNITS_ON_TIME.format(count=len(summary.on_time), names=_names(summary.on_time)),
        tc.UNITS_LATE.format(count=len(summary.late), names=_names(summary.late)),
        tc.UNITS_NOT_SUBMITTED.format(count=len(summary.not_submitted),
                                      names=_names(summary.not_submitted)),
    ]
    edited = [u for u in summary.units if u.edited_after_submission]
    if edited:
        lines += [tc.EDITED_NOT_RESUBMITTED.format(count=len(edited), names=_names(edited)),
                  tc.EDITED_NOTE]
    return "\n".join(lines)


def _counts_block(summary: PeriodSummary) -> str:
    legend = ", ".join(f"{texts.STATUS_SHORT[s]} = {texts.STATUS_LABELS[s]}" for s in STATUS_ORDER)
    missing = texts.STATUS_SHORT["missing"]
    lines = [t.SUMMARY_COUNTS, tc.COUNTS_LEGEND.format(legend=legend, missing=missing)]
    for section in summary.sections:
        for task in section.tasks:
            counts = summary.status_counts(task.id)
            parts = [f"{texts.STATUS_SHORT[s]} {counts[s.value]}" for s in STATUS_ORDER]
            parts.append(f"{missing} {counts['missing']}")
            lines.append(f"{task.code}: " + " · ".join(parts))
    return "\n".join(lines)


def _digest_block(summary: PeriodSummary, title: str, field: str) -> str:
    lines = [title]
    for section in summary.sections:
        for task in section.tasks:
            items: list[UnitEntry] = [e for e in summary.by_task.get(task.id, [])
                                      if getattr(e, field)]
            if items:
                lines.append(tc.TASK_HEADING.format(code=task.code, title=task.short_title))
                lines += [f"- {e.unit_name}: {getattr(e, field)}" for e in items]
    if len(lines) == 1:
        lines.append(t.SUMMARY_NONE)
    if len(lines) > DIGEST_LINES_LIMIT:
        return _grouped_block(summary, title, field)
    return "\n".join(lines)


def _grouped_block(summary: PeriodSummary, title: str, field: str) -> str:
    """The condensed form: per task, the most frequent texts with how many units wrote them."""
    lines = [title]
    for task, groups in grouped_texts(summary, field):
        ranked = sorted(groups, key=lambda g: -len(g.units))
        lines.append(tc.TASK_HEADING.format(code=task.code, title=task.short_title))
        lines += [tc.GROUPED_LINE.format(text=g.text, count=len(g.units))
                  for g in ranked[:OPINIONS_PER_TASK]]
        if len(ranked) > OPINIONS_PER_TASK:
            lines.append(tc.MORE_OPINIONS.format(count=len(ranked) - OPINIONS_PER_TASK))
    return "\n".join(lines)


def setup(router: Router) -> None:
    router.command("tonghop", start_summary, roles={Role.ADMIN}, starts_flow=True,
                   aliases=("summary", "tong_hop"))
    router.step(FLOW, PERIOD_STEP, on_period)



