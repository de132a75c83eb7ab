"""The ward's Báo cáo to the city (issue 16): rendered with docxtpl from a .docx template, the
shipped one (templates/bao-cao.docx, built by tools/build_report_template.py) or the ward's.

Only submitted versions reach it (storage/summary.py). Section II gives each task's full
official title and its results consolidated at ward level: one line per distinct result, with
the units that reported it; "không phát sinh" answers and internal compliance figures are left
out. The parts only people write (services/report_sections.py) print a visible placeholder
while empty. docxtpl is imported here, in the export worker, never at bot start."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from core.texts import exports as tx
from core.texts import report as tr
from core.textutil import document_date, header_date
from core.types import Status
from services.exports import Issuer, group_by_text, xml_safe
from services.report_sections import ReportParts
from storage.plans import TaskInfo
from storage.summary import PeriodSummary

DEFAULT_TEMPLATE = Path(__file__).with_name("templates") / "bao-cao.docx"
# "đã ban hành Kế hoạch số 12/KH-VP ngày 05/9/2025": a document a unit says it issued (a
# document it only cites, such as the Quyết định it briefed staff on, is not listed).
_DOCUMENT = re.compile(
    r"ban hành (?:các |\w+ )?((?:Kế hoạch|Quyết định|Công văn|Thông báo|Chỉ thị|Hướng dẫn|"
    r"Chương trình|Nghị quyết)(?: số)? \d+[/\w.-]*/[A-ZĐ][A-ZĐ0-9-]*"
    r"(?: ngày \d{1,2}/\d{1,2}/\d{4})?)", re.IGNORECASE)


def agency(issuer: Issuer) -> str:
    return tx.AGENCY_FULL.format(kind=issuer.ward_kind, name=issuer.ward_name)


def _sentence(text: str) -> str:
    """One line, no trailing stop or semicolon (the caller adds its own punctuation)."""
    return " ".join(xml_safe(text).split()).rstrip(" .;:")


def _paragraphs(text: str) -> list[str]:
    return [" ".join(xml_safe(line).split()) for line in text.splitlines() if line.strip()]


def _part(parts: ReportParts, key: str) -> list[str]:
    return [xml_safe(p) for p in parts.paragraphs(key)] or [
        tr.PLACEHOLDER.format(part=tr.PART_NAMES[key])]


def _task_lines(summary: PeriodSummary, task: TaskInfo) -> list[str]:
    """The task's submitted results, consolidated: each distinct text once, with its units."""
    entries = [e for e in summary.by_task.get(task.id, ())
               if e.status != Status.NOT_APPLICABLE and e.result.strip()]
    lines: list[str] = []
    for group in group_by_text((e.result, e.unit_name) for e in entries):
        rows = [_sentence(line) for line in group.text.splitlines() if _sentence(line)]
        if not rows:
            continue
        rows[0] = f"- {rows[0]}"
        rows[-1] = f"{rows[-1]} ({', '.join(group.units)})."
        lines += [r if r.endswith(".") or i == len(rows) - 1 else f"{r}."
                  for i, r in enumerate(rows)]
    return lines or [tr.TASK_NO_RESULT]


def _documents(summary: PeriodSummary) -> list[str]:
    """Documents units say they issued (cited in their submitted results), once each."""
    seen: dict[str, list[str]] = {}
    for entries in summary.by_task.values():
        for e in entries:
            for found in _DOCUMENT.findall(e.result):
                units = seen.setdefault(found, [])
                if e.unit_name not in units:
                    units.append(e.unit_name)
    return [f"- {doc} ({', '.join(units)});" for doc, units in seen.items()]


def context(summary: PeriodSummary, parts: ReportParts, issuer: Issuer) -> dict[str, Any]:
    """Everything the template may use; a ward's own template may use any subset."""
    who = agency(issuer)
    plan_title = summary.plan_title[:1].lower() + summary.plan_title[1:]
    issued = document_date(summary.plan_issued_on)
    leadership = [tr.PLAN_ISSUED.format(agency=who, plan=summary.plan_number, issued=issued,
                                        plan_title=plan_title)]
    documents = _documents(summary)
    if documents:
        documents[-1] = documents[-1][:-1] + "."
        leadership += [tr.DOCUMENTS_ISSUED, *documents]
    leadership += _part(parts, "overview")
    sections = [
        {"heading": f"{section.code}. {xml_safe(section.title)}",
         "tasks": [{"code": task.code,
                    "title": _task_title(task),
                    "lines": _task_lines(summary, task)} for task in section.tasks]}
        for section in summary.sections
    ]
    recipients = [f"- {r}{'.' if i == len(parts.recipients) - 1 else ';'}"
                  for i, r in enumerate(parts.recipients)]
    signer = (summary.plan_meta.get("signer") or {})
    return {
        "agency_top": tx.AGENCY_TOP,
        "agency_name": f"{issuer.ward_kind} {issuer.ward_name}".upper(),
        "agency": who,
        "doc_number": tx.DOC_NUMBER,
        "place_date": f"{issuer.ward_name}, {header_date(issuer.today)}",
        "subject": tr.SUBJECT.format(period=summary.period.title),
        "period": summary.period.title,
        "opening": tr.OPENING.format(plan=summary.plan_number, issued=issued, agency=who,
                                     plan_title=plan_title, period=summary.period.title),
        "leadership": leadership,
        "sections": sections,
        "strengths": _part(parts, "strengths"),
        "weaknesses": _part(parts, "weaknesses"),
        "causes": _part(parts, "causes"),
        "direction": _part(parts, "direction"),
        "proposals": _part(parts, "proposals"),
        "closing": tr.CLOSING.format(period=summary.period.title, agency=who),
        "recipients": recipients,
        "signer_title": list(parts.signer_title),
        "signer_name": parts.signer_name or str(signer.get("name", "")),
    }


def _task_title(task: TaskInfo) -> list[str]:
    """The plan's full official text of the task, one paragraph per paragraph of the plan."""
    paragraphs = _paragraphs(task.full_text)
    if not paragraphs:
        return [f"{task.code}. {xml_safe(task.short_title)}"]
    paragraphs[0] = f"{task.code}. {paragraphs[0]}"
    return paragraphs


def write_report(summary: PeriodSummary, parts: ReportParts, issuer: Issuer, path: Path,
                 template: Path | None = None) -> Path:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template or DEFAULT_TEMPLATE))
    document.render(context(summary, parts, issuer), autoescape=True)
    document.save(str(path))
    return path
