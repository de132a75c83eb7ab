"""Build the shipped Báo cáo template (services/exports/templates/bao-cao.docx) with python-docx.

The template is a normal Word document in the Nghị định 30/2020 layout with docxtpl (Jinja)
tags; a ward's văn thư may copy it, change the wording or layout in Word, and use the copy with
`export --template FILE` or the REPORT_TEMPLATE setting. Run from the repository root:

    python tools/build_report_template.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.document import Document  # noqa: E402
from docx.shared import Mm  # noqa: E402

from core.texts import exports as tx  # noqa: E402
from core.texts import report as tr  # noqa: E402
from services.exports.docx_layout import (  # noqa: E402
    TEXT_WIDTH,
    body,
    centred,
    header_block,
    rule,
    setup_page,
    setup_styles,
    signature_block,
)

OUT = ROOT / "services" / "exports" / "templates" / "bao-cao.docx"


def tag(doc: Document, text: str) -> None:
    """A paragraph holding only a docxtpl block tag ({%p … %}); docxtpl removes it."""
    body(doc, text, indent=False)


def loop(doc: Document, items: str, *, bold: bool = False, italic: bool = False) -> None:
    """One body paragraph per item of the list `items`."""
    tag(doc, f"{{%p for line in {items} %}}")
    body(doc, "{{ line }}", bold=bold, italic=italic)
    tag(doc, "{%p endfor %}")


def header(doc: Document) -> None:
    header_block(doc, ["{{ agency_top }}", "{{ agency_name }}"], "{{ doc_number }}",
                 "{{ place_date }}")


def results(doc: Document) -> None:
    body(doc, tr.PART_RESULTS, bold=True)
    tag(doc, "{%p for section in sections %}")
    body(doc, "{{ section.heading }}", bold=True)
    tag(doc, "{%p for task in section.tasks %}")
    loop(doc, "task.title", bold=True, italic=True)
    loop(doc, "task.lines")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")


def signature(doc: Document) -> None:
    signature_block(doc, ["{%p for line in recipients %}", "{{ line }}", "{%p endfor %}"],
                    ["{%p for line in signer_title %}", "{{ line }}", "{%p endfor %}"],
                    "{{ signer_name }}")


def build(path: Path = OUT) -> Path:
    doc = docx.Document()
    setup_styles(doc)
    setup_page(doc)
    doc.core_properties.title = "Mẫu báo cáo kết quả thực hiện công tác dân vận chính quyền"
    header(doc)
    centred(doc, "")
    centred(doc, tx.DOC_TYPE, bold=True)
    centred(doc, "{{ subject }}", bold=True)
    rule(doc, Mm(40), TEXT_WIDTH)
    body(doc, "{{ opening }}")
    body(doc, tr.PART_LEADERSHIP, bold=True)
    loop(doc, "leadership")
    results(doc)
    body(doc, tr.PART_ASSESSMENT, bold=True)
    for title, items in ((tr.STRENGTHS, "strengths"), (tr.WEAKNESSES, "weaknesses"),
                         (tr.CAUSES, "causes")):
        body(doc, title, bold=True)
        loop(doc, items)
    body(doc, tr.PART_DIRECTION, bold=True)
    loop(doc, "direction")
    body(doc, tr.PART_PROPOSALS, bold=True)
    loop(doc, "proposals")
    body(doc, "{{ closing }}")
    signature(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
