"""The period as an XLSX workbook, fit to print: counts by task, the status matrix by unit, every
entry, submissions, difficulties and proposals, and the full text of each task.

Written with XlsxWriter (pure Python, well kept). At city scale (5,000 units × 23 tasks = 115,000
entry rows, ~1.2 million cells) the export takes several seconds (bench/RESULTS.md, "XLSX back on
XlsxWriter"): it runs in the worker process, and /xuat tells the admin to wait
(handlers/export.py). XlsxWriter's default mode, shared strings, is used: the status labels,
task titles and unit names repeat on every row, and it renders about a third faster than
constant-memory mode (inline strings, each escaped again). The price, ~110 MB more in the worker
while the workbook is written, is below what reading the period took just before.

Every sheet prints on A4 landscape, fit to the page width, with a title block (ward, plan,
period) and its header rows repeated on each page. Rows are written top to bottom, `Rows` counts
them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from core.texts import exports as tx
from core.textutil import format_date
from services.exports import (
    COUNT_KEYS,
    NOT_ASSIGNED,
    Issuer,
    entries_in_order,
    local_time,
    status_label,
    tasks_in_order,
    xml_safe,
)
from storage.plans import TaskInfo
from storage.summary import PeriodSummary, UnitState

CellValue = str | int | float | datetime | None
# Traffic-light fills a reader understands without a legend; "missing" stays grey.
FILLS = {
    "done": "C6EFCE", "in_progress": "FFEB9C", "not_started": "FFC7CE",
    "not_applicable": "DDEBF7", "missing": "EDEDED", NOT_ASSIGNED: "FFFFFF",
}
# Status key → what the cells say; looked up once per cell (115,000 entries at city scale).
LABELS = {key: status_label(key) for key in (*COUNT_KEYS, NOT_ASSIGNED)}
DATE_FORMAT = "dd/mm/yyyy hh:mm"
A4 = 9  # XlsxWriter's paper code
TASK_COLUMN_WIDTH = 12.0  # a status label at font size 9 ("Đang triển khai") fits
NAME_ROW_HEIGHT = 78.0  # the matrix's row of task names: 6 lines at font size 8
LINE_HEIGHT = 15.0  # points, a line of text at font size 11
MAX_LINES = 27  # a row at most 409 points high (Excel's limit)


class Styles:
    """The workbook's formats, made once (XlsxWriter keeps each one in styles.xml)."""

    def __init__(self, book: Workbook) -> None:
        wrap: dict[str, Any] = {"text_wrap": True, "valign": "top"}
        self.agency = book.add_format({"bold": True})
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.note = book.add_format({"italic": True})
        self.header = book.add_format({**wrap, "bold": True, "border": 1, "bg_color": "#F2F2F2"})
        self.wrap = book.add_format(wrap)
        self.when = book.add_format({**wrap, "num_format": DATE_FORMAT})
        self.small = book.add_format({**wrap, "font_size": 8, "border": 1, "align": "center"})
        self.status = {key: book.add_format({"font_size": 9, "bg_color": f"#{fill}",
                                             "pattern": 1, "border": 1, "border_color": "#BFBFBF"})
                       for key, fill in FILLS.items()}


class Rows:
    """Appends rows to one worksheet, top to bottom, and makes each row tall enough for its
    wrapped text: spreadsheets do not grow a row on opening a file (LibreOffice printed the
    lines over each other), so the height is estimated from the text and each column's width."""

    def __init__(self, sheet: Worksheet, widths: Sequence[float]) -> None:
        self.sheet = sheet
        self.last = -1  # zero-based index of the last row written
        # characters on one line of each column (about one per unit of width); set by table()
        # for the wrapped columns, "no limit" for the title block
        self.fit: list[float] = [float("inf")] * len(widths)

    def append(self, values: Sequence[CellValue], formats: Sequence[Format | None]) -> None:
        """One row, one format per column; None and "" leave the cell out. Text always goes
        through write_string, so a typed "=…" stays text and never becomes a formula."""
        self.last += 1
        row, sheet, fit = self.last, self.sheet, self.fit
        lines = 1
        # A row may be shorter than its formats (a title row): strict=False on purpose.
        for col, (value, fmt) in enumerate(zip(values, formats, strict=False)):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                # isprintable() (C speed) is True for nearly every text; only the others
                # (a line break, a stray control character) need the regex.
                if value.isprintable():
                    if len(value) > fit[col]:
                        lines = max(lines, -(-len(value) // int(fit[col])))
                else:
                    value = xml_safe(value)
                    lines = max(lines, line_count(value, fit[col]))
                sheet.write_string(row, col, value, fmt)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, col, value, fmt)
            else:
                sheet.write_number(row, col, value, fmt)
        if lines > 1:
            sheet.set_row(row, LINE_HEIGHT * min(lines, MAX_LINES))


def line_count(text: str, fit: float) -> int:
    """Lines `text` takes in a wrapped column holding `fit` characters a line."""
    if fit == float("inf"):
        return text.count("\n") + 1
    return sum(max(1, -(-len(part) // int(fit))) for part in text.split("\n"))


class Report:
    """One workbook being written: its formats and the title block every sheet starts with."""

    def __init__(self, book: Workbook, summary: PeriodSummary, issuer: Issuer) -> None:
        self.book, self.summary, self.issuer = book, summary, issuer
        self.styles = Styles(book)
        self.agency = tx.XLSX_AGENCY.format(kind=issuer.ward_kind, name=issuer.ward_name)
        self.plan = tx.XLSX_PLAN.format(plan=summary.plan_number,
                                        issued=format_date(summary.plan_issued_on),
                                        plan_title=summary.plan_title)
        self.period = tx.XLSX_PERIOD.format(period=summary.period.title,
                                            deadline=format_date(summary.deadline),
                                            today=format_date(issuer.today))

    def sheet(self, name: str, title: str, widths: Sequence[float]) -> Rows:
        """A new sheet set up for print (A4 landscape, fit to width, page numbers), its
        column widths and its title block (4 rows and a blank one)."""
        sheet = self.book.add_worksheet(name)
        sheet.set_paper(A4)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)  # as wide as one page, as many pages down as it takes
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        sheet.set_footer(f"&C{tx.XLSX_FOOTER}")
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        out = Rows(sheet, widths)
        s = self.styles
        for line, fmt in ((self.agency, s.agency), (title, s.title), (self.plan, s.note),
                          (self.period, s.note)):
            out.append([line], [fmt])
        out.append([], [])
        return out

    def table(self, name: str, title: str, headers: Sequence[str],
              rows: Iterable[Sequence[CellValue]], widths: Sequence[float], *,
              freeze_col: int, date_columns: Iterable[int] = ()) -> Rows:
        """Title block, then a header row (bold, frozen, filtered, repeated on each printed
        page), then the rows, wrapped at the top; `date_columns` are 0-based."""
        out = self.sheet(name, title, widths)
        out.fit = list(widths)  # every column wraps
        header = out.last + 1
        out.append(headers, [self.styles.header] * len(headers))
        dates = set(date_columns)
        formats = [self.styles.when if col in dates else self.styles.wrap
                   for col in range(len(headers))]
        for values in rows:
            out.append(values, formats)
        finish_table(out.sheet, header, header, out.last, len(headers), freeze_col)
        return out


def finish_table(sheet: Worksheet, first_header: int, header: int, last: int, columns: int,
                 freeze_col: int) -> None:
    """Freeze and repeat the header rows (first_header..header), filter on the last of them.
    The filter covers at least one data row, so an empty table still shows its arrows."""
    sheet.freeze_panes(header + 1, freeze_col)
    sheet.repeat_rows(first_header, header)
    sheet.autofilter(header, 0, max(last, header + 1), columns - 1)


def submission_label(unit: UnitState) -> str:
    if not unit.submitted:
        return tx.NOT_SUBMITTED
    return tx.SUBMITTED_LATE if unit.late else tx.SUBMITTED_ON_TIME


def write_xlsx(summary: PeriodSummary, issuer: Issuer, path: Path) -> None:
    # No `with`: XlsxWriter writes the file only on close(), so a failure half-way leaves none.
    book = Workbook(str(path))
    book.set_properties({
        "title": xml_safe(tx.XLSX_DOC_TITLE.format(title=tx.MATRIX_TITLE,
                                                  period=summary.period.title)),
        "subject": xml_safe(summary.plan_title),
        "company": xml_safe(tx.XLSX_AGENCY.format(kind=issuer.ward_kind, name=issuer.ward_name)),
    })
    report = Report(book, summary, issuer)
    _counts(report)
    _matrix(report)
    _entries(report)
    _submissions(report)
    _issues(report)
    _tasks(report)
    book.close()


def _counts(report: Report) -> None:
    summary = report.summary

    def row(task: TaskInfo) -> list[CellValue]:
        counts = summary.status_counts(task.id)
        return [task.code, task.short_title, *(counts[key] for key in COUNT_KEYS)]

    report.table(tx.SHEET_COUNTS, tx.COUNTS_TITLE, tx.COUNT_HEADERS,
                 (row(task) for task in tasks_in_order(summary)),
                 [12, 70, 13, 13, 13, 13, 13], freeze_col=2)


def _matrix(report: Report) -> None:
    """Units down, tasks across, each cell the task's status in that unit's report, coloured.
    Two header rows: the task names (small, wrapped) above the task codes."""
    summary, s = report.summary, report.styles
    tasks = tasks_in_order(summary)
    fixed = len(tx.MATRIX_HEADERS)
    widths = [10, 30, 11, *([TASK_COLUMN_WIDTH] * len(tasks))]
    out = report.sheet(tx.SHEET_MATRIX, tx.MATRIX_TITLE, widths)
    out.fit[:fixed] = widths[:fixed]  # a status label fits its cell, not so a unit name
    names = out.last + 1
    out.sheet.set_row(names, NAME_ROW_HEIGHT)
    out.append([None, tx.MATRIX_NAMES_LABEL, None, *(t.short_title for t in tasks)],
               [s.small] * (fixed + len(tasks)))
    out.append([*tx.MATRIX_HEADERS, *(t.code for t in tasks)],
               [s.header] * (fixed + len(tasks)))
    status = {(e.unit_id, e.task_id): e.status for e in summary.entries}
    wrap, colour = s.wrap, s.status
    for unit in summary.units:
        keys = [status.get((unit.unit_id, t.id), "missing")
                if summary.is_assigned(t.id, unit.unit_id) else NOT_ASSIGNED for t in tasks]
        out.append([unit.code, unit.name, submission_label(unit), *(LABELS[k] for k in keys)],
                   [wrap, wrap, wrap, *(colour[k] for k in keys)])
    finish_table(out.sheet, names, names + 1, out.last, fixed + len(tasks), fixed)


def _entries(report: Report) -> None:
    """One row per entry. (No column for the entry's version number: it meant nothing to an
    officer, and it was 115,000 of the city-scale workbook's 1.2 million cells.)"""
    tz = report.issuer.tz
    rows = ((i, task.code, task.short_title, e.unit_name, LABELS[e.status], e.result,
             e.difficulties, e.proposals, local_time(e.updated_at, tz))
            for i, (task, e) in enumerate(entries_in_order(report.summary), 1))
    report.table(tx.SHEET_ENTRIES, tx.ENTRIES_TITLE, tx.ENTRY_HEADERS, rows,
                 [6, 8, 32, 26, 14, 60, 36, 36, 15], freeze_col=2, date_columns=(8,))


def _submissions(report: Report) -> None:
    summary, tz = report.summary, report.issuer.tz
    rows = ([u.code, u.name, f"{u.reported}/{u.total}",
             local_time(u.submitted_at, tz) if u.submitted_at else None,
             submission_label(u), u.submissions] for u in summary.units)
    report.table(tx.SHEET_SUBMISSIONS, tx.SUBMISSIONS_TITLE, tx.SUBMISSION_HEADERS, rows,
                 [11, 40, 14, 17, 15, 11], freeze_col=2, date_columns=(3,))


def _issues(report: Report) -> None:
    """Every difficulty, then every proposal: two passes over the entries keep the rows in
    sheet order without holding them in a list."""
    kinds = (("difficulties", tx.ISSUE_DIFFICULTY), ("proposals", tx.ISSUE_PROPOSAL))
    rows = ([label, task.code, task.short_title, e.unit_name, content]
            for field, label in kinds for task, e in entries_in_order(report.summary)
            if (content := str(getattr(e, field))).strip())
    report.table(tx.SHEET_ISSUES, tx.ISSUES_TITLE, tx.ISSUE_HEADERS, rows,
                 [18, 8, 36, 28, 80], freeze_col=1)


def _tasks(report: Report) -> None:
    """Each task's full text, verbatim from the plan (the other sheets give the short title)."""
    rows = ([task.code, section.title, task.short_title, task.full_text]
            for section in report.summary.sections for task in section.tasks)
    report.table(tx.SHEET_TASKS, tx.TASKS_TITLE, tx.TASK_HEADERS, rows, [8, 30, 40, 110],
                 freeze_col=1)
