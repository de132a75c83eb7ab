"""Low-level python-docx helpers for the Nghị định 30/2020 layout (domain.md §7).

python-docx has no API for several things the decree needs (east-Asian font, paragraph
borders, fixed table grids, fields), so those are written as raw WordprocessingML here."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from core.texts import exports as tx

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH = Mm(210 - 30 - 15)  # A4 minus the left and right margins below
# The header (agency | Quốc hiệu) and signature (Nơi nhận | signer) tables' two columns.
HEADER_WIDTHS = [Mm(62), Length(TEXT_WIDTH - Mm(62))]
SIGN_WIDTHS = [Mm(80), Length(TEXT_WIDTH - Mm(80))]
_FIRST_LINE_TWIPS = str(Mm(12.7).twips)  # the decree's 1.27 cm first-line indent
_VAL = qn("w:val")
_SPACE = qn("xml:space")


def setup_page(doc: Document) -> None:
    """A4 portrait, ND 30 margins, page number centred in the header from page 2."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    # The decree: the first page carries no number; an empty first-page header does that.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_field(paragraph, "PAGE")


def setup_styles(doc: Document) -> None:
    """Times New Roman everywhere, including the east-Asian slot Word falls back on."""
    for name in ("Normal", "Header", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT  # type: ignore[attr-defined]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), FONT)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)  # type: ignore[attr-defined]
    fmt = normal.paragraph_format  # type: ignore[attr-defined]
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.line_spacing = 1.15


def add_field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE): begin, instruction, separator, placeholder, end."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            placeholder = OxmlElement("w:t")
            placeholder.text = text
            run._r.append(placeholder)


def write(paragraph: Paragraph, text: str, *, size: float = BODY_PT, bold: bool = False,
          italic: bool = False) -> Paragraph:
    """Append a run. Built as raw XML: python-docx's property setters re-check the schema
    order of every child they insert, which made a run cost ~250 µs (most of the DOCX time);
    bold/italic are written only when set, as a plain run inherits "not bold" anyway."""
    if "\n" in text or "\t" in text:  # python-docx turns these into <w:br/> and <w:tab/>
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        run.bold, run.italic = bold or None, italic or None
        return paragraph
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")  # children in schema order: b, i, sz
    if bold:
        rpr.append(OxmlElement("w:b"))
    if italic:
        rpr.append(OxmlElement("w:i"))
    sz = OxmlElement("w:sz")
    sz.set(_VAL, str(round(size * 2)))  # half-points
    rpr.append(sz)
    r.append(rpr)
    if text:
        t = OxmlElement("w:t")
        t.set(_SPACE, "preserve")
        t.text = text
        r.append(t)
    paragraph._p.append(r)
    return paragraph


def centred(container: Document | _Cell, text: str, *, size: float = BODY_PT,
            bold: bool = False, italic: bool = False, first: bool = False) -> Paragraph:
    """A centred line; in a cell, `first` reuses the empty paragraph every new cell has."""
    if first and isinstance(container, _Cell):
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.space_after, fmt.first_line_indent, fmt.line_spacing = Pt(0), Pt(0), 1.0
    return write(paragraph, text, size=size, bold=bold, italic=italic)


def rule(container: Document | _Cell, length: Length, width: Length) -> Paragraph:
    """A short solid line: the bottom border of an empty, indented paragraph.

    An underline would also underline spaces, so the decree's rules are drawn this way."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    side = Length(max(0, (int(width) - int(length)) // 2))
    fmt.left_indent = fmt.right_indent = side
    fmt.first_line_indent, fmt.space_before, fmt.space_after = Pt(0), Pt(0), Pt(6)
    fmt.line_spacing = Pt(4)  # a little air between the text above and its rule
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    write(paragraph, "", size=2)
    return paragraph


def fixed_table(doc: Document, widths: Sequence[Length], *, borders: bool) -> Table:
    """A table with a fixed layout and grid widths (LibreOffice reads the grid, Word the cells)."""
    table = doc.add_table(rows=1, cols=len(widths))
    if borders:
        table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # python-docx writes this as <w:tblLayout w:type="fixed"/>
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(Length(width).twips))
    set_widths(table.rows[0].cells, widths)
    return table


def set_widths(cells: Sequence[_Cell], widths: Sequence[Length]) -> None:
    for cell, width in zip(cells, widths, strict=True):
        cell.width = Length(width)


def narrow_cell_margins(table: Table, side: Length) -> None:
    """Left and right cell margins of `side` (Word's default is 1.9 mm): a table of many
    narrow columns of figures keeps "230/30/10" on one line."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("w:left", "w:right"):
        margin = OxmlElement(edge)
        margin.set(qn("w:w"), str(side.twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))  # the schema puts tblCellMar before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


def keep_row_together(table: Table) -> None:
    """The signature row never breaks across pages."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        trpr.append(cant)


def repeat_header_row(table: Table) -> None:
    """A long table repeats its header row on every page."""
    trpr = table.rows[0]._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def body(doc: Document, text: str = "", *, bold: bool = False, italic: bool = False,
         indent: bool = True) -> Paragraph:
    """A justified body paragraph with the first-line indent of the decree (1.27 cm)."""
    paragraph = doc.add_paragraph()
    ppr = paragraph._p.get_or_add_pPr()  # raw XML for speed (see write); schema order: ind, jc
    ind = OxmlElement("w:ind")
    ind.set(qn("w:firstLine"), _FIRST_LINE_TWIPS if indent else "0")
    ppr.append(ind)
    jc = OxmlElement("w:jc")
    jc.set(_VAL, "both")
    ppr.append(jc)
    if text:
        write(paragraph, text, bold=bold, italic=italic)
    return paragraph


def header_block(doc: Document, agency: Sequence[str], number: str, place_date: str) -> Table:
    """The decree's first lines: the issuing agency (its lines, a rule, the number and symbol)
    on the left, Quốc hiệu and Tiêu ngữ (a rule, the place and date) on the right."""
    table = fixed_table(doc, HEADER_WIDTHS, borders=False)
    left, right = table.rows[0].cells
    for i, line in enumerate(agency):
        centred(left, line, size=13, bold=True, first=i == 0)
    rule(left, Mm(22), HEADER_WIDTHS[0])
    centred(left, number, size=13)
    centred(right, tx.NATIONAL_TITLE, size=12, bold=True, first=True)
    centred(right, tx.MOTTO, size=13, bold=True)
    rule(right, Mm(58), HEADER_WIDTHS[1])
    centred(right, place_date, size=14, italic=True)
    return table


def recipient_lines(names: Sequence[str]) -> list[str]:
    """Nơi nhận as the decree lists it: "- name;" and "- name." for the last."""
    return [f"- {name}{'.' if i == len(names) - 1 else ';'}" for i, name in enumerate(names)]


def signature_block(doc: Document, recipients: Sequence[str], authority: Sequence[str],
                    name: str) -> Table:
    """Nơi nhận (lines as given) on the left, the signer's authority and name on the right,
    with room for the signature and the seal; the row never splits across pages."""
    table = fixed_table(doc, SIGN_WIDTHS, borders=False)
    left, right = table.rows[0].cells
    label = left.paragraphs[0]
    write(label, tx.RECIPIENTS, size=12, bold=True, italic=True)
    label.paragraph_format.space_after = label.paragraph_format.space_before = 0
    for text in recipients:
        line = left.add_paragraph()
        line.paragraph_format.space_after = 0
        write(line, text, size=11)
    for i, line_text in enumerate(authority):
        centred(right, line_text, bold=True, first=i == 0)
    for _ in range(4):  # room for the signature and the seal
        centred(right, "")
    centred(right, name, bold=True)
    keep_row_together(table)
    return table
