"""The period as an XLSX workbook: status matrix, counts, entries, submissions, issues.

Written with XlsxWriter in constant-memory mode: a row goes to a temporary file as soon as the
next row of its sheet starts, so at city scale (5,000 units × 23 tasks = 115,000 entry rows,
~1.4 million cells) memory holds one row per sheet. That mode only accepts rows in order within
a sheet, so each sheet below is written top to bottom in one go, through `Rows`. The default
mode (shared strings) is only ~10 % faster here but holds every cell until close(): +120 MB at
city scale."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from bot.texts import exports as tx
from handlers.exports import (
    COUNT_KEYS,
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
    "not_applicable": "DDEBF7", "missing": "EDEDED",
}
_WRAP = {"text_wrap": True, "valign": "top"}


class Rows:
    """Appends rows to one worksheet, top to bottom (what constant-memory mode requires)."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.last = -1  # zero-based index of the last row written

    def append(self, values: Sequence[CellValue], formats: Sequence[Format | None]) -> None:
        """One row, one format per column; None and "" leave the cell out. Text always goes
        through write_string, so a typed "=…" stays text and never becomes a formula."""
        self.last += 1
        row, sheet = self.last, self.sheet
        # A row may be shorter than its formats (the title row): strict=False on purpose.
        for col, (value, fmt) in enumerate(zip(values, formats, strict=False)):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                # isprintable() (C speed) is True for nearly every text; only the others
                # (a line break, a stray control character) need the regex.
                sheet.write_string(row, col, value if value.isprintable() else xml_safe(value),
                                   fmt)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, col, value, fmt)
            else:
                sheet.write_number(row, col, value, fmt)


def new_sheet(book: Workbook, name: str, widths: Sequence[float],
              freeze: tuple[int, int]) -> Rows:
    """A sheet with one width per column; `freeze` = (header rows, left columns)."""
    sheet = book.add_worksheet(name[:31])
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(*freeze)
    return Rows(sheet)


def table(book: Workbook, name: str, headers: Sequence[str], rows: Iterable[Sequence[CellValue]],
          widths: Sequence[float], *, freeze_col: int = 1,
          date_columns: Iterable[int] = ()) -> None:
    """Header row (bold, frozen, filtered), data rows wrapped at the top, fixed widths;
    `date_columns` are 1-based."""
    out = new_sheet(book, name, widths, (1, freeze_col - 1))
    out.append(headers, [book.add_format({"bold": True})] * len(headers))
    wrap = book.add_format(_WRAP)
    when = book.add_format({**_WRAP, "num_format": "dd/mm/yyyy hh:mm"})
    dates = set(date_columns)
    formats = [when if col in dates else wrap for col in range(1, len(headers) + 1)]
    for values in rows:
        out.append(values, formats)
    # The filter covers at least one data row, so an empty table still shows its arrows.
    out.sheet.autofilter(0, 0, max(out.last, 1), len(headers) - 1)


def submission_label(unit: UnitState) -> str:
    if not unit.submitted:
        return tx.NOT_SUBMITTED
    return tx.SUBMITTED_LATE if unit.late else tx.SUBMITTED_ON_TIME


def write_xlsx(summary: PeriodSummary, issuer: Issuer, path: Path) -> None:
    # No `with`: XlsxWriter writes the file only on close(), so a failure half-way leaves none.
    book = Workbook(str(path), {"constant_memory": True})
    book.set_properties({"title": xml_safe(tx.MATRIX_TITLE.format(period=summary.period.title))})
    _matrix(book, summary)
    _counts(book, summary)
    _entries(book, summary, issuer)
    _submissions(book, summary, issuer)
    _issues(book, summary)
    book.close()


def _matrix(book: Workbook, summary: PeriodSummary) -> None:
    tasks = tasks_in_order(summary)
    fixed = len(tx.MATRIX_HEADERS)
    out = new_sheet(book, tx.SHEET_MATRIX, [11, 34, 14, *([16] * len(tasks))], (2, fixed))
    out.append([tx.MATRIX_TITLE.format(period=summary.period.title)],
               [book.add_format({"bold": True, "font_size": 13})])
    out.append([*tx.MATRIX_HEADERS, *(t.code for t in tasks)],
               [book.add_format({"bold": True})] * fixed
               + [book.add_format({"bold": True, "align": "center"})] * len(tasks))
    status = {(e.unit_id, e.task_id): e.status for e in summary.entries}
    labels = {key: status_label(key) for key in FILLS}
    colour = {key: book.add_format({**_WRAP, "bg_color": f"#{fill}", "pattern": 1})
              for key, fill in FILLS.items()}
    wrap = book.add_format(_WRAP)
    for unit in summary.units:
        keys = [status.get((unit.unit_id, t.id), "missing") for t in tasks]
        out.append([unit.code, unit.name, submission_label(unit), *(labels[k] for k in keys)],
                   [wrap] * fixed + [colour[k] for k in keys])
    out.sheet.autofilter(1, 0, 1 + max(len(summary.units), 1), fixed + len(tasks) - 1)
    out.append([], [])
    # The task's name under its column, where the code alone is cryptic.
    out.append([None] * fixed + [t.short_title for t in tasks], [wrap] * (fixed + len(tasks)))


def _counts(book: Workbook, summary: PeriodSummary) -> None:
    def row(task: TaskInfo) -> list[CellValue]:
        counts = summary.status_counts(task.id)
        return [task.code, task.short_title, *(counts[key] for key in COUNT_KEYS)]

    rows = (row(task) for task in tasks_in_order(summary))
    table(book, tx.SHEET_COUNTS, tx.COUNT_HEADERS, rows, [8, 60, 13, 13, 13, 13, 13],
          freeze_col=3)


def _entries(book: Workbook, summary: PeriodSummary, issuer: Issuer) -> None:
    tz = issuer.tz
    labels = {key: status_label(key) for key in COUNT_KEYS}
    rows = ((i, task.code, task.short_title, e.unit_name, labels[e.status], e.result,
             e.difficulties, e.proposals, e.version, local_time(e.updated_at, tz))
            for i, (task, e) in enumerate(entries_in_order(summary), 1))
    table(book, tx.SHEET_ENTRIES, tx.ENTRY_HEADERS, rows,
          [6, 8, 40, 28, 16, 70, 45, 45, 10, 17], freeze_col=3, date_columns=(10,))


def _submissions(book: Workbook, summary: PeriodSummary, issuer: Issuer) -> None:
    rows = ([u.code, u.name, f"{u.reported}/{summary.task_count}",
             local_time(u.submitted_at, issuer.tz) if u.submitted_at else None,
             submission_label(u), u.submissions] for u in summary.units)
    table(book, tx.SHEET_SUBMISSIONS, tx.SUBMISSION_HEADERS, rows, [11, 34, 14, 17, 15, 11],
          freeze_col=3, date_columns=(4,))


def _issues(book: Workbook, summary: PeriodSummary) -> None:
    """Every difficulty, then every proposal: two passes over the entries keep the rows in
    sheet order without holding them in a list."""
    kinds = (("difficulties", tx.ISSUE_DIFFICULTY), ("proposals", tx.ISSUE_PROPOSAL))
    rows = ([label, task.code, task.short_title, e.unit_name, text]
            for field, label in kinds for task, e in entries_in_order(summary)
            if (text := str(getattr(e, field))).strip())
    table(book, tx.SHEET_ISSUES, tx.ISSUE_HEADERS, rows, [18, 8, 40, 28, 80], freeze_col=2)
