"""Issue 16: only submitted versions count, and the Báo cáo to the city (docxtpl template)."""

from __future__ import annotations

import argparse
from pathlib import Path

import docx
import openpyxl

from bot.app import App
from bot.commands import export as export_command
from core.settings import Settings
from core.texts import exports as tx
from core.texts import report as tr
from core.types import Role, Status
from services import report_sections
from services.exports import Issuer, render
from storage import entries, plans, roster
from storage.entries import EntryDraft
from storage.summary import PeriodSummary, period_summary
from tests.factories import Talk, make_person
from tests.test_exports import LONG_RESULT, _at, issuer, seed_period

DRAFT = "Bản nháp chưa nộp của KTHTDT"
EDIT = "Kết quả sửa sau khi nộp của VP"


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


async def _save(app: App, unit: str, code: str, result: str, *, submit: bool = False) -> None:
    async with app.deps.sessions.begin() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        task = {t.code: t.id for sec in await plans.plan_outline(s, period.plan_id)
                for t in sec.tasks}[code]
        unit_id = {u.code: u.id for u in await roster.list_units(s)}[unit]
        await entries.save_entry(s, period_id=period.id, unit_id=unit_id, task_id=task,
                                 draft=EntryDraft(Status.DONE, result, difficulties=result),
                                 author_id=1, now=_at(28, 11))
        if submit:
            await entries.submit(s, period_id=period.id, unit_id=unit_id, person_id=1,
                                 now=_at(28, 11, 10), late=False)


async def _summary(app: App, period_id: int) -> PeriodSummary:
    async with app.deps.sessions() as s:
        summary = await period_summary(s, period_id)
    assert summary is not None
    return summary


async def _everywhere(app: App, period_id: int, tmp_path: Path, talk: Talk) -> list[str]:
    """/tonghop's digest, both documents and the XLSX, as text."""
    summary = await _summary(app, period_id)
    await talk.say("/tonghop NAM-2025")
    digest = talk.text
    await talk.say("xem thêm")  # the digest's rest: counts per task, difficulties, proposals
    digest += "\n" + talk.text
    book = openpyxl.load_workbook(render(summary, "xlsx", issuer(app), tmp_path / "r.xlsx"))
    xlsx = "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
    return [digest,
            docx_text(render(summary, "docx", issuer(app), tmp_path / "b.docx")),
            docx_text(render(summary, "docx", issuer(app), tmp_path / "t.docx",
                             document="tong-hop")),
            xlsx]


async def test_drafts_and_edits_count_only_once_submitted(app: App, tmp_path: Path) -> None:
    # setup: KTHTDT (late, submitted 2.1) drafts 1.1; VP edits 1.1 after submitting
    seeded = await seed_period(app)
    _, admin = await make_person(app, Role.ADMIN, name="Người tổng hợp")
    talk = Talk(app, admin)
    await _save(app, "KTHTDT", "1.1", DRAFT)
    await _save(app, "VP", "1.1", EDIT)
    # execute
    before = await _everywhere(app, seeded.period_id, tmp_path, talk)
    # verify: neither text counts anywhere; the admin sees VP as edited, not resubmitted
    for text in before:
        assert DRAFT not in text and EDIT not in text
    assert "Kết quả: 2.150 lượt người tham dự" in before[1]  # VP's submitted version counts
    assert "Đã sửa, chưa nộp lại (2): Phòng Kinh tế, Hạ tầng và Đô thị; Văn phòng HĐND và UBND" \
        in before[0]
    # execute: both units (re)submit
    await _save(app, "KTHTDT", "1.1", DRAFT, submit=True)
    await _save(app, "VP", "1.1", EDIT, submit=True)
    after = await _everywhere(app, seeded.period_id, tmp_path, talk)
    # verify
    for text in after:
        assert DRAFT in text and EDIT in text
    assert LONG_RESULT.splitlines()[1] not in after[1]  # VP's old version is gone
    assert "Đã sửa, chưa nộp lại" not in after[0]


async def test_never_submitted_unit_counts_as_missing(app: App, tmp_path: Path) -> None:
    # setup: TTSNC has a draft of 1.1 and never submitted
    seeded = await seed_period(app)
    # execute
    summary = await _summary(app, seeded.period_id)
    # verify
    ttsnc = next(u for u in summary.units if u.code == "TTSNC")
    assert ttsnc in summary.not_submitted and ttsnc.reported == 1
    assert all(e.unit_name != ttsnc.name for e in summary.entries)
    assert "Chưa tổ chức" not in docx_text(render(summary, "docx", issuer(app),
                                                  tmp_path / "b.docx"))


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


async def test_bao_cao_sections_titles_addressing_and_dates(app: App, tmp_path: Path) -> None:
    # setup: the admin wrote strengths and the direction; the rest is empty; VHXH issued a plan
    seeded = await seed_period(app)
    await _save(app, "VHXH", "1.2", "Đã ban hành Kế hoạch số 15/KH-VHXH ngày 05/9/2025.",
                submit=True)
    async with app.deps.sessions.begin() as s:
        await report_sections.save_part(s, period_id=seeded.period_id, key="strengths",
                                        text="Ưu điểm thứ nhất.\nƯu điểm thứ hai.",
                                        author_id=None, now=app.deps.clock.now())
        await report_sections.save_part(s, period_id=seeded.period_id, key="direction",
                                        text="Tiếp tục triển khai.", author_id=None,
                                        now=app.deps.clock.now())
        parts = await report_sections.load_parts(
            s, seeded.period_id, report_sections.defaults_from(app.settings))
    summary = await _summary(app, seeded.period_id)
    day = Issuer(app.settings.ward_name, app.settings.ward_kind, _at(5, 1).date().replace(
        year=2026), app.settings.tz)
    # execute
    path = render(summary, "docx", day, tmp_path / "b.docx", parts=parts)
    # verify: five parts in order
    texts = _paragraphs(path)
    heads = [tr.PART_LEADERSHIP, tr.PART_RESULTS, tr.PART_ASSESSMENT, tr.STRENGTHS,
             tr.WEAKNESSES, tr.CAUSES, tr.PART_DIRECTION, tr.PART_PROPOSALS]
    where = [texts.index(h) for h in heads]
    assert where == sorted(where)
    # full official task titles, consolidated results, no filler, no compliance figures
    assert any(t.startswith("1.1. Tiếp tục quán triệt, triển khai Quyết định số 23-QĐ/TW")
               for t in texts)
    assert "2.1. Triển khai thực hiện công tác dân vận gắn với triển khai thực hiện" in "\n".join(
        texts)
    assert "KT-XH, QP-AN 2025; GPMB" not in "\n".join(texts)
    body = "\n".join(texts)
    assert "Không phát sinh" not in body and "không phát sinh" not in body
    assert "đúng hạn" not in body and "nộp muộn" not in body and "/5 cơ quan" not in body
    assert "- Đã kiểm kê 45/60 hộ (Phòng Kinh tế, Hạ tầng và Đô thị)." in texts
    assert ".." not in body.replace("...", "")
    assert "- Kế hoạch số 15/KH-VHXH ngày 05/9/2025 (Phòng Văn hóa - Xã hội)." in texts
    assert "- Quyết định số 23-QĐ/TW" not in body  # cited, not issued by a unit
    # the admin's parts and the placeholders of the empty ones
    assert texts[where[3] + 1: where[3] + 3] == ["Ưu điểm thứ nhất.", "Ưu điểm thứ hai."]
    assert texts[where[6] + 1] == "Tiếp tục triển khai."
    assert texts[where[4] + 1] == tr.PLACEHOLDER.format(part="Hạn chế, khó khăn")
    assert texts[where[7] + 1] == tr.PLACEHOLDER.format(part="Kiến nghị, đề xuất")
    assert texts[where[7] + 2].endswith("./.")
    # Nghị định 30 dates: body "13/8/2025", header "ngày 05 tháng 01 năm 2026"
    assert "Kế hoạch số 25/KH-UBND ngày 13/8/2025" in body and "13/08/2025" not in body
    document = docx.Document(str(path))
    header = document.tables[0].rows[0].cells[1].text
    assert "Nam Đồ Sơn, ngày 05 tháng 01 năm 2026" in header
    # Nơi nhận and signer from the settings' defaults and the plan
    left, right = (c.text for c in document.tables[1].rows[0].cells)
    assert left.startswith("Nơi nhận:\n- UBND thành phố (b/c);\n- Sở Nội vụ (b/c);")
    assert left.endswith("- Lưu: VT, VHXH.")
    assert right.startswith("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    assert right.endswith("Nguyễn Đức Anh")
    assert "{{" not in body and "{%" not in body


async def test_cli_uses_section_file_recipients_and_custom_template(
        app: App, settings: Settings, tmp_path: Path) -> None:
    # setup: the ward's own template (one line using the context) and a file of parts
    await seed_period(app)
    template = tmp_path / "mau-cua-phuong.docx"
    own = docx.Document()
    own.add_paragraph("MẪU CỦA PHƯỜNG: {{ subject }}")
    own.add_paragraph("{%p for line in proposals %}")
    own.add_paragraph("{{ line }}")
    own.add_paragraph("{%p endfor %}")
    own.add_paragraph("{{ signer_name }}")
    own.save(str(template))
    parts = tmp_path / "phan.txt"
    parts.write_text("[proposals]\nĐề nghị thành phố hỗ trợ kinh phí.\n[signer_name]\n"
                     "Lê Văn Ký\n", encoding="utf-8")
    out = tmp_path / "bao-cao.docx"
    args = argparse.Namespace(period="NAM-2025", format="docx", document="bao-cao",
                              template=template, section_file=parts, out=str(out))
    # execute
    code = await export_command.export(args, settings)
    # verify
    assert code == 0
    assert _paragraphs(out) == [
        "MẪU CỦA PHƯỜNG: Kết quả thực hiện công tác dân vận chính quyền năm 2025",
        "Đề nghị thành phố hỗ trợ kinh phí.", "Lê Văn Ký"]
    # execute: the default template, the saved parts kept for the period
    args.template, args.section_file = None, None
    assert await export_command.export(args, settings) == 0
    texts = _paragraphs(out)
    assert "Đề nghị thành phố hỗ trợ kinh phí." in texts and tx.DOC_TYPE in texts
    assert docx.Document(str(out)).tables[1].rows[0].cells[1].text.endswith("Lê Văn Ký")
