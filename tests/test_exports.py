"""Exports from a seeded period: DOCX (ND 30 layout), XLSX, chart, /xuat and the CLI."""

from __future__ import annotations

import argparse
import asyncio
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import docx
import openpyxl
import pytest
from docx.shared import Pt
from openpyxl.cell.cell import Cell

from bot.adapters.shell import run_shell
from bot.app import App
from bot.commands import export as export_command
from core.settings import Settings
from core.texts import exports as tx
from core.texts import exports_scale as ts
from core.types import Platform, Role, Status
from core.workers import FileWorker
from handlers import export as export_handler
from services.exports import COUNT_KEYS, Issuer, render, status_label, tasks_in_order
from services.exports.chart import write_chart
from storage import entries, plans, roster
from storage.entries import EntryDraft
from storage.models import Unit
from storage.summary import PeriodSummary, period_summary
from tests.conftest import TZ
from tests.factories import Talk, make_person
from tests.fake_telegram import FakeTelegram
from tests.telegram_harness import TgUser, fake, open_bench

LONG_RESULT = (
    "Đã tổ chức 03 hội nghị quán triệt Quyết định số 23-QĐ/TW cho 100% cán bộ, công chức; "
    "đăng 12 tin, bài trên cổng thông tin điện tử phường; phối hợp Ủy ban Mặt trận Tổ quốc "
    "phường tuyên truyền sâu rộng đến Nhân dân các tổ dân phố về phương châm “Dân biết, dân "
    "bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng”.\n"
    "Kết quả: 2.150 lượt người tham dự; không có đơn thư phức tạp phát sinh."
)
SHARED_DIFFICULTY = "Thiếu kinh phí tổ chức hội nghị ở tổ dân phố"
T = TypeVar("T")
__all__ = ["fake"]  # a fixture used below
FORMULA = "=HYPERLINK(\"http://evil.example\",\"bấm vào đây\")"


@dataclass(frozen=True, slots=True)
class Seeded:
    period_id: int
    summary: PeriodSummary
    admin_account: str


def _at(day: int, month: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=TZ)


async def seed_period(app: App) -> Seeded:
    """NAM-2025 with 5 units: VP and VHXH on time, KTHTDT late, TTSNC draft only, TTPVHCC none."""
    admin_id, admin_account = await make_person(app, Role.ADMIN, unit="VHXH", name="Trần Thị Hà")
    heads = {code: (await make_person(app, Role.UNIT_HEAD, unit=code))[0]
             for code in ("VP", "KTHTDT", "TTSNC")}
    heads["VHXH"] = admin_id
    async with app.deps.sessions.begin() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        outline = await plans.plan_outline(s, period.plan_id)
        task = {t.code: t.id for sec in outline for t in sec.tasks}
        units = {u.code: u.id for u in await __import__("storage.roster").roster.list_units(s)}
        rows = [
            ("VP", "1.1", EntryDraft(Status.DONE, LONG_RESULT, SHARED_DIFFICULTY,
                                     "Bổ sung kinh phí")),
            ("VP", "1.2", EntryDraft(Status.IN_PROGRESS, "Đang dự thảo kế hoạch số 12/KH-VP",
                                     "", FORMULA)),
            ("VHXH", "1.1", EntryDraft(Status.DONE, "Đã quán triệt cho 25 công chức",
                                       SHARED_DIFFICULTY + ".", "")),
            ("VHXH", "2.3", EntryDraft(Status.NOT_APPLICABLE)),
            ("KTHTDT", "2.1", EntryDraft(Status.IN_PROGRESS, "Đã kiểm kê 45/60 hộ",
                                         "Một số hộ chưa đồng thuận về giá bồi thường",
                                         "Đề nghị thành phố sớm phê duyệt đơn giá")),
            ("TTSNC", "1.1", EntryDraft(Status.NOT_STARTED, "Chưa tổ chức")),
        ]
        for unit, code, draft in rows:
            await entries.save_entry(s, period_id=period.id, unit_id=units[unit],
                                     task_id=task[code], draft=draft, author_id=heads[unit],
                                     now=_at(20, 11))
        for unit, when, late in (("VP", _at(25, 11), False), ("VHXH", _at(27, 11), False),
                                 ("KTHTDT", _at(2, 12), True)):
            await entries.submit(s, period_id=period.id, unit_id=units[unit],
                                 person_id=heads[unit], now=when, late=late)
        summary = await period_summary(s, period.id)
    assert summary is not None
    return Seeded(period.id, summary, admin_account)


def cli_args(**given: Any) -> argparse.Namespace:
    """`export`'s arguments with its defaults."""
    return argparse.Namespace(**{"document": "bao-cao", "template": None, "section_file": None,
                                 **given})


def issuer(app: App) -> Issuer:
    return Issuer(app.settings.ward_name, app.settings.ward_kind, app.deps.clock.today(),
                  app.settings.tz)


def paragraphs(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def index_of(texts: list[str], needle: str) -> int:
    return next(i for i, t in enumerate(texts) if needle in t)


async def test_docx_has_nd30_header_sections_and_every_result(app: App, tmp_path: Path) -> None:
    # setup
    seeded = await seed_period(app)
    # execute
    path = render(seeded.summary, "docx", issuer(app), tmp_path / "r.docx",
                  document="tong-hop")
    # verify
    document = docx.Document(str(path))
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert "ỦY BAN NHÂN DÂN\nPHƯỜNG NAM ĐỒ SƠN" in header[0] and "Số:" in header[0]
    assert "/BC-UBND" in header[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in header[1]
    assert "Nam Đồ Sơn, ngày" in header[1] and "năm 2025" in header[1]
    date_runs = [r for p in document.tables[0].rows[0].cells[1].paragraphs for r in p.runs
                 if "ngày" in r.text]
    assert date_runs and all(r.italic for r in date_runs)
    texts = paragraphs(document)
    assert "BÁO CÁO" in texts
    assert "Kết quả thực hiện công tác dân vận chính quyền năm 2025" in texts
    assert "Kế hoạch số 25/KH-UBND ngày 13/8/2025" in texts[index_of(texts, "Thực hiện Kế hoạch")]
    order = [index_of(texts, h) for h in (tx.PART_RESULTS, tx.PART_DIFFICULTIES,
                                          tx.PART_PROPOSALS, "Trên đây là báo cáo", tx.APPENDIX)]
    assert order == sorted(order)
    results = "\n".join(texts[order[0]:order[1]])
    for unit in ("Văn phòng HĐND và UBND", "Phòng Văn hóa - Xã hội",
                 "Phòng Kinh tế, Hạ tầng và Đô thị"):
        assert unit in results
    assert "Trung tâm Sự nghiệp công" not in results  # a draft never submitted does not count
    assert "Kết quả: 2.150 lượt người tham dự" in results  # the second line of a long result
    assert "Phòng Văn hóa - Xã hội (không phát sinh): Không phát sinh." in results
    assert "có 3/5 cơ quan, đơn vị đã gửi báo cáo (2 đúng hạn, 1 nộp muộn)" in results
    difficulties = "\n".join(texts[order[1]:order[2]])
    assert difficulties.count(SHARED_DIFFICULTY) == 1  # grouped: listed once, with both units
    assert "(Văn phòng HĐND và UBND, Phòng Văn hóa - Xã hội)" in difficulties \
        or "(Phòng Văn hóa - Xã hội, Văn phòng HĐND và UBND)" in difficulties
    assert "Đề nghị thành phố sớm phê duyệt đơn giá" in "\n".join(texts[order[2]:order[3]])
    assert texts[order[3]].endswith("./.")


async def test_docx_signature_appendix_fonts_and_page(app: App, tmp_path: Path) -> None:
    # setup
    seeded = await seed_period(app)
    # execute
    document = docx.Document(str(render(seeded.summary, "docx", issuer(app),
                                        tmp_path / "r.docx", document="tong-hop")))
    # verify
    sign_left, sign_right = (c.text for c in document.tables[1].rows[0].cells)
    assert sign_left.startswith("Nơi nhận:") and "- Sở Nội vụ;" in sign_left
    assert sign_left.endswith("- Lưu: VT.")
    assert sign_right.startswith("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH")
    assert sign_right.endswith("Nguyễn Đức Anh")
    appendix = document.tables[2]
    assert [c.text for c in appendix.rows[0].cells] == list(tx.APPENDIX_HEADERS)
    assert len(appendix.rows) == 1 + seeded.summary.task_count
    row_11 = [c.text for c in appendix.rows[1].cells]  # task 1.1: 2 done; TTSNC only drafted
    assert row_11[1].startswith("1.1.") and row_11[2:] == ["2", "0", "0", "0", "3"]
    texts = paragraphs(document)
    late = index_of(texts, "nộp báo cáo muộn (1)")
    assert texts[late + 1] == "- Phòng Kinh tế, Hạ tầng và Đô thị"
    missing = index_of(texts, "chưa nộp báo cáo (2)")
    assert set(texts[missing + 1:missing + 3]) == {"- Trung tâm Phục vụ hành chính công",
                                                   "- Trung tâm Sự nghiệp công"}
    section = document.sections[0]
    # Word stores twentieths of a point, so millimetres come back rounded.
    assert section.page_width and section.page_height and section.top_margin
    assert section.left_margin and section.right_margin
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert 20 <= round(section.top_margin.mm) <= 25
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert not section.first_page_header.paragraphs[0].text
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") \
        == "Times New Roman"
    assert "trPr" in document.tables[1].rows[0]._tr.xml and "cantSplit" in \
        document.tables[1].rows[0]._tr.xml


def _sheet_rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


TITLE_ROWS = 5  # agency, sheet title, plan, period, a blank row; then the header row


def table_rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[list[object]]:
    """The header row and the rows under it."""
    return _sheet_rows(sheet)[TITLE_ROWS:]


def fill_of(cell: Cell) -> str | None:
    """The colour a cell is painted with (a solid fill), or None."""
    return str(cell.fill.fgColor.rgb) if cell.fill.fill_type == "solid" else None


def assert_prints_on_a4_landscape(sheet: openpyxl.worksheet.worksheet.Worksheet,
                                  header_rows: str) -> None:
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9, sheet.title
    # fit to one page wide (fitToWidth absent means its default, 1), any number of pages down
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert setup.fitToWidth in (None, 1) and setup.fitToHeight == 0, sheet.title
    assert sheet.print_title_rows == header_rows, sheet.title  # repeated on each page
    assert "&P" in sheet.oddFooter.center.text, sheet.title  # page numbers


async def test_xlsx_sheets_counts_texts_and_layout(app: App, tmp_path: Path) -> None:
    # setup
    seeded = await seed_period(app)
    summary = seeded.summary
    # execute
    path = render(summary, "xlsx", issuer(app), tmp_path / "r.xlsx")
    # verify: sheet names an officer reads, each printable with its title block
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Theo nhiệm vụ", "Theo đơn vị", "Chi tiết kết quả",
                               "Nộp báo cáo", "Khó khăn, đề xuất", "Nội dung nhiệm vụ"]
    assert book.properties.title and summary.period.title in book.properties.title
    for sheet in book:
        header_rows = "$6:$7" if sheet.title == tx.SHEET_MATRIX else "$6:$6"
        assert_prints_on_a4_landscape(sheet, header_rows)
        block = [row[0] for row in _sheet_rows(sheet)[:TITLE_ROWS]]
        assert block[0] == "Ủy ban nhân dân phường Nam Đồ Sơn", sheet.title
        assert block[1], sheet.title  # the sheet's own title
        assert str(block[2]).startswith("Kế hoạch số 25/KH-UBND ngày 13/08/2025"), sheet.title
        assert str(block[3]).startswith(f"Kỳ báo cáo: {summary.period.title}"), sheet.title
        assert block[4] is None
    # the matrix: task names above the codes, both frozen and repeated, units down, coloured
    matrix = book[tx.SHEET_MATRIX]
    assert matrix.freeze_panes == "D8" and matrix.auto_filter.ref == "A7:Z12"
    tasks = tasks_in_order(summary)
    assert [matrix["D6"].value, matrix["Z6"].value] == [tasks[0].short_title,
                                                        tasks[22].short_title]
    header = _sheet_rows(matrix)[6]
    assert header[:3] == list(tx.MATRIX_HEADERS) and header[3] == "1.1" and len(header) == 3 + 23
    rows = {r[0]: r for r in _sheet_rows(matrix)[7:] if r[0]}
    assert rows["VP"][2] == tx.SUBMITTED_ON_TIME and rows["KTHTDT"][2] == tx.SUBMITTED_LATE
    assert rows["TTPVHCC"][2] == tx.NOT_SUBMITTED
    assert rows["VP"][3] == "Hoàn thành" and rows["VHXH"][header.index("2.3")] == "Không phát sinh"
    assert rows["TTPVHCC"][3] == "Chưa báo cáo"
    vp_row = next(r for r in range(8, 13) if matrix.cell(row=r, column=1).value == "VP")
    fills = [fill_of(matrix.cell(row=vp_row, column=c)) for c in (4, 5, 6)]
    assert fills == ["FFC6EFCE", "FFFFEB9C", "FFEDEDED"]  # done, in progress, not reported
    ttsnc_row = next(r for r in range(8, 13) if matrix.cell(row=r, column=1).value == "TTSNC")
    # TTSNC's draft of 1.1 was never submitted: it counts as not reported
    assert fill_of(matrix.cell(row=ttsnc_row, column=4)) == "FFEDEDED"
    assert fill_of(matrix.cell(row=vp_row, column=1)) is None  # the unit's code
    # counts by task
    counts_sheet = book[tx.SHEET_COUNTS]
    assert counts_sheet.freeze_panes == "C7" and counts_sheet.auto_filter.ref == "A6:G29"
    counts = {r[0]: r for r in table_rows(counts_sheet)[1:]}
    assert table_rows(counts_sheet)[0] == list(tx.COUNT_HEADERS)
    assert list(counts["1.1"][2:]) == [2, 0, 0, 0, 3]  # TTSNC's draft was never submitted
    assert list(counts["5.3"][2:]) == [0, 0, 0, 0, 5]
    # every entry, full text
    entries_sheet = book[tx.SHEET_ENTRIES]
    entry_rows = table_rows(entries_sheet)
    assert entry_rows[0] == list(tx.ENTRY_HEADERS) and len(entry_rows) == 1 + 5
    assert entries_sheet.freeze_panes == "C7" and entries_sheet.auto_filter.ref == "A6:I11"
    assert any(r[5] == LONG_RESULT for r in entry_rows)  # full text, line break kept
    # its row tall enough for the wrapped lines (spreadsheets do not grow it on opening)
    long_row = next(i for i, r in enumerate(entry_rows) if r[5] == LONG_RESULT) + TITLE_ROWS + 1
    height = entries_sheet.row_dimensions[long_row].height
    assert height is not None and height >= 6 * 15
    assert entries_sheet.column_dimensions["F"].width >= 50
    # user text never becomes a spreadsheet formula
    formula_cell = next(c for row in book[tx.SHEET_ISSUES].iter_rows() for c in row
                        if c.value == FORMULA)
    assert formula_cell.data_type == "s"
    subs = {r[0]: r for r in table_rows(book[tx.SHEET_SUBMISSIONS])[1:]}
    assert subs["KTHTDT"][3] == datetime(2025, 12, 2, 9, 0)  # local time, as typed in
    assert subs["KTHTDT"][4] == tx.SUBMITTED_LATE
    assert subs["TTSNC"][3] is None and subs["TTSNC"][4] == tx.NOT_SUBMITTED
    # the full text of every task, verbatim
    task_rows = {r[0]: r for r in table_rows(book[tx.SHEET_TASKS])[1:]}
    assert list(task_rows) == [t.code for t in tasks]
    assert task_rows["1.1"][3] == tasks[0].full_text and len(tasks[0].full_text) > 100
    assert task_rows["1.1"][2] == tasks[0].short_title


async def test_xlsx_of_a_period_nobody_reported_keeps_every_header(
        app: App, tmp_path: Path) -> None:
    # setup: the seeded units, no entry, no submission
    async with app.deps.sessions() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        summary = await period_summary(s, period.id)
    assert summary is not None and summary.units and not summary.entries
    # execute
    book = openpyxl.load_workbook(render(summary, "xlsx", issuer(app), tmp_path / "r.xlsx"))
    # verify: each table has its header row and a filter; the matrix says nobody reported
    for name, headers in ((tx.SHEET_COUNTS, tx.COUNT_HEADERS),
                          (tx.SHEET_ENTRIES, tx.ENTRY_HEADERS),
                          (tx.SHEET_SUBMISSIONS, tx.SUBMISSION_HEADERS),
                          (tx.SHEET_ISSUES, tx.ISSUE_HEADERS),
                          (tx.SHEET_TASKS, tx.TASK_HEADERS)):
        assert table_rows(book[name])[0] == list(headers), name
        assert book[name].auto_filter.ref, name
    assert [r for r in table_rows(book[tx.SHEET_ENTRIES])[1:] if any(r)] == []
    matrix = _sheet_rows(book[tx.SHEET_MATRIX])[7:]
    assert len(matrix) == len(summary.units)
    assert {cell for row in matrix for cell in row[3:]} == {tx.MISSING_LABEL}
    assert {row[2] for row in matrix} == {tx.NOT_SUBMITTED}


async def test_chart_is_a_png(app: App, tmp_path: Path) -> None:
    # setup
    seeded = await seed_period(app)
    # execute
    path = write_chart(seeded.summary, tmp_path / "c.png")
    # verify
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


async def test_xuat_refused_to_unit_heads_and_strangers(app: App) -> None:
    # setup
    _, head = await make_person(app, Role.UNIT_HEAD, unit="VP")
    # execute
    refused = await Talk(app, head).say("/xuat")
    stranger = await Talk(app, "nobody").say("/xuat")
    # verify
    assert "không dành cho vai trò" in refused[0].text and refused[0].file is None
    assert "chưa đăng ký" in stranger[0].text


async def test_xuat_sends_a_document_on_telegram(app: App) -> None:
    # setup
    await seed_period(app)
    _, admin = await make_person(app, Role.ADMIN, unit="VHXH", platform=Platform.TELEGRAM)
    talk = Talk(app, admin, Platform.TELEGRAM)
    # execute
    await talk.say("/xuat NAM-2025")
    await talk.press(talk.option("Báo cáo gửi cấp trên").id)
    # verify
    reply = talk.replies[-1]
    assert reply.file is not None and reply.file.kind == "document"
    assert reply.file.file_name.endswith(".docx") and reply.file.path.is_file()
    assert "BÁO CÁO" in [p.text for p in docx.Document(str(reply.file.path)).paragraphs]


class GatedWorker(FileWorker):
    """The real worker process, entered only once the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.entered, self.gate = asyncio.Event(), asyncio.Event()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        self.entered.set()
        await self.gate.wait()
        return await super().run(fn, *args)


async def test_other_chats_are_answered_while_an_export_renders(app: App) -> None:
    # setup: the export waits inside the worker until the other chat has been answered
    await seed_period(app)
    app.deps.files.close()
    worker = app.deps.files = GatedWorker()
    _, admin = await make_person(app, Role.ADMIN, unit="VHXH", platform=Platform.TELEGRAM)
    _, head = await make_person(app, Role.UNIT_HEAD, unit="VP")
    # execute: both updates carry an id, so each writes (de-duplication) before anything else
    export = asyncio.create_task(
        Talk(app, admin, Platform.TELEGRAM).say("/xuat NAM-2025 xlsx", native_id="x1"))
    await asyncio.wait_for(worker.entered.wait(), 5)
    progress = await asyncio.wait_for(Talk(app, head).say("/tiendo NAM-2025", native_id="t1"),
                                      5)
    worker.gate.set()
    done = await export
    # verify
    assert "/23" in progress[0].text
    assert done[-1].file is not None and done[-1].file.path.is_file()


async def test_xuat_on_zalo_without_public_url_points_to_the_cli(app: App) -> None:
    # setup
    _, admin = await make_person(app, Role.ADMIN, unit="VHXH", platform=Platform.ZALO)
    talk = Talk(app, admin, Platform.ZALO)
    # execute
    await talk.say("xuat NAM-2025 xlsx")
    # verify
    assert "python -m bot export --period NAM-2025 --format xlsx" in talk.text
    assert talk.replies[-1].file is None


async def test_tonghop_adds_the_chart_on_telegram_only(app: App) -> None:
    # setup
    await seed_period(app)
    _, tg = await make_person(app, Role.ADMIN, unit="VHXH", platform=Platform.TELEGRAM)
    _, zl = await make_person(app, Role.ADMIN, unit="VHXH", platform=Platform.ZALO)
    # execute
    on_telegram = await Talk(app, tg, Platform.TELEGRAM).say("/tonghop NAM-2025")
    on_zalo = await Talk(app, zl, Platform.ZALO).say("/tonghop NAM-2025")
    # verify
    photos = [r.file for r in on_telegram if r.file is not None]
    assert len(photos) == 1 and photos[0].kind == "photo" and photos[0].path.is_file()
    assert all(r.file is None for r in on_zalo)


async def test_cli_export_writes_the_file(app: App, settings: Settings, tmp_path: Path) -> None:
    # setup
    await seed_period(app)
    out = tmp_path / "out" / "bao-cao.xlsx"
    args = cli_args(period="NAM-2025", format="xlsx", out=str(out))
    # execute
    code = await export_command.export(args, settings)
    # verify
    assert code == 0 and out.is_file()
    assert tx.SHEET_MATRIX in openpyxl.load_workbook(out).sheetnames


async def test_cli_export_names_the_known_periods(app: App, settings: Settings,
                                                  tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    # setup
    args = cli_args(period="NAM-1999", format="docx", out=str(tmp_path / "x.docx"))
    # execute
    code = await export_command.export(args, settings)
    # verify
    assert code == 1 and "NAM-2025" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


CITY_UNITS = 62  # above the full layout's 40 units: the DOCX switches to its compact form


@dataclass(frozen=True, slots=True)
class LargeSeeded:
    summary: PeriodSummary
    unit_names: list[str]  # by unit code
    late: list[str]
    missing: list[str]


async def seed_large_period(app: App) -> LargeSeeded:
    """NAM-2025 with CITY_UNITS units, each reporting every task: 8 distinct results per task
    (n % 8), one difficulty shared by every third unit; every unit submitted, a quarter late."""
    admin_id, _ = await make_person(app, Role.ADMIN, unit="VHXH")
    statuses = [Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE]
    async with app.deps.sessions.begin() as s:
        seeded = len(await roster.list_units(s))
        s.add_all([Unit(code=f"TDP{i:03d}", name=f"Tổ dân phố số {i:03d}", active=True)
                   for i in range(1, CITY_UNITS - seeded + 1)])
        await s.flush()
        units = await roster.list_units(s)
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        tasks = [t for sec in await plans.plan_outline(s, period.plan_id) for t in sec.tasks]
        for n, unit in enumerate(units):
            for k, task in enumerate(tasks):
                draft = EntryDraft(statuses[(n + k) % 4],
                                   f"Đã tổ chức {n % 8 + 1} hội nghị tuyên truyền",
                                   SHARED_DIFFICULTY if n % 3 == 0 else "",
                                   "Đề nghị bổ sung kinh phí\x07" if n == k == 0 else "")
                await entries.save_entry(s, period_id=period.id, unit_id=unit.id,
                                         task_id=task.id, draft=draft, author_id=admin_id,
                                         now=_at(20, 11))
            await entries.submit(s, period_id=period.id, unit_id=unit.id,
                                 person_id=admin_id, now=_at(25, 11), late=n % 4 == 0)
        summary = await period_summary(s, period.id)
    assert summary is not None
    named = {u.code: u.name for u in summary.units}
    return LargeSeeded(summary, [named[code] for code in sorted(named)],
                       [u.name for u in summary.late], [u.name for u in summary.not_submitted])


async def test_large_period_docx_is_compact_and_xlsx_keeps_every_row(
        app: App, tmp_path: Path) -> None:
    # setup
    seeded = await seed_large_period(app)
    summary = seeded.summary
    tasks = [t for sec in summary.sections for t in sec.tasks]
    assert len(summary.units) == CITY_UNITS and len(tasks) == 23
    # execute
    document = docx.Document(str(render(summary, "docx", issuer(app), tmp_path / "r.docx",
                                        document="tong-hop")))
    book = openpyxl.load_workbook(render(summary, "xlsx", issuer(app), tmp_path / "r.xlsx"))
    # verify: the DOCX names every task with its counts and the most frequent results only
    texts = paragraphs(document)
    assert ts.COMPACT_NOTE.format(total=CITY_UNITS) in texts
    for task in tasks:
        heading = index_of(texts, f"{task.code}. {task.short_title}")
        counts = summary.status_counts(task.id)
        expected = "; ".join(tx.COUNT_ITEM.format(label=status_label(key), count=counts[key])
                             for key in COUNT_KEYS if counts[key])
        assert texts[heading + 1] == tx.TASK_STATE.format(counts=expected)
    # 8 results per task, 8 units each for n % 8 < 6 and 7 for the others: 5 × 8 shown
    rest = ts.REST_LINE.format(count=CITY_UNITS - 5 * 8)
    assert rest.startswith("… và 22 đơn vị khác") and texts.count(rest) == 23
    assert texts.count(ts.GROUP_LINE.format(
        text="Đã tổ chức 1 hội nghị tuyên truyền",
        units=ts.UNITS_AND_MORE.format(names="; ".join(seeded.unit_names[0:64:8][:3]),
                                       count=5))) == 23
    assert not any(t.startswith(f"- {seeded.unit_names[1]} (") for t in texts)  # no per-unit
    assert len(texts) < 400  # the full form would have over 1,400 result paragraphs
    difficulties = "\n".join(texts[index_of(texts, tx.PART_DIFFICULTIES):
                                   index_of(texts, tx.PART_PROPOSALS)])
    assert difficulties.count(SHARED_DIFFICULTY) == 23
    assert "và 18 đơn vị khác" in difficulties  # 21 units share it: 3 named, 18 counted
    proposals = "\n".join(texts[index_of(texts, tx.PART_PROPOSALS):])
    assert "Đề nghị bổ sung kinh phí" in proposals and "\x07" not in proposals
    late = index_of(texts, tx.APPENDIX_LATE.format(count=len(seeded.late)))
    assert texts[late + 1] == "; ".join(seeded.late) + "."
    missing = index_of(texts, tx.APPENDIX_MISSING.format(count=len(seeded.missing)))
    assert not seeded.missing and texts[missing + 1] == f"- {tx.NONE}"
    # verify: the XLSX still has every entry, every unit and the cleaned text
    entry_rows = table_rows(book[tx.SHEET_ENTRIES])[1:]
    assert len(entry_rows) == CITY_UNITS * 23
    assert {(r[1], r[3]) for r in entry_rows} == {(t.code, name) for t in tasks
                                                  for name in seeded.unit_names}
    assert [r[0] for r in entry_rows] == list(range(1, CITY_UNITS * 23 + 1))
    matrix = _sheet_rows(book[tx.SHEET_MATRIX])
    assert {r[1] for r in matrix[7:7 + CITY_UNITS]} == set(seeded.unit_names)
    assert book[tx.SHEET_MATRIX].freeze_panes == "D8"
    assert book[tx.SHEET_ENTRIES].auto_filter.ref == f"A6:I{6 + CITY_UNITS * 23}"
    issues = table_rows(book[tx.SHEET_ISSUES])[1:]
    assert issues[-1][:2] == [tx.ISSUE_PROPOSAL, "1.1"]
    assert issues[-1][4] == "Đề nghị bổ sung kinh phí"  # the control character is dropped
    assert sum(r[0] == tx.ISSUE_DIFFICULTY for r in issues) == 23 * 21


class WatchedWorker(FileWorker):
    """The real worker process; notes what the chat had been shown when each job started."""

    def __init__(self, shown: Callable[[], str]) -> None:
        super().__init__()
        self.shown, self.seen = shown, list[str]()

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        self.seen.append(self.shown())
        return await super().run(fn, *args)


def progress_text(summary: PeriodSummary, fmt: str, units: int) -> str:
    return tx.EXPORT_PROGRESS.format(period=summary.period.title, kind=tx.FORMAT_LABELS[fmt],
                                     units=str(units))


async def test_a_large_export_tells_the_admin_to_wait_before_the_file(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    # setup: the seeded ward's 5 units count as large for the XLSX, not for the DOCX
    seeded = await seed_period(app)
    monkeypatch.setitem(export_handler.LONG_EXPORT_UNITS, "xlsx", 5)
    monkeypatch.setitem(export_handler.LONG_EXPORT_UNITS, "docx", 6)
    _, admin = await make_person(app, Role.ADMIN, unit="VHXH")
    out = io.StringIO()
    app.deps.files.close()
    worker = app.deps.files = WatchedWorker(out.getvalue)
    # execute: through the terminal channel
    await run_shell(app.core, admin, ["/xuat NAM-2025 xlsx", "/xuat NAM-2025 docx"], out,
                    interactive=False)
    # verify: the message was on screen while the XLSX rendered, the file came after it
    wait = progress_text(seeded.summary, "xlsx", 5)
    shown = out.getvalue()
    assert wait in worker.seen[0] and "[Tệp:" not in worker.seen[0]
    assert shown.index(wait) < shown.index(".xlsx]")
    assert shown.count("vui lòng chờ") == 1  # not for the small DOCX
    assert shown.rstrip().endswith(".docx]")
    # verify: a caller without a channel (Talk) gets it first among the replies
    replies = await Talk(app, admin).say("/xuat NAM-2025 xlsx")
    assert [r.text for r in replies[:1]] == [wait] and replies[-1].file is not None


async def test_a_large_export_sends_the_wait_message_before_the_document_on_telegram(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # setup
    bench = await open_bench(fake, sqlite_url, tmp_path, None, "polling")
    try:
        seeded = await seed_period(bench.app)
        monkeypatch.setitem(export_handler.LONG_EXPORT_UNITS, "xlsx", 5)
        chat = 5550777
        await make_person(bench.app, Role.ADMIN, unit="VHXH", platform=Platform.TELEGRAM,
                          account=str(chat))
        bench.app.deps.files.close()
        worker = bench.app.deps.files = WatchedWorker(lambda: "\n".join(fake.texts(chat)))
        # execute
        await TgUser(bench, chat).say("/xuat NAM-2025 xlsx")
        # verify: the wait message was sent before the job started; the document last
        wait = progress_text(seeded.summary, "xlsx", 5)
        assert worker.seen == [wait]
        sent = fake.sent[chat]
        assert sent[0]["text"] == wait and "document" in sent[-1]
        assert fake.texts(chat).count(wait) == 1
    finally:
        await bench.close()
