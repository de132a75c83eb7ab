"""The period as an XLSX workbook: status matrix, counts, entries, submissions, issues.

Rows are streamed into the file (handlers/exports/xlsx_stream.py): at city scale (5,000 units
× 23 tasks = 115,000 entry rows, ~1.4 million cells) neither openpyxl nor XlsxWriter writes
within the 3 s target, and nothing is held in memory but the distinct texts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.texts import exports as tx
from handlers.exports import (
    COUNT_KEYS,
    Issuer,
    entries_in_order,
    local_time,
    status_label,
    tasks_in_order,
)
from handlers.exports.xlsx_stream import Book, CellStyle, CellValue, Sheet
from storage.summary import PeriodSummary, UnitState

# Traffic-light fills a reader understands without a legend; "missing" stays grey.
FILLS = {
    "done": "C6EFCE", "in_progress": "FFEB9C", "not_started": "FFC7CE",
    "not_applicable": "DDEBF7", "missing": "EDEDED",
}
TITLE = CellStyle(bold=True, size=13)
HEADER = CellStyle(bold=True)
HEADER_CENTRED = CellStyle(bold=True, centre=True)
WRAP = CellStyle(wrap=True)
DATE = CellStyle(wrap=True, number_format="dd/mm/yyyy hh:mm")


def table(book: Book, name: str, headers: Sequence[str], rows: Iterable[Sequence[CellValue]],
          widths: Sequence[float], *, count: int, freeze_col: int = 1,
          date_columns: Iterable[int] = ()) -> Sheet:
    """Header row (bold, frozen, filtered), data rows wrapped at the top, fixed widths."""
    sheet = book.sheet(name, widths, freeze=(1, freeze_col - 1))
    sheet.auto_filter(1, 1 + count)
    sheet.append(headers, [book.style(HEADER)] * len(headers))
    dates = set(date_columns)
    styles = [book.style(DATE if col in dates else WRAP) for col in range(1, len(headers) + 1)]
    for values in rows:
        sheet.append(values, styles)
    return sheet


def submission_label(unit: UnitState) -> str:
    if not unit.submitted:
        return tx.NOT_SUBMITTED
    return tx.SUBMITTED_LATE if unit.late else tx.SUBMITTED_ON_TIME


def write_xlsx(summary: PeriodSummary, issuer: Issuer, path: Path) -> None:
    book = Book(path, title=tx.MATRIX_TITLE.format(period=summary.period.title))
    _matrix(book, summary)
    _counts(book, summary)
    _entries(book, summary, issuer)
    _submissions(book, summary, issuer)
    _issues(book, summary)
    book.close()


def _matrix(book: Book, summary: PeriodSummary) -> None:
    tasks = tasks_in_order(summary)
    headers = [*tx.MATRIX_HEADERS, *(t.code for t in tasks)]
    sheet = book.sheet(tx.SHEET_MATRIX, [11, 34, 14, *([16] * len(tasks))], freeze=(2, 3))
    sheet.auto_filter(2, 2 + len(summary.units))
    sheet.append([tx.MATRIX_TITLE.format(period=summary.period.title)], [book.style(TITLE)])
    fixed = len(tx.MATRIX_HEADERS)
    sheet.append(headers, [book.style(HEADER)] * fixed
                 + [book.style(HEADER_CENTRED)] * len(tasks))
    status = {(e.unit_id, e.task_id): e.status for e in summary.entries}
    labels = {key: status_label(key) for key in FILLS}
    colour = {key: book.style(CellStyle(wrap=True, fill=fill)) for key, fill in FILLS.items()}
    wrap = book.style(WRAP)
    for unit in summary.units:
        keys = [status.get((unit.unit_id, t.id), "missing") for t in tasks]
        sheet.append([unit.code, unit.name, submission_label(unit), *(labels[k] for k in keys)],
                     [wrap] * fixed + [colour[k] for k in keys])
    sheet.append([], [])
    # The task's name under its column, where the code alone is cryptic.
    sheet.append([None] * fixed + [t.short_title for t in tasks], [wrap] * len(headers))


def _counts(book: Book, summary: PeriodSummary) -> None:
    rows: list[list[CellValue]] = []
    for task in tasks_in_order(summary):
        counts = summary.status_counts(task.id)
        rows.append([task.code, task.short_title, *(counts[key] for key in COUNT_KEYS)])
    table(book, tx.SHEET_COUNTS, tx.COUNT_HEADERS, rows, [8, 60, 13, 13, 13, 13, 13],
          count=len(rows), freeze_col=3)


def _entries(book: Book, summary: PeriodSummary, issuer: Issuer) -> None:
    tz = issuer.tz
    labels = {key: status_label(key) for key in COUNT_KEYS}
    rows = ((i, task.code, task.short_title, e.unit_name, labels[e.status], e.result,
             e.difficulties, e.proposals, e.version, local_time(e.updated_at, tz))
            for i, (task, e) in enumerate(entries_in_order(summary), 1))
    table(book, tx.SHEET_ENTRIES, tx.ENTRY_HEADERS, rows,
          [6, 8, 40, 28, 16, 70, 45, 45, 10, 17], count=len(summary.entries), freeze_col=3,
          date_columns=(10,))


def _submissions(book: Book, summary: PeriodSummary, issuer: Issuer) -> None:
    rows = ([u.code, u.name, f"{u.reported}/{summary.task_count}",
             local_time(u.submitted_at, issuer.tz) if u.submitted_at else None,
             submission_label(u), u.submissions] for u in summary.units)
    table(book, tx.SHEET_SUBMISSIONS, tx.SUBMISSION_HEADERS, rows, [11, 34, 14, 17, 15, 11],
          count=len(summary.units), freeze_col=3, date_columns=(4,))


def _issues(book: Book, summary: PeriodSummary) -> None:
    difficulties: list[list[CellValue]] = []
    proposals: list[list[CellValue]] = []
    for task, e in entries_in_order(summary):  # one pass over the entries for both kinds
        if e.difficulties.strip():
            difficulties.append([tx.ISSUE_DIFFICULTY, task.code, task.short_title, e.unit_name,
                                 e.difficulties])
        if e.proposals.strip():
            proposals.append([tx.ISSUE_PROPOSAL, task.code, task.short_title, e.unit_name,
                              e.proposals])
    rows = difficulties + proposals
    table(book, tx.SHEET_ISSUES, tx.ISSUE_HEADERS, rows, [18, 8, 40, 28, 80], count=len(rows),
          freeze_col=2)
