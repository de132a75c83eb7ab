"""The ward's compiled report as a DOCX draft in the Nghị định 30/2020 layout (domain.md §6–7).

Header block, title, opening sentence citing the plan, I. results by section and task,
II. difficulties, III. proposals, closing "./.", Nơi nhận and signer, then an appendix.

A ward (up to FULL_LAYOUT_MAX_UNITS units) gets every unit's result under every task. Above
that (a city-wide deployment: thousands of units, 115,000 results) a report listing them all
would be unreadable and take minutes to build, so each task shows its status counts and the
most frequent texts, and the late / not-submitted lists are one paragraph each; the XLSX keeps
every row. python-docx is imported here, never at bot start."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Length, Mm

from core.texts import exports as tx
from core.texts import exports_scale as ts
from core.textutil import document_date, shorten
from core.types import Status
from services.exports import (
    COUNT_KEYS,
    Grouped,
    Issuer,
    group_by_text,
    grouped_texts,
    most_frequent_first,
    status_label,
    tasks_in_order,
    xml_safe,
)
from services.exports.docx_layout import (
    TEXT_WIDTH,
    body,
    centred,
    fixed_table,
    header_block,
    recipient_lines,
    repeat_header_row,
    rule,
    setup_page,
    setup_styles,
    signature_block,
    write,
)
from storage.summary import PeriodSummary, UnitEntry

APPENDIX_WIDTHS: list[Length] = [Mm(13), Mm(62), Mm(18), Mm(18), Mm(18), Mm(18), Mm(18)]
# A ward has 5–40 units; every unit's result is listed up to this many.
FULL_LAYOUT_MAX_UNITS = 40
# The compact layout, per task: this many distinct texts, each naming this many units, each
# clipped to this many characters.
TEXTS_PER_TASK = 5
NAMES_PER_TEXT = 3
TEXT_MAX_CHARS = 400


def is_compact(summary: PeriodSummary) -> bool:
    return len(summary.units) > FULL_LAYOUT_MAX_UNITS


def agency(issuer: Issuer) -> str:
    return tx.AGENCY_FULL.format(kind=issuer.ward_kind, name=issuer.ward_name)


def write_docx(summary: PeriodSummary, issuer: Issuer, path: Path) -> None:
    doc = docx.Document()
    setup_styles(doc)
    setup_page(doc)
    doc.core_properties.title = tx.SUBJECT.format(period=summary.period.title)
    doc.core_properties.author = agency(issuer)
    _header_block(doc, summary, issuer)
    _title(doc, summary, issuer)
    _results(doc, summary, issuer)
    _grouped_part(doc, summary, tx.PART_DIFFICULTIES, "difficulties", tx.NO_DIFFICULTIES)
    _grouped_part(doc, summary, tx.PART_PROPOSALS, "proposals", tx.NO_PROPOSALS)
    body(doc, tx.CLOSING.format(period=summary.period.title, agency=agency(issuer)))
    _signature(doc, summary)
    _appendix(doc, summary, issuer)
    doc.save(str(path))


def _header_block(doc: Document, summary: PeriodSummary, issuer: Issuer) -> None:
    """Agency and Quốc hiệu side by side with their rules; number and date line under them."""
    header_block(doc, [tx.AGENCY_TOP, f"{issuer.ward_kind} {issuer.ward_name}".upper()],
                 tx.DOC_NUMBER, tx.PLACE_DATE.format(place=issuer.ward_name,
                                                     year=issuer.today.year))


def _title(doc: Document, summary: PeriodSummary, issuer: Issuer) -> None:
    centred(doc, "")
    centred(doc, tx.DOC_TYPE, bold=True)
    centred(doc, tx.SUBJECT.format(period=summary.period.title), bold=True)
    rule(doc, Mm(40), TEXT_WIDTH)
    plan_title = summary.plan_title[:1].lower() + summary.plan_title[1:]
    issued = document_date(summary.plan_issued_on)
    body(doc, tx.OPENING.format(plan=summary.plan_number, issued=issued, agency=agency(issuer),
                                plan_title=plan_title, period=summary.period.title))


def _results(doc: Document, summary: PeriodSummary, issuer: Issuer) -> None:
    body(doc, tx.PART_RESULTS, bold=True)
    body(doc, tx.SUBMISSION_STATE.format(
        today=document_date(issuer.today), total=len(summary.units),
        submitted=len(summary.on_time) + len(summary.late), on_time=len(summary.on_time),
        late=len(summary.late), missing=len(summary.not_submitted)))
    compact = is_compact(summary)
    if compact:
        body(doc, ts.COMPACT_NOTE.format(total=len(summary.units)), italic=True)
    for section in summary.sections:
        body(doc, f"{section.code}. {xml_safe(section.title)}", bold=True)
        for task in section.tasks:
            body(doc, f"{task.code}. {xml_safe(task.short_title)}", bold=True, italic=True)
            entries = summary.by_task.get(task.id, [])
            if not entries:
                body(doc, tx.NO_RESULT)
                continue
            body(doc, tx.TASK_STATE.format(counts=_counts_text(summary, task.id)))
            if compact:
                _compact_groups(doc, group_by_text((_result_text(e), e.unit_name)
                                                   for e in entries))
                continue
            for entry in entries:
                _unit_result(doc, entry)


def _counts_text(summary: PeriodSummary, task_id: int) -> str:
    counts = summary.status_counts(task_id)
    return "; ".join(tx.COUNT_ITEM.format(label=status_label(key), count=counts[key])
                     for key in COUNT_KEYS if counts[key])


def _result_text(entry: UnitEntry) -> str:
    text = entry.result.strip()
    if not text:
        not_applicable = entry.status == Status.NOT_APPLICABLE
        text = tx.RESULT_NOT_APPLICABLE if not_applicable else tx.RESULT_EMPTY
    return text


def _unit_result(doc: Document, entry: UnitEntry) -> None:
    """"- Unit (status): result", one paragraph per line: no manual breaks in justified text."""
    text = _result_text(entry)
    lines = [line.strip() for line in xml_safe(text).split("\n") if line.strip()]
    first = body(doc, f"- {entry.unit_name} ")
    write(first, f"({status_label(entry.status).lower()})", italic=True)
    write(first, f": {lines[0]}")
    for line in lines[1:]:
        body(doc, line)


def _grouped_part(doc: Document, summary: PeriodSummary, title: str, field: str,
                  empty: str) -> None:
    body(doc, title, bold=True)
    groups = grouped_texts(summary, field)
    if not groups:
        body(doc, empty)
    compact = is_compact(summary)
    for task, items in groups:
        body(doc, tx.GROUP_TASK.format(code=task.code, title=xml_safe(task.short_title)),
             italic=True)
        if compact:
            _compact_groups(doc, items)
            continue
        for item in items:
            text = " ".join(xml_safe(item.text).split()).rstrip(" .;")  # no double stop
            body(doc, f"- {text} ({', '.join(item.units)}).")


def _compact_groups(doc: Document, groups: list[Grouped]) -> None:
    """The most frequent texts with a few of their units, then how many units are not shown."""
    shown = most_frequent_first(groups)[:TEXTS_PER_TASK]
    for group in shown:
        body(doc, ts.GROUP_LINE.format(text=_clip(group.text).rstrip("."),
                                       units=_some_units(group.units)))
    rest = sum(len(g.units) for g in groups) - sum(len(g.units) for g in shown)
    if rest:
        body(doc, ts.REST_LINE.format(count=rest), italic=True)


def _clip(text: str) -> str:
    """One line (paragraph) of at most TEXT_MAX_CHARS characters."""
    return shorten(" ".join(xml_safe(text).split()), TEXT_MAX_CHARS)


def _some_units(units: tuple[str, ...]) -> str:
    if len(units) <= NAMES_PER_TEXT + 1:  # "và 1 đơn vị khác" is no shorter than its name
        return "; ".join(units)  # unit names hold commas
    return ts.UNITS_AND_MORE.format(names="; ".join(units[:NAMES_PER_TEXT]),
                                    count=len(units) - NAMES_PER_TEXT)


def _signature(doc: Document, summary: PeriodSummary) -> None:
    """Nơi nhận on the left, the signer's authority and name on the right, never split."""
    meta = summary.plan_meta
    signer = meta.get("signer") or {}
    signature_block(doc, recipient_lines(list(meta.get("recipients") or [])),
                    list(signer.get("authority_lines") or []), str(signer.get("name", "")))


def _appendix(doc: Document, summary: PeriodSummary, issuer: Issuer) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    centred(doc, tx.APPENDIX, bold=True)
    centred(doc, tx.APPENDIX_TITLE.format(period=summary.period.title), bold=True)
    centred(doc, tx.APPENDIX_NOTE.format(year=issuer.today.year, agency=agency(issuer)),
            size=13, italic=True)
    centred(doc, "")
    table = fixed_table(doc, APPENDIX_WIDTHS, borders=True)
    for cell, header in zip(table.rows[0].cells, tx.APPENDIX_HEADERS, strict=True):
        centred(cell, header, size=12, bold=True, first=True)
    repeat_header_row(table)
    for number, task in enumerate(tasks_in_order(summary), 1):
        counts = summary.status_counts(task.id)
        cells = table.add_row().cells
        values = [str(number), f"{task.code}. {xml_safe(task.short_title)}",
                  *(str(counts[key]) for key in COUNT_KEYS)]
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            paragraph = centred(cell, value, size=12, first=True)
            if i == 1:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT  # names read better flush left
    centred(doc, "")
    for label, units in ((tx.APPENDIX_LATE, summary.late),
                         (tx.APPENDIX_MISSING, summary.not_submitted)):
        body(doc, label.format(count=len(units)), bold=True, indent=False)
        names = [xml_safe(u.name) for u in units]
        if not names:
            body(doc, f"- {tx.NONE}", indent=False)
        elif is_compact(summary):  # one paragraph, not thousands
            body(doc, ts.NAME_SEPARATOR.join(names) + ".", indent=False)
        else:
            for name in names:
                body(doc, f"- {name}", indent=False)
