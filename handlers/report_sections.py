"""/soanbaocao (admins, also offered under /tonghop's digest): the parts of the ward's Báo cáo
that only people can write (issue 16), one step per part, then Nơi nhận and the signer.

Each step shows the part's name, what is saved now, and as material the difficulties and
proposals the units submitted in the round; the admin types the text, keeps the old one
("Giữ nội dung cũ") or leaves the part empty ("Bỏ qua"). Nothing is saved until the last step;
then every changed part is saved as a new version (services/report_sections.py keeps the
history) and the admin is told how to download the report (/xuat)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from core.texts import flows as ft
from core.texts import menus
from core.texts import report as tr
from core.types import Option, Reply, Role
from handlers.common import period_command, period_info, period_step
from handlers.router import Ctx, Router
from handlers.state import Flow, decode
from services import report_sections as sections
from services.exports import grouped_texts
from services.wards import ward_settings
from storage.plans import PeriodInfo
from storage.summary import PeriodSummary, period_summary

FLOW = Flow.REPORT_SECTIONS
# The material shown under a part: short enough that the whole step fits one Zalo message
# (2,000 characters) with the saved text's usual length; the full texts are in the Tổng hợp.
MATERIAL_LIMIT = 1_500
MATERIAL_UNIT_NAMES = 3
PART_LIMIT = 6_000  # characters the admin may type for one part
KEEP = Option("keep", menus.KEEP_OLD)
SKIP = Option("skip", menus.SKIP)


class Step(StrEnum):
    """The period menu, then one step per part, in the order the report prints them."""

    PERIOD = "period"
    OVERVIEW = "overview"
    STRENGTHS = "strengths"
    WEAKNESSES = "weaknesses"
    CAUSES = "causes"
    DIRECTION = "direction"
    PROPOSALS = "proposals"
    RECIPIENTS = sections.RECIPIENTS
    SIGNER_TITLE = sections.SIGNER_TITLE
    SIGNER_NAME = sections.SIGNER_NAME


PARTS = tuple(Step(key) for key in sections.KEYS)
# Which of the units' texts are material for a part (the others: both).
MATERIAL_FOR = {Step.WEAKNESSES: ("difficulties",), Step.CAUSES: ("difficulties",),
                Step.PROPOSALS: ("proposals",), Step.DIRECTION: ("proposals",)}
MATERIAL_TITLES = {"difficulties": tr.MATERIAL_DIFFICULTIES,
                   "proposals": tr.MATERIAL_PROPOSALS}
ASK = {Step.RECIPIENTS: tr.PART_ASK_RECIPIENTS, Step.SIGNER_TITLE: tr.PART_ASK_SIGNER_TITLE,
       Step.SIGNER_NAME: tr.PART_ASK_SIGNER_NAME}


@dataclass(frozen=True, slots=True)
class SectionsDraft:
    """The round, the material read once at the start, and the answers typed so far (a part
    not in `answers` keeps its saved text; "" leaves it empty)."""

    period_id: int
    difficulties: str = ""
    proposals: str = ""
    answers: dict[str, str] = field(default_factory=dict)


def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut after a whole word, with a note where it was cut."""
    if len(text) <= limit:
        return text
    room = limit - len(tr.MATERIAL_CUT) - 1
    head = text[:room]
    if " " in head and not text[room].isspace():
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,;:.-\n") + tr.MATERIAL_CUT


def material(summary: PeriodSummary, field_name: str) -> str:
    """The units' submitted texts of one kind, by task, the same text listed once."""
    lines = []
    for task, groups in grouped_texts(summary, field_name):
        for group in groups:
            names = "; ".join(group.units[:MATERIAL_UNIT_NAMES])  # names hold commas
            if len(group.units) > MATERIAL_UNIT_NAMES:
                names = tr.MATERIAL_MORE_UNITS.format(
                    names=names, count=len(group.units) - MATERIAL_UNIT_NAMES)
            lines.append(tr.MATERIAL_LINE.format(units=f"{task.code} {names}", text=group.text))
    return _cut("\n".join(lines), MATERIAL_LIMIT)


async def _begin(ctx: Ctx, period: PeriodInfo) -> list[Reply]:
    summary = await period_summary(ctx.s, period.id, details=False)
    if summary is None:
        ctx.finish()
        return [Reply(ft.NO_OPEN_PERIOD)]
    draft = SectionsDraft(period.id, material(summary, "difficulties"),
                          material(summary, "proposals"))
    intro = Reply(tr.SECTIONS_INTRO.format(period=period.title.upper(), total=len(PARTS)))
    return [intro, *await _ask(ctx, draft, PARTS[0])]


start_sections = period_command(FLOW, tr.SECTIONS_ASK_PERIOD, _begin)
on_period = period_step(_begin)


async def _ask(ctx: Ctx, draft: SectionsDraft, step: Step) -> list[Reply]:
    """Show one part: its name, what is saved, the material; wait for the admin's answer."""
    ctx.move(FLOW, step, draft)
    parts = await sections.load_parts(ctx.s, draft.period_id, sections.defaults_from(
        await ward_settings(ctx.s, ctx.deps.settings)))
    blocks = [tr.PART_STEP.format(index=PARTS.index(step) + 1, total=len(PARTS),
                                  name=tr.PART_NAMES[step])]
    if step in ASK:
        current = _addressing(parts, step)
        blocks.append(tr.PART_DEFAULT.format(text=current) if current
                      else tr.SIGNER_FROM_PLAN if step == Step.SIGNER_NAME
                      else tr.PART_NOTHING_SAVED)
        blocks.append(ASK[step])
        return [Reply("\n\n".join(blocks), (KEEP,))]
    saved = parts.texts.get(step, "")
    blocks.append(tr.PART_CURRENT.format(text=saved) if saved else tr.PART_NOTHING_SAVED)
    for kind in MATERIAL_FOR.get(step, ("difficulties", "proposals")):
        found = getattr(draft, kind)
        blocks.append(f"{MATERIAL_TITLES[kind]}\n{found or ft.SUMMARY_NONE}")
    blocks.append(tr.PART_ASK_TEXT if saved else tr.PART_ASK_TEXT_NEW)
    return [Reply("\n\n".join(blocks), (KEEP, SKIP) if saved else (SKIP,))]


def _addressing(parts: sections.ReportParts, step: Step) -> str:
    if step == Step.RECIPIENTS:
        return "\n".join(parts.recipients)
    if step == Step.SIGNER_TITLE:
        return "\n".join(parts.signer_title)
    return parts.signer_name


async def on_part(ctx: Ctx) -> list[Reply]:
    """An answer to one part: a typed text, "Giữ nội dung cũ" or "Bỏ qua"."""
    step = Step(ctx.dialog.step or "")
    draft = ctx.draft(SectionsDraft)
    choice = ctx.choice.id if ctx.choice is not None else ""
    answers = dict(draft.answers)
    if choice == "skip":
        answers[step.value] = ""
    elif choice != "keep":
        typed = ctx.text.strip()
        if not typed:
            return [Reply(tr.PART_EMPTY_TEXT, tuple(ctx.dialog.options))]
        if len(typed) > PART_LIMIT:
            return [Reply(tr.PART_TOO_LONG.format(length=len(typed), limit=PART_LIMIT),
                          tuple(ctx.dialog.options))]
        answers[step.value] = typed
    draft = replace(draft, answers=answers)
    following = PARTS.index(step) + 1
    if following < len(PARTS):
        return await _ask(ctx, draft, PARTS[following])
    return await _save(ctx, draft)


async def _save(ctx: Ctx, draft: SectionsDraft) -> list[Reply]:
    ctx.finish()
    period = await period_info(ctx, draft.period_id)
    if period is None:
        return [Reply(ft.NO_OPEN_PERIOD)]
    await sections.save_parts(ctx.s, period_id=draft.period_id, parts=draft.answers,
                              author_id=ctx.person_id(), now=ctx.now)
    if not draft.answers:
        return [Reply(tr.PARTS_UNCHANGED.format(period=period.title, code=period.code))]
    changed = "; ".join(tr.PART_NAMES[key] if text else
                        tr.PART_CLEARED.format(name=tr.PART_NAMES[key])
                        for key, text in draft.answers.items())
    return [Reply(tr.PARTS_SAVED.format(period=period.title, changed=changed,
                                        code=period.code))]


def digest_option(period: PeriodInfo) -> Option:
    """The /tonghop digest's way into this flow for the round it shows."""
    return Option(f"cmd:soanbaocao:{period.code}", tr.DIGEST_OPTION)


def setup(router: Router) -> None:
    router.command("soanbaocao", start_sections, roles={Role.ADMIN}, starts_flow=True,
                   aliases=("soan_bao_cao", "report_sections"))
    router.flow(FLOW, {Step.PERIOD: on_period, **{step: on_part for step in PARTS}})
    router.keeps_typed(FLOW, unsaved)


def unsaved(data: dict[str, Any]) -> str:
    """The parts typed in this dialog (nothing is saved before its last step)."""
    answers = decode(SectionsDraft, data).answers
    return tr.UNSAVED_PARTS.format(count=len(answers)) if answers else ""
