"""The city's summary of a round as a DOCX in the Nghị định 30/2020 layout, issued by the
city's UBND (issue 19): header, title, I. which wards sent their report (on time, late,
missing, changed since sent), II. the city's status counts per plan section, the closing,
Nơi nhận and signer; then an appendix with one row per ward.

The appendix must stay readable for 120 wards on A4 portrait: one row per ward, one compact
"done/in progress/not started" cell per section and a completion rate, the header row repeated
on every page and no row split across pages. Every figure of every status is in the XLSX.
python-docx is imported here, in the file worker, never at bot start."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_ALIGN_VERTICAL
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell

from core.texts import city as t
from core.texts import exports as tx
from core.textutil import document_date
from services.city import CityRollup, WardRow
from services.exports import CityIssuer, xml_safe
from services.exports.docx_layout import (
    TEXT_WIDTH,
    body,
    centred,
    fixed_table,
    header_block,
    keep_row_together,
    narrow_cell_margins,
    recipient_lines,
    repeat_header_row,
    rule,
    setup_page,
    setup_styles,
    signature_block,
    write,
)

TABLE_PT = 11
MATRIX_PT = 10
TOTAL_TITLE_WIDTH = Mm(75)
# The appendix: STT, ward, its sending; what is left is shared by the sections and the rate.
MATRIX_FIXED = [Mm(9), Mm(36), Mm(22)]
RATE_WIDTH = Mm(14)
MATRIX_FIXED_WIDTH = Length(sum(MATRIX_FIXED, Mm(0)) + RATE_WIDTH)
MIN_SECTION_WIDTH = Mm(16)  # "230/30/10" at 10 pt with 1 mm margins: below, landscape
SHOWN = ("done", "in_progress", "not_started")  # a cell's three figures, in this order


def write_city_docx(view: CityRollup, issuer: CityIssuer, path: Path) -> Path:
    doc = docx.Document()
    setup_styles(doc)
    setup_page(doc)
    agency = t.DOCX_AGENCY.format(locality=issuer.locality)
    subject = t.DOCX_SUBJECT.format(title=view.title)
    doc.core_properties.title = subject
    doc.core_properties.author = agency
    header_block(doc, [tx.AGENCY_TOP, issuer.locality.upper()], tx.DOC_NUMBER,
                 tx.PLACE_DATE.format(place=issuer.place, year=issuer.today.year))
    centred(doc, "")
    centred(doc, tx.DOC_TYPE, bold=True)
    centred(doc, subject, bold=True)
    rule(doc, Mm(40), TEXT_WIDTH)
    body(doc, t.DOCX_OPENING.format(due=document_date(view.due_before), agency=agency,
                                    title=view.title))
    _sending(doc, view, issuer)
    _results(doc, view)
    if view.with_state("missing") or any(w.changed_since_sent for w in view.wards):
        body(doc, t.DOCX_REQUEST)
    closing = body(doc, t.DOCX_CLOSING.format(title=view.title, locality=issuer.locality))
    closing.paragraph_format.keep_with_next = True  # never a signature alone on its page
    signature_block(doc, recipient_lines(issuer.recipients), issuer.signer_title,
                    issuer.signer_name)
    _appendix(doc, view, issuer, agency)
    doc.save(str(path))
    return path


def _names(rows: Sequence[WardRow]) -> str:
    return ", ".join(xml_safe(w.title) for w in rows)


def _sending(doc: Document, view: CityRollup, issuer: CityIssuer) -> None:
    on_time, late = view.with_state("on_time"), view.with_state("late")
    missing = view.with_state("missing")
    body(doc, t.DOCX_PART_SENDING, bold=True)
    body(doc, t.DOCX_SENDING_STATE.format(
        today=document_date(issuer.today), sent=len(on_time) + len(late),
        total=len(on_time) + len(late) + len(missing), on_time=len(on_time), late=len(late),
        missing=len(missing)))
    lists = {"late": late, "missing": missing,
             "changed": [w for w in view.wards if w.changed_since_sent],
             "no_round": view.with_state("no_round")}
    for key, rows in lists.items():
        if rows or key in ("late", "missing"):  # the two the city asks about, even if none
            body(doc, t.DOCX_LIST.format(label=t.DOCX_LIST_LABELS[key], count=len(rows),
                                         names=_names(rows) or tx.NONE.rstrip(".")))


def _number(value: int) -> str:
    """12.345: the thousands separated by a dot, as Vietnamese documents write them."""
    return f"{value:,}".replace(",", ".")


def _total(counts: Counter[str]) -> int:
    return sum(counts[s] for s in SHOWN)


def _rate(counts: Counter[str]) -> str:
    """Done as a share of what had to be done (not "không phát sinh"), in whole percent."""
    total = _total(counts)
    return str(round(100 * counts["done"] / total)) if total else t.DOCX_NO_FIGURE


def _cell_text(cell: _Cell, text: str, *, size: float, bold: bool = False,
               left: bool = False) -> None:
    """One centred paragraph per line of `text` (no manual breaks); flush left if `left`."""
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    for i, line in enumerate(text.split("\n")):
        paragraph = centred(cell, line, size=size, bold=bold, first=i == 0)
        if left:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT  # names read better flush left


def _results(doc: Document, view: CityRollup) -> None:
    """The city's status counts per section, every ward that has the round added up."""
    body(doc, t.DOCX_PART_RESULTS, bold=True)
    rows = [w for w in view.wards if w.state != "no_round"]
    body(doc, t.DOCX_RESULTS_NOTE.format(count=len(rows)))
    rest = Length(int(TEXT_WIDTH - TOTAL_TITLE_WIDTH) // (len(t.DOCX_TOTAL_HEADERS) - 1))
    widths = [TOTAL_TITLE_WIDTH, *[rest] * (len(t.DOCX_TOTAL_HEADERS) - 1)]
    table = fixed_table(doc, widths, borders=True)
    for cell, header in zip(table.rows[0].cells, t.DOCX_TOTAL_HEADERS, strict=True):
        _cell_text(cell, header, size=TABLE_PT, bold=True)
    repeat_header_row(table)
    city: Counter[str] = Counter()
    for code, title in view.sections:
        counts: Counter[str] = Counter()
        for row in rows:
            counts.update(row.counts.get(code, Counter()))
        city.update(counts)
        _total_row(table, f"{code}. {xml_safe(title)}", counts, bold=False)
    _total_row(table, t.DOCX_TOTAL_ROW, city, bold=True)
    keep_row_together(table)
    centred(doc, "")


def _total_row(table: Table, label: str, counts: Counter[str], *, bold: bool) -> None:
    cells = table.add_row().cells
    values = [label, *(_number(counts[s]) for s in t.STATUS_ORDER), _rate(counts)]
    for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
        _cell_text(cell, value, size=TABLE_PT, bold=bold, left=i == 0)


def _sent_text(row: WardRow, issuer: CityIssuer) -> str:
    """"Đúng hạn (*)" over "20/11/2025": the state, marked if changed since, and the day."""
    text = t.DOCX_STATE_SHORT[row.state] + (t.DOCX_CHANGED_MARK if row.changed_since_sent
                                            else "")
    if row.sent_at is not None:
        text += f"\n{row.sent_at.astimezone(issuer.tz):%d/%m/%Y}"
    return text


def _appendix_page(doc: Document, sections: int) -> Length:
    """The appendix starts a page: portrait, or landscape when the plan has so many sections
    that their columns would be too narrow for "230/30/10" on portrait. Its text width."""
    if not sections or (TEXT_WIDTH - MATRIX_FIXED_WIDTH) // sections >= MIN_SECTION_WIDTH:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        return TEXT_WIDTH
    page = doc.add_section(WD_SECTION.NEW_PAGE)  # a copy of the portrait one's margins
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Mm(297), Mm(210)
    page.different_first_page_header_footer = False  # numbered from its first page
    return Length(Mm(297) - page.left_margin - page.right_margin)


def _appendix(doc: Document, view: CityRollup, issuer: CityIssuer, agency: str) -> None:
    width = _appendix_page(doc, len(view.sections))
    centred(doc, tx.APPENDIX, bold=True)
    centred(doc, t.DOCX_APPENDIX_TITLE, bold=True)
    centred(doc, tx.APPENDIX_NOTE.format(year=issuer.today.year, agency=agency), size=13,
            italic=True)
    write(body(doc, indent=False), t.DOCX_LEGEND, size=12, italic=True)
    codes = [code for code, _title in view.sections]
    share = Length(int(width - MATRIX_FIXED_WIDTH) // max(1, len(codes)))
    table = fixed_table(doc, [*MATRIX_FIXED, *[share] * len(codes), RATE_WIDTH], borders=True)
    narrow_cell_margins(table, Mm(1))
    headers = [*t.DOCX_MATRIX_HEADERS, *(t.DOCX_SECTION_HEADER.format(code=c) for c in codes),
               t.DOCX_RATE_HEADER]
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, header, size=MATRIX_PT, bold=True)
    repeat_header_row(table)
    for number, row in enumerate(view.wards, 1):
        if row.state == "no_round":
            figures = [t.DOCX_NO_FIGURE] * (len(codes) + 1)
        else:
            all_sections: Counter[str] = Counter()
            figures = []
            for code in codes:
                counts = row.counts.get(code, Counter())
                all_sections.update(counts)
                figures.append(t.DOCX_CELL.format(**{s: counts[s] for s in SHOWN}))
            figures.append(_rate(all_sections))
        values = [str(number), xml_safe(row.title), _sent_text(row, issuer), *figures]
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _cell_text(cell, value, size=MATRIX_PT, left=i == 1)
    keep_row_together(table)
    if any(w.changed_since_sent for w in view.wards):
        note = write(body(doc, indent=False), t.DOCX_CHANGED_NOTE, size=12, italic=True)
        note.paragraph_format.space_before = Pt(6)
