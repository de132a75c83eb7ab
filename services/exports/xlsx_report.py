"""The period as an XLSX workbook: status matrix, counts, entries, submissions, issues.

Written with rustpy-xlsxwriter, Python bindings to rust_xlsxwriter (the Rust port of XlsxWriter
by its author). At city scale (5,000 units × 23 tasks = 115,000 entry rows, ~1.2 million cells)
XlsxWriter's own per-cell work in Python took ~6 µs a cell, 9 s for the export against the 3 s
target; this writer renders it in ~1.5 s (bench/RESULTS.md). Each sheet is handed over whole, as
an iterable of rows, and streamed to disk in constant memory.

Its API takes one format per column, not per cell, so the matrix colours its status cells with
conditional formats (which also follow the text if someone edits a cell)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import rustpy_xlsxwriter as rx

from core.texts import exports as tx
from services.exports import (
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
# Status key → what the cells say; looked up once per cell (115,000 entries at city scale).
LABELS = {key: status_label(key) for key in COUNT_KEYS}
DATE_FORMAT = "dd/mm/yyyy hh:mm"
# The matrix: two rows of task names above the row of task codes, 6 lines of wrapped text.
NAME_ROW_HEIGHT = 45.0
TASK_COLUMN_WIDTH = 16.0


def _wrapped() -> rx.Format:
    return rx.Format().set_text_wrap().set_align("top")


@dataclass
class Sheet:
    """One worksheet: a header row, then `rows` (each a sequence in header order).
    `freeze` = (rows, columns) kept in view; `dates` = 0-based columns holding date-times."""

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[CellValue]]
    widths: Sequence[float]
    freeze: tuple[int, int]
    dates: frozenset[int] = frozenset()
    header_row: int = 0
    above_header: list[tuple[Any, ...]] = field(default_factory=list)  # merged ranges
    row_heights: dict[int, float] = field(default_factory=dict)
    # rules by column header: {"type": "text", "criteria": …, "value": …, "format": …}
    conditional: dict[str, dict[str, Any] | list[dict[str, Any]]] = field(default_factory=dict)

    def records(self) -> Iterator[dict[str, CellValue]]:
        """The rows as the writer takes them (dicts by header). An empty table still gets one
        blank row, so that its header row is written and its filter has arrows."""
        written = False
        for values in self.rows:
            written = True
            yield dict(zip(self.headers, values, strict=True))
        if not written:
            yield dict.fromkeys(self.headers)

    def column_formats(self) -> list[rx.Format]:
        return [_wrapped().set_num_format(DATE_FORMAT) if col in self.dates else _wrapped()
                for col in range(len(self.headers))]


def text(value: str) -> str | None:
    """User text as a cell: "" leaves the cell empty; characters XML cannot hold are dropped
    (isprintable() runs at C speed and is True for nearly every text; only the others, a line
    break or a stray control character, need the regex)."""
    if not value:
        return None
    return value if value.isprintable() else xml_safe(value)


def write_sheets(sheets: Sequence[Sheet], path: Path) -> None:
    """Every sheet into one workbook at `path`; the writer takes its options per sheet name."""
    names = [s.name for s in sheets]
    if len(set(names)) != len(names) or any(len(n) > 31 for n in names):
        raise ValueError(f"sheet names must be unique and at most 31 characters: {names}")
    for sheet in sheets:  # rows are dicts by header: two equal headers would share a column
        if len(set(sheet.headers)) != len(sheet.headers):
            raise ValueError(f"repeated column header in sheet {sheet.name!r}")
    bold = rx.Format().set_bold().set_text_wrap()
    rx.write_worksheets(
        [(s.name, s.records()) for s in sheets], str(path),
        freeze_panes={s.name: {"row": s.freeze[0], "col": s.freeze[1]} for s in sheets},
        column_widths={s.name: list(s.widths) for s in sheets},
        column_formats={s.name: s.column_formats() for s in sheets},
        header_format=dict.fromkeys(names, bold),
        header_row={s.name: s.header_row for s in sheets},
        autofilter=dict.fromkeys(names, True),
        merge_ranges={s.name: s.above_header for s in sheets if s.above_header},
        row_heights={s.name: s.row_heights for s in sheets if s.row_heights},
        conditional_formats={s.name: s.conditional for s in sheets if s.conditional},
    )


def submission_label(unit: UnitState) -> str:
    if not unit.submitted:
        return tx.NOT_SUBMITTED
    return tx.SUBMITTED_LATE if unit.late else tx.SUBMITTED_ON_TIME


def write_xlsx(summary: PeriodSummary, issuer: Issuer, path: Path) -> None:
    write_sheets([_matrix(summary), _counts(summary), _entries(summary, issuer),
                  _submissions(summary, issuer), _issues(summary)], path)


def _matrix(summary: PeriodSummary) -> Sheet:
    """Units down, tasks across, each cell the task's status in that unit's report. The title
    and each task's name sit in two merged rows above the codes, frozen in view with them."""
    tasks = tasks_in_order(summary)
    fixed = len(tx.MATRIX_HEADERS)
    status = {(e.unit_id, e.task_id): e.status for e in summary.entries}
    rows = ([unit.code, text(unit.name), submission_label(unit),
             *(LABELS[status.get((unit.unit_id, t.id), "missing")] for t in tasks)]
            for unit in summary.units)
    title = tx.MATRIX_TITLE.format(period=summary.period.title)
    names = [(0, fixed + i, 1, fixed + i, task.short_title, _wrapped().set_align("center"))
             for i, task in enumerate(tasks)]
    # A rule per status and task column; no label contains another. ("contains", not
    # "begins_with": the writer counts the label in UTF-8 bytes for LEFT(), not in characters.)
    rules = [{"type": "text", "criteria": "contains", "value": LABELS[key],
              "format": rx.Format().set_background_color(f"#{fill}")}
             for key, fill in FILLS.items()]
    return Sheet(
        tx.SHEET_MATRIX, [*tx.MATRIX_HEADERS, *(t.code for t in tasks)], rows,
        [11, 34, 14, *([TASK_COLUMN_WIDTH] * len(tasks))], freeze=(3, fixed), header_row=2,
        above_header=[(0, 0, 1, fixed - 1, title, _wrapped().set_bold().set_font_size(13)),
                      *names],
        row_heights={0: NAME_ROW_HEIGHT, 1: NAME_ROW_HEIGHT},
        conditional={t.code: rules for t in tasks})


def _counts(summary: PeriodSummary) -> Sheet:
    def row(task: TaskInfo) -> list[CellValue]:
        counts = summary.status_counts(task.id)
        return [task.code, task.short_title, *(counts[key] for key in COUNT_KEYS)]

    return Sheet(tx.SHEET_COUNTS, tx.COUNT_HEADERS,
                 (row(task) for task in tasks_in_order(summary)),
                 [8, 60, 13, 13, 13, 13, 13], freeze=(1, 2))


def _entries(summary: PeriodSummary, issuer: Issuer) -> Sheet:
    tz = issuer.tz
    rows = ((i, task.code, task.short_title, text(e.unit_name), LABELS[e.status],
             text(e.result), text(e.difficulties), text(e.proposals), e.version,
             local_time(e.updated_at, tz))
            for i, (task, e) in enumerate(entries_in_order(summary), 1))
    return Sheet(tx.SHEET_ENTRIES, tx.ENTRY_HEADERS, rows,
                 [6, 8, 40, 28, 16, 70, 45, 45, 10, 17], freeze=(1, 2), dates=frozenset({9}))


def _submissions(summary: PeriodSummary, issuer: Issuer) -> Sheet:
    rows = ([u.code, text(u.name), f"{u.reported}/{summary.task_count}",
             local_time(u.submitted_at, issuer.tz) if u.submitted_at else None,
             submission_label(u), u.submissions] for u in summary.units)
    return Sheet(tx.SHEET_SUBMISSIONS, tx.SUBMISSION_HEADERS, rows, [11, 34, 14, 17, 15, 11],
                 freeze=(1, 2), dates=frozenset({3}))


def _issues(summary: PeriodSummary) -> Sheet:
    """Every difficulty, then every proposal: two passes over the entries keep the rows in
    sheet order without holding them in a list."""
    kinds = (("difficulties", tx.ISSUE_DIFFICULTY), ("proposals", tx.ISSUE_PROPOSAL))
    rows = ([label, task.code, task.short_title, text(e.unit_name), text(content)]
            for field_name, label in kinds for task, e in entries_in_order(summary)
            if (content := str(getattr(e, field_name))).strip())
    return Sheet(tx.SHEET_ISSUES, tx.ISSUE_HEADERS, rows, [18, 8, 40, 28, 80], freeze=(1, 1))
