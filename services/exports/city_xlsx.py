"""The city's compilation workbook (issue 19): one row per ward (sent on time, late, missing;
when; changed since), then the wards × plan sections matrix of status counts."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.texts import city as t
from core.textutil import format_datetime
from services.city import CityRollup


def write_city_xlsx(view: CityRollup, path: Path, tz: ZoneInfo) -> Path:
    book = Workbook()
    wards = book.active
    assert wards is not None
    wards.title = t.XLSX_WARDS_SHEET
    wards.append([t.XLSX_TITLE.format(title=view.title, due=view.due_before.strftime("%d/%m/%Y"))])
    wards["A1"].font = Font(bold=True, size=13)
    wards.append([])
    wards.append(list(t.XLSX_WARD_HEADERS))
    for row in view.wards:
        sent = format_datetime(row.sent_at.astimezone(tz)) if row.sent_at else ""
        wards.append([row.code, row.title, t.STATE_LABELS[row.state], sent,
                      t.XLSX_YES if row.changed_since_sent else ""])
    matrix = book.create_sheet(t.XLSX_MATRIX_SHEET)
    header = [t.XLSX_WARD]
    for code, title in view.sections:
        header += [f"{code}. {title} – {t.XLSX_STATUS[s]}" for s in t.STATUS_ORDER]
    matrix.append(header)
    for cell in matrix[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.font = Font(bold=True)
    for row in view.wards:
        if row.state == "no_round":
            continue
        line: list[object] = [row.title]
        for code, _title in view.sections:
            counts = row.counts.get(code)
            line += [counts[s] if counts else 0 for s in t.STATUS_ORDER]
        matrix.append(line)
    for sheet in (wards, matrix):
        sheet.column_dimensions["A"].width = 14
        sheet.column_dimensions["B"].width = 30
    book.save(path)
    return path
