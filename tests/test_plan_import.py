"""A plan from the official document (.txt, .docx): the same plan as the shipped YAML, a preview,
refusals that name the place, idempotent saves and the `plan import` command."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.commands import main
from services import plan_import
from services.plan_reader import Line, PlanReadError, derive_title, read_plan_lines
from storage import catalog
from storage.models import Period, Plan, Section, Task

ROOT = Path(__file__).resolve().parent.parent
# A copy of the official plan's text (shared/seeds), as the ward's officers would paste it.
SEED = ROOT / "tests" / "data" / "ke-hoach-25-KH-UBND-dan-van-chinh-quyen-2025.txt"
HEADER_END = "Nam Đồ Sơn, ngày 13 tháng 8 năm 2025"


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def write_docx(text: str, path: Path) -> Path:
    """A Word file as the ward types it: the header in a 2-column table (issuer and số on the
    left, national title, motto and date on the right), then one paragraph per line."""
    lines = [x.replace("**", "").strip() for x in text.splitlines()]
    lines = [x for x in lines if x]
    head, body = lines[:lines.index(HEADER_END) + 1], lines[lines.index(HEADER_END) + 1:]
    issuer, number = head[0:2], head[2]
    national, date_line = head[3:5], head[5]
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    left = table.cell(0, 0).paragraphs[0]
    left.add_run(issuer[0]).bold = True
    left.add_run().add_break()  # one paragraph, two lines (a soft line break)
    left.add_run(issuer[1]).bold = True
    table.cell(0, 1).paragraphs[0].add_run(national[0]).bold = True
    table.cell(0, 1).add_paragraph(national[1])
    table.cell(1, 0).paragraphs[0].add_run(number)
    table.cell(1, 1).paragraphs[0].add_run(date_line).italic = True
    for line in body:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_text(text: str, path: Path) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(params=["txt", "docx"])
def seed_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "docx":
        return write_docx(seed_text(), tmp_path / "ke-hoach.docx")
    return write_text(seed_text(), tmp_path / "ke-hoach.txt")


def test_the_document_gives_the_shipped_plan(seed_file: Path) -> None:
    # setup
    shipped = catalog.load_plan(catalog.DEFAULT_PLAN)
    # execute
    parsed = plan_import.read_document(seed_file)
    # verify: header, sections, rounds equal; the 23 tasks have the same codes, sections, texts
    plan = parsed.plan
    assert plan.plan == shipped.plan
    assert plan.sections == shipped.sections
    assert plan.periods == shipped.periods
    assert [t.code for t in plan.tasks] == [t.code for t in shipped.tasks]
    assert len(plan.tasks) == 23
    for read, ship in zip(plan.tasks, shipped.tasks, strict=True):
        assert (read.section, read.full_text) == (ship.section, ship.full_text), read.code
        # the shipped short titles are editorial; the document's title is its first clause
        assert read.short_title == derive_title(ship.full_text)
    assert "\n- Luật Thực hiện dân chủ" in plan.tasks[0].full_text  # a paragraph of 1.1
    assert "của Ủy ban nhân dân thành phố" in plan.tasks[0].full_text  # page break joined
    assert plan.tasks[4].short_title.startswith("Thực hiện công tác dân vận gắn với")
    assert len(plan.tasks[0].short_title) <= 80
    # the units of «Tổ chức thực hiện», and the 6-month round that was already past
    assert [d.name for d in parsed.duties] == [
        "Thủ trưởng các cơ quan, đơn vị", "Phòng Văn hóa - Xã hội phường",
        "Văn phòng HĐND và UBND phường", "Trung tâm Sự nghiệp công phường"]
    assert [d.lead for d in parsed.duties] == [False, False, True, False]
    assert any("6 tháng" in n and "01/06/2025" in n for n in parsed.notes)


def test_units_named_in_the_text_match_the_roster_and_task_assignments_are_read() -> None:
    # setup: the seed with a task that names its units, as many plans do
    text = seed_text().replace(
        "trên địa bàn phường.\n\n4. Các nhiệm vụ gắn",
        "trên địa bàn phường (Chủ trì: Văn phòng HĐND và UBND phường; phối hợp: "
        "Phòng Văn hoá - Xã hội, Phòng Kinh tế, Hạ tầng và Đô thị, Trung tâm Sự nghiệp công)."
        "\n\n4. Các nhiệm vụ gắn")
    assert text != seed_text()
    units = [("VHXH", "Phòng Văn hóa - Xã hội"), ("VP", "Văn phòng HĐND và UBND"),
             ("TTSNC", "Trung tâm Sự nghiệp công"),
             ("KTHTDT", "Phòng Kinh tế, Hạ tầng và Đô thị")]
    parsed = read_plan_lines([Line(t, i) for i, t in enumerate(text.splitlines(), start=1)])
    # execute
    plan_import._match_units(parsed, units)
    # verify
    assert [d.unit_code for d in parsed.duties] == [None, "VHXH", "VP", "TTSNC"]
    (assigned,) = parsed.task_units
    assert assigned.code == "3.5"
    assert assigned.lead_codes == ["VP"]
    assert assigned.join_codes == ["VHXH", "KTHTDT", "TTSNC"]
    assert assigned.join[1] == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert plan_import.match_unit("PHÒNG VĂN HOÁ - XÃ HỘI PHƯỜNG", units) == "VHXH"


def line_of(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(start))


@pytest.mark.parametrize(("change", "reason"), [
    (("1.3. Tổ chức sơ kết", "1.2. Tổ chức sơ kết"),
     "mã nhiệm vụ 1.2 bị trùng (dòng {a} và dòng {b})"),
    (("2.6. Thực hiện", "3.6. Thực hiện"), "nhiệm vụ 3.6 nằm trong mục 2"),
])
def test_a_malformed_text_is_refused_with_its_line(tmp_path: Path, change: tuple[str, str],
                                                    reason: str) -> None:
    text = seed_text()
    bad = write_text(text.replace(*change), tmp_path / "bad.txt")
    with pytest.raises(PlanReadError) as caught:
        plan_import.read_document(bad)
    a, b = line_of(text, "1.2. "), line_of(text, change[0])
    assert caught.value.reason == reason.format(a=a, b=b)
    assert caught.value.place == f"dòng {b}"


def test_a_malformed_docx_is_refused_with_its_paragraph(tmp_path: Path) -> None:
    text = seed_text().replace("1.3. Tổ chức sơ kết", "1.2. Tổ chức sơ kết")
    bad = write_docx(text, tmp_path / "bad.docx")
    with pytest.raises(PlanReadError) as caught:
        plan_import.read_document(bad)
    paragraphs = [p.text for p in docx.Document(str(bad)).paragraphs]
    # the header table holds 5 paragraphs (4 cells, the upper right one two), then the body
    expected = 5 + paragraphs.index(next(p for p in paragraphs if p.startswith("1.2. Tổ"))) + 1
    assert caught.value.place == f"đoạn {expected}"
    assert "mã nhiệm vụ 1.2 bị trùng" in caught.value.reason


def test_documents_that_are_not_plans_are_refused(tmp_path: Path) -> None:
    # not a plan at all
    letter = write_text("Kính gửi: UBND phường\n\nĐề nghị cấp kinh phí.\n", tmp_path / "a.txt")
    with pytest.raises(PlanReadError, match="không phải văn bản kế hoạch"):
        plan_import.read_document(letter)
    # a plan whose tasks are not numbered
    text = seed_text()
    for code in [t.code for t in catalog.load_plan(catalog.DEFAULT_PLAN).tasks]:
        text = text.replace(f"\n{code}. ", "\n")
    with pytest.raises(PlanReadError) as caught:
        plan_import.read_document(write_text(text, tmp_path / "b.txt"))
    assert "không có nhiệm vụ nào được đánh số" in caught.value.reason
    assert caught.value.place == f"dòng {line_of(text, 'II. NỘI DUNG')}"
    # a Word file that is not one, and a file over the limit (refused before it is read)
    garbage = tmp_path / "c.docx"
    garbage.write_bytes(b"not a zip" * 100)
    with pytest.raises(PlanReadError, match="không phải tệp Word"):
        plan_import.read_document(garbage)
    with pytest.raises(PlanReadError, match="quá giới hạn"):
        plan_import.read_document(garbage, max_bytes=100)
    with pytest.raises(PlanReadError, match=r"chỉ nhận tệp \.yaml"):
        plan_import.read_document(tmp_path / "plan.pdf")


async def counts(app: App, number: str) -> tuple[int, int, int]:
    async with app.deps.sessions() as s:
        plan_id = await s.scalar(select(Plan.id).where(Plan.number == number))
        return tuple([await s.scalar(select(func.count()).select_from(model)
                                     .where(model.plan_id == plan_id))
                      for model in (Section, Task, Period)])  # type: ignore[return-value]


async def test_import_is_idempotent_and_keeps_the_shipped_titles(
        app: App, seed_file: Path) -> None:
    # setup: the shipped plan is loaded at the first start
    shipped = catalog.load_plan(catalog.DEFAULT_PLAN)
    for _ in range(2):
        # execute
        draft = await plan_import.prepare(app.deps.sessions,
                                          plan_import.read_document(seed_file))
        report = await plan_import.save(app.deps.sessions, draft)
        # verify: the same 23 tasks; unchanged tasks keep their short titles
        assert not report.created and draft.exists and draft.kept_titles == 23
        assert await counts(app, "25/KH-UBND") == (5, 23, 2)
    async with app.deps.sessions() as s:
        titles = list(await s.scalars(select(Task.short_title).order_by(Task.position)))
    assert titles == [t.short_title for t in shipped.tasks]
    assert "23 nhiệm vụ" in plan_import.preview(draft)


async def test_a_new_plan_from_the_document_is_created_once(app: App, tmp_path: Path) -> None:
    file = write_text(seed_text().replace("Số: 25 /KH-UBND", "Số: 31/KH-UBND"), tmp_path / "k.txt")
    for created in (True, False):
        draft = await plan_import.prepare(app.deps.sessions, plan_import.read_document(file))
        report = await plan_import.save(app.deps.sessions, draft)
        assert report.created is created
        assert await counts(app, "31/KH-UBND") == (5, 23, 2)
    preview = plan_import.preview(draft)
    assert "Kế hoạch số 31/KH-UBND ngày 13/08/2025" in preview
    assert "5 mục, 23 nhiệm vụ" in preview and "  2.4. Ban hành kế hoạch" in preview
    assert "9T-2025: 9 tháng năm 2025, hạn trước 01/09/2025" in preview
    assert "Phòng Văn hóa - Xã hội phường [VHXH]" in preview
    assert "tên ngắn của nhiệm vụ lấy từ đầu nội dung" in preview
    assert "dòng 99: kỳ 6 tháng" in preview


def test_cli_imports_a_docx_with_yes_and_refuses_a_bad_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    # --yes: no question asked
    word = write_docx(seed_text(), tmp_path / "ke-hoach.docx")
    assert main(["plan", "import", str(word), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "5 mục, 23 nhiệm vụ" in out and "Nhập kế hoạch này?" not in out
    assert "Đã cập nhật kế hoạch 25/KH-UBND: 5 mục, 23 nhiệm vụ, 2 kỳ báo cáo." in out
    # asked and declined: nothing saved
    other = write_text(seed_text().replace("Số: 25 /KH-UBND", "Số: 31/KH-UBND"),
                       tmp_path / "k31.txt")
    monkeypatch.setattr(sys, "stdin", io.StringIO("k\n"))
    assert main(["plan", "import", str(other)]) == 1
    out = capsys.readouterr().out
    assert "Nhập kế hoạch này? (c/k)" in out and "Chưa nhập gì." in out
    # asked and confirmed ("có" without diacritics)
    monkeypatch.setattr(sys, "stdin", io.StringIO("co\n"))
    assert main(["plan", "import", str(other)]) == 0
    assert "Đã nhập kế hoạch 31/KH-UBND: 5 mục, 23 nhiệm vụ, 2 kỳ báo cáo." in (
        capsys.readouterr().out)
    # refused: the reason and the line, nothing imported
    text = seed_text().replace("1.3. Tổ chức sơ kết", "1.2. Tổ chức sơ kết")
    text = text.replace("Số: 25 /KH-UBND", "Số: 40/KH-UBND")
    bad = write_text(text, tmp_path / "bad.txt")
    assert main(["plan", "import", str(bad), "--yes"]) == 1
    err = capsys.readouterr().err
    assert f"dòng {line_of(text, '1.2. Tổ chức sơ kết')}: mã nhiệm vụ 1.2 bị trùng" in err
    assert "Chưa nhập gì." in err
    assert main(["periods"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 4  # 2 rounds of 25/KH-UBND, 2 of 31/KH-UBND, none of 40/KH-UBND
    # YAML still goes through the same command
    assert main(["plan", "import", str(catalog.DEFAULT_PLAN)]) == 0
    assert "Đã cập nhật kế hoạch 25/KH-UBND" in capsys.readouterr().out
