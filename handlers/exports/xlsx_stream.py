"""A minimal streaming XLSX (SpreadsheetML) writer: rows go straight into the zip file.

Why not a library: at city scale the workbook holds ~1.4 million cells. openpyxl's write-only
mode spends ~10 µs per cell (20+ s) and XlsxWriter's constant-memory mode ~4 µs (5+ s); the
export's target is 3 s including the database. Writing the XML text directly costs well under
1 µs per cell. Only what the report needs is supported: shared-string text (never a formula, so
typed "=..." stays text), numbers, naive datetimes, a fixed set of cell styles, column widths,
a frozen header and an auto-filter. The result is checked by reading it back with openpyxl."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

# Characters XML 1.0 cannot hold: dropped, not escaped.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_FLUSH_ROWS = 500
CellValue = str | int | float | datetime | date | None


@dataclass(frozen=True, slots=True)
class CellStyle:
    """What a cell looks like; each distinct style becomes one entry of styles.xml."""

    bold: bool = False
    size: float | None = None
    wrap: bool = False
    centre: bool = False
    fill: str | None = None  # RRGGBB
    number_format: str | None = None


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def escape(text: str, *, attribute: bool = False) -> str:
    text = _NOT_XML.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def excel_serial(moment: datetime | date) -> float:
    """Days since Excel's epoch (the 1900 date system), as spreadsheets store date-times."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return (moment.replace(tzinfo=None) - _EXCEL_EPOCH).total_seconds() / 86400


class Sheet:
    """One worksheet being written; get it from `Book.sheet`, then `append` rows in order."""

    def __init__(self, book: Book, index: int, name: str, stream: IO[bytes],
                 widths: Sequence[float], freeze: tuple[int, int] | None) -> None:
        self.book, self.index, self.name = book, index, name
        self._stream = stream
        self._letters = [column_letter(i) for i in range(1, len(widths) + 1)]
        self._row = 0
        self._pending: list[str] = []
        self._filter: str | None = None
        self._write_top(widths, freeze)

    def _write_top(self, widths: Sequence[float], freeze: tuple[int, int] | None) -> None:
        view = '<sheetView workbookViewId="0"/>'
        if freeze is not None:
            rows, cols = freeze
            pane = "bottomRight" if rows and cols else ("bottomLeft" if rows else "topRight")
            top_left = f"{column_letter(cols + 1)}{rows + 1}"
            split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
            view = (f'<sheetView workbookViewId="0"><pane{split} topLeftCell="{top_left}" '
                    f'activePane="{pane}" state="frozen"/>'
                    f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>'
                    "</sheetView>")
        columns = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                          for i, w in enumerate(widths, 1))
        self._pending.append(
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews>{view}</sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols><sheetData>')

    def auto_filter(self, first_row: int, last_row: int) -> None:
        """A filter on the header at `first_row` over every column of the sheet."""
        self._filter = f"A{first_row}:{self._letters[-1]}{max(last_row, first_row + 1)}"

    def append(self, values: Sequence[CellValue], styles: Sequence[int]) -> None:
        """One row; `styles` holds a style id (from `Book.style`) per column. Empty values
        (None, "") leave the cell out."""
        self._row += 1
        row = self._row
        strings = self.book.string_id
        parts = [f'<row r="{row}">']
        # A row may be shorter than the sheet is wide (a title row): strict=False on purpose.
        for letter, value, style in zip(self._letters, values, styles, strict=False):
            if value is None or value == "":
                continue
            s = f' s="{style}"' if style else ""
            if isinstance(value, str):
                parts.append(f'<c r="{letter}{row}"{s} t="s"><v>{strings(value)}</v></c>')
            elif isinstance(value, bool):
                parts.append(f'<c r="{letter}{row}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                parts.append(f'<c r="{letter}{row}"{s}><v>{value!r}</v></c>')
            elif isinstance(value, date):
                parts.append(f'<c r="{letter}{row}"{s}><v>{excel_serial(value)!r}</v></c>')
            else:
                parts.append(f'<c r="{letter}{row}"{s} t="s"><v>{strings(str(value))}</v></c>')
        parts.append("</row>")
        self._pending.append("".join(parts))
        if len(self._pending) >= _FLUSH_ROWS:
            self._flush()

    @property
    def filter_ref(self) -> str | None:
        return self._filter

    def _flush(self) -> None:
        self._stream.write("".join(self._pending).encode())
        self._pending.clear()

    def close(self) -> None:
        self._pending.append("</sheetData>")
        if self._filter:
            self._pending.append(f'<autoFilter ref="{self._filter}"/>')
        self._pending.append("</worksheet>")
        self._flush()
        self._stream.close()


class Book:
    """The workbook: sheets are written one after the other (one open at a time)."""

    def __init__(self, path: Path, *, title: str = "", compresslevel: int = 1) -> None:
        # Level 1: the XML is very repetitive, so it still shrinks ~10×, at several times the
        # speed of the default level.
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._title = title
        self._strings: dict[str, int] = {}
        self._styles: dict[CellStyle, int] = {CellStyle(): 0}
        self._sheets: list[Sheet] = []
        self._open: Sheet | None = None

    def style(self, style: CellStyle) -> int:
        """The id of a cell style, for `Sheet.append`."""
        return self._styles.setdefault(style, len(self._styles))

    def string_id(self, text: str) -> int:
        index = self._strings.get(text)
        if index is None:
            index = self._strings[text] = len(self._strings)
        return index

    def sheet(self, name: str, widths: Sequence[float], *,
              freeze: tuple[int, int] | None = None) -> Sheet:
        """A new sheet with one width per column; `freeze` = (header rows, left columns)."""
        if self._open is not None:
            self._open.close()
        index = len(self._sheets) + 1
        stream = self._zip.open(f"xl/worksheets/sheet{index}.xml", "w")
        self._open = Sheet(self, index, name[:31], stream, widths, freeze)
        self._sheets.append(self._open)
        return self._open

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None
        files = {
            "[Content_Types].xml": self._content_types(),
            "_rels/.rels": (
                f'<Relationships xmlns="{_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                "</Relationships>"),
            "docProps/core.xml": (
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{escape(self._title)}</dc:title></cp:coreProperties>"),
            "xl/workbook.xml": self._workbook(),
            "xl/_rels/workbook.xml.rels": self._workbook_rels(),
            "xl/styles.xml": self._styles_xml(),
            "xl/sharedStrings.xml": self._shared_strings(),
        }
        for name, text in files.items():
            self._zip.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                               + text)
        self._zip.close()

    def _content_types(self) -> str:
        base = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{s.index}.xml" '
                         f'ContentType="{base}.worksheet+xml"/>' for s in self._sheets)
        return (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{base}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{base}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{base}.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            f"{sheets}</Types>")

    def _workbook(self) -> str:
        sheets = "".join(f'<sheet name="{escape(s.name, attribute=True)}" sheetId="{s.index}" '
                         f'r:id="rId{s.index}"/>' for s in self._sheets)
        names = []
        for s in self._sheets:
            if s.filter_ref:
                first, last = s.filter_ref.split(":")
                absolute = ":".join("$" + re.sub(r"(\d+)", r"$\1", ref) for ref in (first, last))
                quoted = s.name.replace("'", "''")
                names.append(f'<definedName name="_xlnm._FilterDatabase" '
                             f'localSheetId="{s.index - 1}" hidden="1">'
                             f"{escape(repr_sheet(quoted))}!{absolute}</definedName>")
        defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
        return (f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
                f"</bookViews><sheets>{sheets}</sheets>{defined}</workbook>")

    def _workbook_rels(self) -> str:
        sheets = "".join(f'<Relationship Id="rId{s.index}" Type="{_REL}/worksheet" '
                         f'Target="worksheets/sheet{s.index}.xml"/>' for s in self._sheets)
        extra = len(self._sheets)
        return (f'<Relationships xmlns="{_PKG_REL}">{sheets}'
                f'<Relationship Id="rId{extra + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                f'<Relationship Id="rId{extra + 2}" Type="{_REL}/sharedStrings" '
                'Target="sharedStrings.xml"/></Relationships>')

    def _styles_xml(self) -> str:
        fonts: dict[tuple[bool, float | None], int] = {(False, None): 0}
        fills: dict[str | None, int] = {None: 0}
        formats: dict[str | None, int] = {None: 0}
        xfs = []
        for style in self._styles:  # insertion order = style id
            font = fonts.setdefault((style.bold, style.size), len(fonts))
            fill = fills.setdefault(style.fill, len(fills) + 1)  # 1 is the mandatory gray125
            number = formats.setdefault(style.number_format, 163 + len(formats))
            align = ""
            if style.wrap or style.centre:
                align = ("<alignment" + (' horizontal="center"' if style.centre else "")
                         + (' vertical="top" wrapText="1"' if style.wrap else "") + "/>")
            xfs.append(f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" borderId="0" '
                       f'xfId="0"' + (' applyFont="1"' if font else "")
                       + (' applyFill="1"' if fill else "")
                       + (' applyNumberFormat="1"' if number else "")
                       + (f' applyAlignment="1">{align}</xf>' if align else "/>"))
        font_xml = "".join(
            "<font>" + ("<b/>" if bold else "") + f'<sz val="{size or 11}"/><name val="Calibri"/>'
            '<family val="2"/></font>' for bold, size in fonts)
        fill_xml = ('<fill><patternFill patternType="none"/></fill>'
                    '<fill><patternFill patternType="gray125"/></fill>'
                    + "".join(f'<fill><patternFill patternType="solid"><fgColor rgb="FF{c}"/>'
                              '<bgColor indexed="64"/></patternFill></fill>'
                              for c in fills if c is not None))
        num_xml = "".join(f'<numFmt numFmtId="{i}" formatCode="{escape(f, attribute=True)}"/>'
                          for f, i in formats.items() if f is not None)
        return (f'<styleSheet xmlns="{_MAIN}">'
                + (f'<numFmts count="{len(formats) - 1}">{num_xml}</numFmts>' if num_xml else "")
                + f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
                f'<fills count="{len(fills) + 1}">{fill_xml}</fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
                '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
                f'borderId="0"/></cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}'
                '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
                'builtinId="0"/></cellStyles></styleSheet>')

    def _shared_strings(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>'
                        for text in self._strings)
        return f'<sst xmlns="{_MAIN}" uniqueCount="{len(self._strings)}">{items}</sst>'


def repr_sheet(quoted_name: str) -> str:
    """A sheet name as a formula reference: always quoted (names here have spaces/accents)."""
    return f"'{quoted_name}'"
