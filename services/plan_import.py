"""Importing a plan from its official document (.docx or .txt): read, preview, then save.

`read_document` refuses a file over `MAX_PLAN_BYTES` before reading it, reads the paragraphs of a
.docx in order (table cells included: the Nghị định 30 header is a two-column table) or the lines
of a .txt, and gives `services.plan_reader.ParsedPlan`. `prepare` matches the units named in
«Tổ chức thực hiện» with the roster (accent-insensitively) and keeps the short titles already in
the database for tasks whose text is unchanged; `preview` is what the officer confirms; `save`
writes it in one transaction with `storage.plans.import_plan` (idempotent by number and codes).

The units the document gives a task to (lead, join; matched with the roster) become that task's
assignments on save (services.assignments); a task it names no unit for keeps its assignment."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.texts import plans as texts
from core.textutil import fold, format_date
from services import assignments
from services.plan_reader import (
    Line,
    ParsedPlan,
    PlanReadError,
    TaskUnits,
    UnitDuty,
    first_words,
    read_plan_lines,
)
from storage import plans, roster
from storage.catalog import PlanFile

MAX_PLAN_BYTES = 5 * 1024 * 1024
DOCUMENT_SUFFIXES = (".docx", ".txt")
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

__all__ = ["MAX_PLAN_BYTES", "Draft", "PlanReadError", "prepare", "prepare_in", "preview",
           "read_document", "save", "save_in"]


@dataclass(slots=True)
class Draft:
    """A plan read from a document, ready to preview and save."""

    parsed: ParsedPlan
    plan: PlanFile
    exists: bool
    kept_titles: int


def read_document(path: Path, max_bytes: int = MAX_PLAN_BYTES) -> ParsedPlan:
    """The plan in a .docx or .txt file; PlanReadError (reason, place) if it is not one."""
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise PlanReadError(texts.UNKNOWN_FORMAT)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PlanReadError(texts.CANNOT_OPEN.format(detail=exc.strerror)) from None
    if size > max_bytes:
        raise PlanReadError(texts.TOO_LARGE.format(size=_mb(size), limit=_mb(max_bytes)))
    if suffix == ".docx":
        return read_plan_lines(docx_lines(path), texts.PLACE_PARAGRAPH)
    return read_plan_lines(text_lines(path), texts.PLACE_LINE)


def text_lines(path: Path) -> list[Line]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise PlanReadError(texts.NOT_TEXT) from None
    except OSError as exc:
        raise PlanReadError(texts.CANNOT_OPEN.format(detail=exc.strerror)) from None
    return [Line(line, number) for number, line in enumerate(text.splitlines(), start=1)]


def docx_lines(path: Path) -> list[Line]:
    """Every paragraph in reading order, those of table cells too (row by row, left to right);
    a paragraph's soft line breaks give several lines with the paragraph's number."""
    import docx  # python-docx: loaded only when a Word file is read
    from docx.opc.exceptions import OpcError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, OpcError, KeyError, ValueError):
        raise PlanReadError(texts.NOT_DOCX) from None
    except OSError as exc:
        raise PlanReadError(texts.CANNOT_OPEN.format(detail=exc.strerror)) from None
    paragraphs: list[Paragraph] = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{_WORD}p":
            paragraphs.append(Paragraph(child, document))
        elif child.tag == f"{_WORD}tbl":
            seen: set[int] = set()
            for row in Table(child, document).rows:
                for cell in row.cells:
                    if id(cell._tc) not in seen:  # a merged cell repeats in every column
                        seen.add(id(cell._tc))
                        paragraphs.extend(cell.paragraphs)
    lines: list[Line] = []
    for number, paragraph in enumerate(paragraphs, start=1):
        numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        for text in paragraph.text.splitlines() or [""]:
            lines.append(Line(text, number, numbered))
    return lines


async def prepare(sessions: async_sessionmaker[AsyncSession], parsed: ParsedPlan) -> Draft:
    """Match the named units with the roster; keep the short titles of unchanged tasks."""
    async with sessions() as s:
        return await prepare_in(s, parsed)


async def prepare_in(s: AsyncSession, parsed: ParsedPlan) -> Draft:
    """prepare() inside the caller's session (a chat update's)."""
    units = [(u.code, u.name) for u in await roster.list_units(s)]
    existing = await plans.task_texts(s, parsed.plan.plan.number)
    _match_units(parsed, units)
    kept = 0
    tasks = []
    for task in parsed.plan.tasks:
        old = existing.get(task.code)
        if old and old[1] == task.full_text and old[0] != task.short_title:
            task = task.model_copy(update={"short_title": old[0]})
            kept += 1
        tasks.append(task)
    plan = parsed.plan.model_copy(update={"tasks": tasks})
    return Draft(parsed, plan, bool(existing), kept)


async def save(sessions: async_sessionmaker[AsyncSession], draft: Draft) -> plans.ImportReport:
    """Write the plan in one transaction: all of it or nothing."""
    async with sessions.begin() as s:
        return await save_in(s, draft)


async def save_in(s: AsyncSession, draft: Draft) -> plans.ImportReport:
    """save() inside the caller's transaction (a chat update's): all of it or nothing."""
    report = await plans.import_plan(s, draft.plan)
    await assignments.save_from_plan(s, report.plan_id, task_assignments(draft.parsed))
    return report


def task_assignments(parsed: ParsedPlan) -> dict[str, tuple[list[str], list[str]]]:
    """Task code → (lead unit codes, join unit codes), from what the document says per task:
    the task's own «chủ trì / phối hợp» and the numbered duties that name task codes."""
    units: dict[str, tuple[list[str], list[str]]] = {}
    for task_units in parsed.task_units:
        lead, join = units.setdefault(task_units.code, ([], []))
        lead += [c for c in task_units.lead_codes if c]
        join += [c for c in task_units.join_codes if c]
    for duty in parsed.duties:
        if duty.unit_code is None or duty.collective:
            continue
        for code in duty.tasks:
            lead, join = units.setdefault(code, ([], []))
            (lead if duty.lead else join).append(duty.unit_code)
    return units


def preview(draft: Draft) -> str:
    plan, parsed = draft.plan, draft.parsed
    head = plan.plan
    out = [texts.PREVIEW_HEAD.format(number=head.number, date=format_date(head.issued_on),
                                     issuer=head.issuer),
           texts.PREVIEW_TITLE.format(doc_type=head.doc_type, title=head.title),
           texts.PREVIEW_SIGNER.format(name=head.signer.name,
                                       authority=" / ".join(head.signer.authority_lines))]
    if head.recipients:
        out.append(texts.PREVIEW_RECIPIENTS.format(names="; ".join(head.recipients)))
    if draft.exists:
        out.append(texts.PREVIEW_EXISTS.format(number=head.number))
    out.append(texts.PREVIEW_COUNTS.format(sections=len(plan.sections), tasks=len(plan.tasks)))
    for section in plan.sections:
        out.append(texts.PREVIEW_SECTION.format(code=section.code, title=section.title))
        out += [texts.PREVIEW_TASK.format(code=t.code, words=first_words(t.full_text))
                for t in plan.tasks if t.section == section.code]
    if plan.periods:
        out.append(texts.PREVIEW_ROUNDS)
        out += [texts.PREVIEW_ROUND.format(code=p.code, title=p.display_title(),
                                           due=format_date(p.due_before)) for p in plan.periods]
    else:
        out.append(texts.PREVIEW_NO_ROUNDS)
    if parsed.duties or parsed.task_units:
        out.append(texts.PREVIEW_UNITS)
        out += [_duty_line(d) for d in parsed.duties]
        out += [_task_units_line(t) for t in parsed.task_units]
    notes = list(parsed.notes)
    if draft.kept_titles < len(plan.tasks):
        notes.append(texts.NOTE_TITLES)
    if notes:
        out.append(texts.PREVIEW_NOTES)
        out += [texts.PREVIEW_NOTE.format(note=n) for n in notes]
    return "\n".join(out)


def refusal(file: Path | str, error: PlanReadError) -> str:
    where = texts.REFUSED_AT.format(place=error.place) if error.place else ""
    return texts.REFUSED.format(file=file, where=where, reason=error.reason)


def _duty_line(duty: UnitDuty) -> str:
    code = texts.PREVIEW_UNIT_CODE.format(code=duty.unit_code) if duty.unit_code else ""
    role = texts.PREVIEW_UNIT_LEAD if duty.lead else ""
    if duty.tasks:
        role += texts.PREVIEW_UNIT_TASKS.format(codes=", ".join(duty.tasks))
    return texts.PREVIEW_UNIT.format(name=duty.name, code=code, role=role)


def _task_units_line(units: TaskUnits) -> str:
    def names(written: list[str], codes: list[str | None]) -> str:
        shown = [f"{n} [{c}]" if c else n for n, c in zip(written, codes, strict=False)]
        return ", ".join(shown) or texts.PREVIEW_NONE

    return texts.PREVIEW_TASK_UNITS.format(code=units.code,
                                           lead=names(units.lead, units.lead_codes),
                                           join=names(units.join, units.join_codes))


def match_unit(name: str, units: list[tuple[str, str]]) -> str | None:
    """The roster code of a unit written as `name` ("Phòng Văn hóa - Xã hội phường" → VHXH)."""
    key = _unit_key(name)
    for code, unit_name in units:
        if key in (_unit_key(unit_name), fold(code)):
            return code
    return None


def _unit_key(name: str) -> str:
    key = fold(name).rstrip(" .:;")
    for suffix in (" phuong", " xa", " thi tran"):
        key = key.removesuffix(suffix)
    return key


def _match_units(parsed: ParsedPlan, units: list[tuple[str, str]]) -> None:
    for duty in parsed.duties:
        duty.unit_code = match_unit(duty.name, units)
        if duty.unit_code is None and not duty.collective:
            parsed.notes.append(texts.NOTE_UNIT_UNMATCHED.format(place=duty.place, name=duty.name))
    for task_units in parsed.task_units:
        task_units.lead, task_units.lead_codes = _resolve(task_units.lead, units)
        task_units.join, task_units.join_codes = _resolve(task_units.join, units)


def _resolve(pieces: list[str], units: list[tuple[str, str]],
             ) -> tuple[list[str], list[str | None]]:
    """Names split at commas, rejoined where the joined name is a roster unit's."""
    names: list[str] = []
    codes: list[str | None] = []
    at = 0
    while at < len(pieces):
        for width in (3, 2, 1):
            name = ", ".join(pieces[at:at + width])
            code = match_unit(name, units)
            if code or width == 1:
                names.append(name)
                codes.append(code)
                at += max(1, min(width, len(pieces) - at))
                break
    return names, codes


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")
